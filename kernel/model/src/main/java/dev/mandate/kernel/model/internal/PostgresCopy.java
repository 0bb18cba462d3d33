package dev.mandate.kernel.model.internal;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;

import org.postgresql.PGConnection;

/**
 * Rows for PostgreSQL's {@code COPY ... FROM STDIN} (text format), sent through the driver's
 * CopyManager inside the caller's transaction: one round trip and no per-row statement for a
 * change set's inserts. Only loaded once the connection is known to be PostgreSQL's; the driver's
 * packages are an optional import, so a node running on H2 never needs them.
 */
final class PostgresCopy {
    private final StringBuilder text = new StringBuilder();
    private int rows;

    /**
     * Whether {@code connection} (or what a pool wraps) unwraps to a pgjdbc connection; a pool that
     * does not let it through means no.
     */
    static boolean supports(Connection connection) {
        try {
            return connection.isWrapperFor(PGConnection.class) && connection.unwrap(PGConnection.class) != null;
        } catch (SQLException e) {
            return false;
        }
    }

    PostgresCopy value(String value) {
        if (value == null) {
            text.append("\\N");
        } else {
            int plain = 0; // characters since the last escaped one, appended in one go
            for (int i = 0; i < value.length(); i++) {
                String escaped = switch (value.charAt(i)) {
                    case '\\' -> "\\\\";
                    case '\t' -> "\\t";
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    default -> null;
                };
                if (escaped != null) {
                    text.append(value, plain, i).append(escaped);
                    plain = i + 1;
                }
            }
            text.append(value, plain, value.length());
        }
        text.append('\t');
        return this;
    }

    PostgresCopy value(long value) {
        text.append(value).append('\t');
        return this;
    }

    PostgresCopy endRow() {
        text.setCharAt(text.length() - 1, '\n');
        rows++;
        return this;
    }

    /** Copies the rows into {@code target} ({@code table (columns)}); returns how many were copied. */
    long into(Connection connection, String target) throws SQLException {
        if (rows == 0) {
            return 0;
        }
        try {
            return connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + target + " FROM STDIN", new StringReader(text.toString()));
        } catch (IOException e) {
            throw new SQLException("rows cannot be copied into '" + target + "': " + e.getMessage(), e);
        }
    }
}
