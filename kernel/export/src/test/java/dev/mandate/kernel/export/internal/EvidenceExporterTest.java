package dev.mandate.kernel.export.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.EvidenceSink;
import dev.mandate.kernel.ledger.testing.InMemoryLedger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceExporterTest {

    @TempDir
    Path state;

    private final InMemoryLedger ledger = new InMemoryLedger();

    @Test
    void aSinkThatIsDownGetsEveryRecordOnceItIsBackInOrderWithoutGaps() {
        append(25);
        FlakySink sink = new FlakySink("siem", 2);
        EvidenceExporter exporter = exporter(10);
        exporter.bindSink(sink);

        exporter.exportAll();
        exporter.exportAll();
        assertThat(sink.received).isEmpty();
        assertThat(exporter.states()).singleElement().satisfies(s -> assertThat(s.lastError()).isEqualTo("sink is down"));

        exporter.exportAll();
        assertThat(sink.received).extracting(EvidenceRecord::sequence).containsExactlyElementsOf(range(1, 25));
        assertThat(sink.batchSizes).containsExactly(10, 10, 5);
    }

    @Test
    void theSinksPositionSurvivesARestart() {
        append(5);
        FlakySink sink = new FlakySink("archive", 0);
        EvidenceExporter first = exporter(100);
        first.bindSink(sink);
        first.exportAll();
        first.deactivate();

        append(3);
        EvidenceExporter second = exporter(100);
        second.bindSink(sink);
        second.exportAll();

        assertThat(sink.received).extracting(EvidenceRecord::sequence).containsExactlyElementsOf(range(1, 8));
    }

    @Test
    void oneFailingSinkDoesNotHoldUpAnother() {
        append(3);
        FlakySink down = new FlakySink("down", Integer.MAX_VALUE);
        FlakySink up = new FlakySink("up", 0);
        EvidenceExporter exporter = exporter(100);
        exporter.bindSink(down);
        exporter.bindSink(up);

        exporter.exportAll();

        assertThat(up.received).hasSize(3);
        assertThat(down.received).isEmpty();
    }

    private EvidenceExporter exporter(int batch) {
        return new EvidenceExporter(ledger, state, batch, Executors.newSingleThreadScheduledExecutor());
    }

    private void append(int n) {
        for (int i = 0; i < n; i++) {
            ledger.append("test", 1, Map.of("i", i));
        }
    }

    private static List<Long> range(long from, long to) {
        List<Long> list = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            list.add(i);
        }
        return list;
    }

    /** Fails its first {@code failures} calls, then stores what it is given. */
    static final class FlakySink implements EvidenceSink {
        final String name;
        int failures;
        final List<EvidenceRecord> received = new ArrayList<>();
        final List<Integer> batchSizes = new ArrayList<>();

        FlakySink(String name, int failures) {
            this.name = name;
            this.failures = failures;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void export(List<EvidenceRecord> records) throws Exception {
            if (failures > 0) {
                failures--;
                throw new java.io.IOException("sink is down");
            }
            batchSizes.add(records.size());
            received.addAll(records);
        }
    }
}
