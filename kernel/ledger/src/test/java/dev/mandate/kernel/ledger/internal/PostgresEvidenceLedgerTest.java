package dev.mandate.kernel.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.VerificationResult;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The same table and statements on a real PostgreSQL 14, the production database. */
class PostgresEvidenceLedgerTest {
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @Test
    void theChainIsWrittenReadVerifiedAndItsTamperingFoundOnPostgres() throws Exception {
        DataSource dataSource = postgres.getPostgresDatabase();
        Clock clock = Clock.fixed(Instant.parse("2026-11-26T05:00:00.987654Z"), ZoneOffset.UTC);
        EvidenceLedgerImpl ledger = new EvidenceLedgerImpl(dataSource, clock);
        for (int i = 1; i <= 20; i++) {
            ledger.append("decision", i, Map.of("decisionId", "d-" + i, "reasons", List.of("a", "b"), "score", 0.5));
        }

        EvidenceLedgerImpl reopened = new EvidenceLedgerImpl(dataSource, clock);
        EvidenceRecord head = reopened.head().orElseThrow();
        assertThat(head.sequence()).isEqualTo(20);
        assertThat(head.timestamp()).isEqualTo(Instant.parse("2026-11-26T05:00:00.987Z"));
        assertThat(reopened.read(19, 5)).extracting(EvidenceRecord::sequence).containsExactly(19L, 20L);
        assertThat(reopened.verify()).isEqualTo(new VerificationResult(true, 20, 0, null));

        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE mandate_evidence SET model_revision = 99 WHERE seq = 12");
        }
        VerificationResult tampered = reopened.verify();
        assertThat(tampered.firstInvalid()).isEqualTo(12);
        assertThat(tampered.problem()).startsWith("hash mismatch");
    }
}
