package dev.mandate.kernel.intent;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import dev.mandate.api.model.Element;

/**
 * What operators ask about the intent in force beyond {@link dev.mandate.api.intent.IntentService}:
 * a blueprint in full (mode, what it applies to, its rules), the sources that were rejected and
 * why, and which blueprints govern an element.
 *
 * <p>Thread-safe; never blocks (it reads the immutable intent in force).
 *
 * @since 1.1
 */
@ProviderType
public interface BlueprintCatalog {

    /** The blueprint in force with this name, in full; empty when none is in force. */
    Optional<BlueprintDetail> detail(String name);

    /**
     * The sources (bundles, files) whose last load was rejected, with every problem located in its
     * file, sorted by source. What was in force before such a load stays in force.
     */
    List<Rejection> rejections();

    /**
     * The blueprints in force whose {@code appliesTo} selects this element ({@code name@version},
     * sorted by name); empty when no blueprint governs it. A {@code match} that errors does not select.
     */
    List<String> governing(Element element);
}
