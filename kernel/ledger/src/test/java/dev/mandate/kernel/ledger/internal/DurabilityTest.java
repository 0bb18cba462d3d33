package dev.mandate.kernel.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import dev.mandate.api.evidence.VerificationResult;
import dev.mandate.kernel.jdbc.testing.TestDatabase;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record the ledger has returned survives a kill -9 of the JVM, with the H2 URL option
 * {@value #DURABLE_URL_OPTIONS} the distribution must set: a child JVM appends in a loop, is killed right after it reported a record,
 * and every record it reported must then be in the database with an intact chain.
 */
class DurabilityTest {
    /**
     * What the H2 URL must carry. Without it H2 2.2 commits to memory and writes the file from a
     * background thread up to 500 ms later: a kill -9 then loses records the ledger had returned
     * (seen here: 0 of 5, and 88 of 200, were in the file).
     */
    static final String DURABLE_URL_OPTIONS = ";WRITE_DELAY=0";

    @ParameterizedTest
    @ValueSource(ints = {1, 200})
    void everyRecordReturnedBeforeAKillIsStillThereAfterwards(int killAfter, @TempDir Path folder) throws Exception {
        String url = "jdbc:h2:file:" + folder.resolve("mandate").toAbsolutePath() + DURABLE_URL_OPTIONS;
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LedgerWriterProcess.class.getName(), url)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long reported = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                reported = Long.parseLong(line.substring("appended ".length()));
                if (reported >= killAfter) {
                    writer.destroyForcibly(); // SIGKILL: no shutdown hook, no close
                    break;
                }
            }
        } finally {
            writer.destroyForcibly();
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(reported).as("records reported before the kill").isGreaterThanOrEqualTo(killAfter);

        EvidenceLedgerImpl reopened = new EvidenceLedgerImpl(new TestDatabase(url), Clock.systemUTC());
        long stored = reopened.head().orElseThrow().sequence();
        assertThat(stored).as("records in the database after the kill").isGreaterThanOrEqualTo(reported);
        VerificationResult verification = reopened.verify();
        assertThat(verification.valid()).as(verification.problem()).isTrue();
    }
}
