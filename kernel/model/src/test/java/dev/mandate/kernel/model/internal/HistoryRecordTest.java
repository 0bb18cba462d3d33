package dev.mandate.kernel.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class HistoryRecordTest {
    private static final String VPC = "aws:ec2:vpc:eu-west-1:111122223333:vpc-1";
    private static final String DB = "aws:rds:db-instance:eu-west-1:111122223333:orders-prod";

    @Test
    void recordsKeepTheirPartsThroughABlock() {
        HistoryRecord element = HistoryRecord.element(VPC, 3, "aws:ec2:vpc", "aws", "prod", null, "team-ä", "{}",
                "{\"RUNNING\":{}}");
        HistoryRecord removed = HistoryRecord.element(DB, 4, null, null, null, null, null, null, null);
        HistoryRecord relation = HistoryRecord.relation("CONTAINS", VPC, DB, 5, "{\"via\":\"subnet\"}");
        HistoryRecord closed = HistoryRecord.closed("CONTAINS", VPC, DB, 6);
        ByteBuffer block = ByteBuffer.allocate(element.size() + removed.size() + relation.size() + closed.size());
        for (HistoryRecord record : List.of(element, removed, relation, closed)) {
            record.writeTo(block);
        }

        List<HistoryRecord> read = HistoryRecord.readBlock(block.array());

        assertThat(read).hasSize(4);
        assertThat(read.get(0).lookupId()).isEqualTo(VPC);
        assertThat(read.get(0).kind()).isEqualTo(HistoryRecord.ELEMENT);
        assertThat(read.get(0).strings()).containsExactly("aws:ec2:vpc", "aws", "prod", null, "team-ä", "{}",
                "{\"RUNNING\":{}}");
        assertThat(read.get(1).present()).isFalse();
        assertThat(read.get(1).revision()).isEqualTo(4);
        assertThat(read.get(2).lookupId()).isEqualTo(VPC);
        assertThat(read.get(2).type()).isEqualTo("CONTAINS");
        assertThat(read.get(2).other()).isEqualTo(DB);
        assertThat(read.get(2).strings()).containsExactly("{\"via\":\"subnet\"}");
        assertThat(read.get(3).lookupId()).isEqualTo(DB);
        assertThat(read.get(3).kind()).isEqualTo(HistoryRecord.CLOSED);
        assertThat(read.get(3).other()).isEqualTo(VPC);
        assertThat(read.get(3).isUnder(IdHash.of(DB), HistoryRecord.prefix(DB))).isTrue();
        assertThat(read.get(3).isUnder(IdHash.of(VPC), HistoryRecord.prefix(VPC))).isFalse();
    }

    @Test
    void aBlockCutShortIsRefused() {
        HistoryRecord element = HistoryRecord.element(VPC, 3, "aws:ec2:vpc", "aws", "prod", null, null, "{}", "{}");
        ByteBuffer block = ByteBuffer.allocate(element.size());
        element.writeTo(block);

        assertThatThrownBy(() -> HistoryRecord.readBlock(Arrays.copyOf(block.array(), element.size() - 5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cut short");
    }

    @Test
    void anIdIsNotFoundUnderAnotherThatItStartsWith() {
        HistoryRecord longer = HistoryRecord.element(VPC + "0", 1, "k", "p", null, null, null, "{}", "{}");

        assertThat(longer.isUnder(IdHash.of(VPC + "0"), HistoryRecord.prefix(VPC))).isFalse();
    }

    @Test
    void pruningKeepsWhatReadsFromTheCutoffOnNeed() {
        HistoryRecord v1 = HistoryRecord.element(VPC, 1, "k", "p", null, null, null, "{}", "{}");
        HistoryRecord v3 = HistoryRecord.element(VPC, 3, "k", "p", null, null, null, "{}", "{}");
        HistoryRecord gone5 = HistoryRecord.element(VPC, 5, null, null, null, null, null, null, null);
        List<HistoryRecord> versions = List.of(v1, v3, gone5);

        // cutoff 4: v1 was replaced at 3 (not needed), v3 is valid at 4, the removal at 5 is needed
        assertThat(RunHistory.neededFrom(versions, 0, 4, Long.MAX_VALUE)).isFalse();
        assertThat(RunHistory.neededFrom(versions, 1, 4, Long.MAX_VALUE)).isTrue();
        assertThat(RunHistory.neededFrom(versions, 2, 4, Long.MAX_VALUE)).isTrue();
        // cutoff 6: nothing is needed, the element is gone for every revision still answered
        assertThat(RunHistory.neededFrom(versions, 1, 6, Long.MAX_VALUE)).isFalse();
        assertThat(RunHistory.neededFrom(versions, 2, 6, Long.MAX_VALUE)).isFalse();
        // unless a run outside the merge, starting before the removal, may hold an older version it hides
        assertThat(RunHistory.neededFrom(versions, 2, 6, 2)).isTrue();
        // no cutoff: everything
        assertThat(RunHistory.neededFrom(versions, 0, 1, Long.MAX_VALUE)).isTrue();
        // closed notes only for revisions after the cutoff
        List<HistoryRecord> closed = List.of(HistoryRecord.closed("CONTAINS", VPC, DB, 4));
        assertThat(RunHistory.neededFrom(closed, 0, 4, Long.MAX_VALUE)).isFalse();
        assertThat(RunHistory.neededFrom(closed, 0, 3, Long.MAX_VALUE)).isTrue();
    }
}
