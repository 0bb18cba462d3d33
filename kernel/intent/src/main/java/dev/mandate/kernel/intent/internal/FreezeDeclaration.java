package dev.mandate.kernel.intent.internal;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import dev.mandate.api.intent.Effect;

/**
 * A freeze window: while one of its windows is open, the listed actions on the selected elements
 * are denied or need approval.
 *
 * @param name        the freeze window name
 * @param version     its version
 * @param semver      the parsed version
 * @param owner       the team that declared it
 * @param selector    the elements it covers
 * @param actions     the action wire names it covers (classes already expanded)
 * @param effect      deny or require-approval
 * @param severity    low, medium, high or critical
 * @param windows     when it is open
 * @param message     what to tell the actor
 * @param contentHash {@code sha256:<hex>} of the document
 * @param origin      where it came from
 * @param file        the file, for messages
 * @param line        where its name was written
 * @param column      where its name was written
 */
record FreezeDeclaration(String name, String version, Semver semver, String owner, Selector selector,
        Set<String> actions, Effect effect, String severity, List<TimeWindow> windows, String message,
        String contentHash, String origin, String file, int line, int column) implements Declared {

    @Override
    public String kind() {
        return "FreezeWindow";
    }

    /** The window open at this instant, or {@code null}. */
    TimeWindow openAt(Instant at) {
        for (TimeWindow window : windows) {
            if (window.open(at)) {
                return window;
            }
        }
        return null;
    }

    /** {@code freeze:<name>@<version>}, as reasons cite it. */
    String source() {
        return "freeze:" + name + "@" + version;
    }
}
