package dev.mandate.kernel.intent.internal;

import dev.mandate.api.intent.Team;

/**
 * A team as declared in a file.
 *
 * @param team        the team
 * @param file        the file, for messages
 * @param line        where its name was written
 * @param column      where its name was written
 * @param origin      {@code bundle:…} or {@code file:…}
 * @param contentHash {@code sha256:<hex>} of the document
 */
record TeamDeclaration(Team team, String file, int line, int column, String origin, String contentHash) {
}
