package dev.mandate.kernel.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class HistoryWriteTest {
    @Test
    void aJournalEntryReadsBackAsTheRowsItWasWrittenFrom() throws IOException {
        HistoryWrite rows = new HistoryWrite(42, List.of(
                new HistoryWrite.ElementRow("aws:ec2:vpc:eu-west-1:1:vpc-1", true, "aws:ec2:vpc", "aws", null, "zone",
                        "team-é", "{\"a\":\"b\"}", "{\"RUNNING\":{}}"),
                new HistoryWrite.ElementRow("aws:ec2:vpc:eu-west-1:1:vpc-2", true, null, null, null, null, null, null,
                        null)),
                List.of(new HistoryWrite.RelationRow("CONTAINS", "a:b:c:d", "a:b:c:e", false, "{\"port\":443}"),
                        new HistoryWrite.RelationRow("DEPENDS_ON", "a:b:c:d", "a:b:c:f", true, null)), 100);

        byte[] entry = rows.encode();
        HistoryWrite read = HistoryWrite.decode(new ByteArrayInputStream(entry));

        assertThat(read.revision()).isEqualTo(42);
        assertThat(read.elements()).isEqualTo(rows.elements());
        assertThat(read.relations()).isEqualTo(rows.relations());
        assertThatThrownBy(() -> HistoryWrite.decode(new ByteArrayInputStream(Arrays.copyOf(entry, entry.length - 3))))
                .isInstanceOf(IOException.class);
    }
}
