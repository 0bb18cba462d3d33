package dev.mandate.kernel.export.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.kernel.export.format.JsonLines;
import dev.mandate.kernel.ledger.verify.ChainRecord;
import dev.mandate.kernel.ledger.verify.Jcs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSinkTest {
    @TempDir
    Path folder;

    /** A chain of {@code count} records, hashed as the ledger hashes them. */
    private static List<EvidenceRecord> chain(int count) {
        List<EvidenceRecord> records = new ArrayList<>();
        String previous = ChainRecord.GENESIS;
        Instant at = Instant.parse("2026-11-26T08:00:00.100Z");
        for (int i = 1; i <= count; i++) {
            Map<String, Object> payload = Map.of("decisionId", "d-" + i);
            String hash = new ChainRecord(i, "decision", ChainRecord.timestamp(at), 1, Jcs.write(payload), previous, "")
                    .computeHash();
            records.add(new EvidenceRecord(i, "decision", at, 1, payload, previous, hash));
            previous = hash;
        }
        return records;
    }

    @Test
    void recordsOfferedAgainAfterACrashAreNotWrittenTwiceAndATornLineIsCut() throws Exception {
        Path file = folder.resolve("out/evidence.jsonl");
        List<EvidenceRecord> records = chain(6);
        new FileSink("file", file).export(records.subList(0, 4));
        // a crash in the middle of the next write left half a line behind
        String fifth = JsonLines.line(records.get(4));
        Files.writeString(file, fifth.substring(0, fifth.length() / 2), StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);

        // a new sink (after the restart) is offered records 3 to 6 again: the cursor had not moved past 2
        new FileSink("file", file).export(records.subList(2, 6));

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(6);
        for (int i = 0; i < 6; i++) {
            ChainRecord line = ChainRecord.fromJsonLine(lines.get(i));
            assertThat(line.sequence()).isEqualTo(i + 1);
            assertThat(line.computeHash()).isEqualTo(line.hash()).isEqualTo(records.get(i).hash());
        }
    }
}
