package dev.mandate.kernel.export.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.EvidenceSink;
import dev.mandate.api.evidence.VerificationResult;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceExporterTest {

    @TempDir
    Path state;

    private final ListLedger ledger = new ListLedger();

    @Test
    void aSinkThatIsDownGetsEveryRecordOnceItIsBackInOrderWithoutGaps() {
        ledger.append(25);
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
        ledger.append(5);
        FlakySink sink = new FlakySink("archive", 0);
        EvidenceExporter first = exporter(100);
        first.bindSink(sink);
        first.exportAll();
        first.deactivate();

        ledger.append(3);
        EvidenceExporter second = exporter(100);
        second.bindSink(sink);
        second.exportAll();

        assertThat(sink.received).extracting(EvidenceRecord::sequence).containsExactlyElementsOf(range(1, 8));
    }

    @Test
    void oneFailingSinkDoesNotHoldUpAnother() {
        ledger.append(3);
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

    /** An in-memory ledger; the real one is tested in the ledger module. */
    static final class ListLedger implements EvidenceLedger {
        final List<EvidenceRecord> records = new ArrayList<>();

        void append(int n) {
            for (int i = 0; i < n; i++) {
                append("test", 1, Map.of("i", i));
            }
        }

        @Override
        public EvidenceRecord append(String type, long modelRevision, Map<String, Object> payload) {
            long sequence = records.size() + 1;
            EvidenceRecord record = new EvidenceRecord(sequence, type, Instant.EPOCH, modelRevision, payload, "p",
                    "h" + sequence);
            records.add(record);
            return record;
        }

        @Override
        public List<EvidenceRecord> read(long from, int limit) {
            int start = (int) Math.min(records.size(), Math.max(0, from - 1));
            return List.copyOf(records.subList(start, Math.min(records.size(), start + limit)));
        }

        @Override
        public Optional<EvidenceRecord> head() {
            return records.isEmpty() ? Optional.empty() : Optional.of(records.get(records.size() - 1));
        }

        @Override
        public VerificationResult verify() {
            return new VerificationResult(true, records.size(), 0, null);
        }
    }
}
