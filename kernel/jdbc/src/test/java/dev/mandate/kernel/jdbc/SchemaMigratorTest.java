package dev.mandate.kernel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class SchemaMigratorTest {
    private final JdbcDataSource database = new JdbcDataSource();

    SchemaMigratorTest() {
        database.setURL("jdbc:h2:mem:migrate-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    private SchemaMigrator migrator(String... scripts) {
        return new SchemaMigrator("test_schema_version", getClass().getClassLoader(), "db/migration/test",
                List.of(scripts));
    }

    private int count(String sql) throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    @Test
    void scriptsRunOnceInOrderAndAreRecorded() throws SQLException {
        assertThat(migrator("V1__create.sql").migrate(database)).isEqualTo(1);
        assertThat(migrator("V1__create.sql").migrate(database)).isEqualTo(1);

        assertThat(count("SELECT COUNT(*) FROM t_one")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM test_schema_version WHERE version = 1")).isEqualTo(1);
    }

    @Test
    void aFailingScriptNamesItselfAndIsNotRecorded() throws SQLException {
        assertThatThrownBy(() -> migrator("V1__create.sql", "V2__broken.sql").migrate(database))
                .isInstanceOf(SQLException.class).hasMessageStartingWith("schema migration 'V2__broken.sql' failed");

        assertThat(count("SELECT MAX(version) FROM test_schema_version")).isEqualTo(1);
    }

    @Test
    void aMissingScriptOrABadNameIsRefused() {
        assertThatThrownBy(() -> migrator("V3__absent.sql").migrate(database)).isInstanceOf(SQLException.class)
                .hasMessage("schema migration 'db/migration/test/V3__absent.sql' is missing from the bundle");
        assertThatThrownBy(() -> migrator("create.sql")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("schema migration 'create.sql' is not named V<n>__<description>.sql");
    }

    @Test
    void statementsSplitAtLineEndingSemicolonsWithoutComments() {
        assertThat(SchemaMigrator.statementsOf("-- c\nCREATE TABLE a (\n  x INT\n);\n\nDROP TABLE b;\nSELECT 1"))
                .containsExactly("CREATE TABLE a (\nx INT\n)", "DROP TABLE b", "SELECT 1");
    }
}
