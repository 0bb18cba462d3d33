package dev.mandate.api.intent;

import java.util.List;

/**
 * A blueprint in force, as operators and auditors see it.
 *
 * @param name        unique name
 * @param version     semantic version
 * @param owner       the owning team id
 * @param description what it is for
 * @param contentHash {@code sha256:<hex>} of the document as loaded
 * @param origin      where it came from: {@code bundle:<symbolic-name>/<path>} or {@code file:<path>}
 * @param constraints the ids of its constraints
 * @param fallback    what applies to a request that nothing permits
 */
public record BlueprintInfo(String name, String version, String owner, String description, String contentHash,
        String origin, List<String> constraints, Fallback fallback) {

    public BlueprintInfo {
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
    }

    /** {@code name@version}, as reasons cite it. */
    public String ref() {
        return name + "@" + version;
    }
}
