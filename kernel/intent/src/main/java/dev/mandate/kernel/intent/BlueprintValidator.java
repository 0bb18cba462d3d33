package dev.mandate.kernel.intent;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Checks an intent file (one or more YAML documents of kind {@code Team} and {@code Blueprint})
 * the way loading would, without loading it: YAML syntax, required fields, versions, effects, and
 * that every CEL expression parses and type-checks against the variables and the constraint
 * functions available now. Blueprint owners must be teams in force or declared in the same file.
 *
 * <p>Thread-safe; does not block on I/O (it reads only the text it is given).
 */
@ProviderType
public interface BlueprintValidator {

    /**
     * Validates the text of one file.
     *
     * @param fileName the name to report problems against (for example {@code baseline.yaml})
     * @param yaml     the file's content
     * @return the problems found, in file order; empty when the file would load
     */
    List<Problem> validate(String fileName, String yaml);
}
