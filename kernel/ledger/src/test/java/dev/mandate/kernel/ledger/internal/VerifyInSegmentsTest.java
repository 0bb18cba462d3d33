package dev.mandate.kernel.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.VerificationResult;
import dev.mandate.kernel.jdbc.testing.TestDatabase;
import dev.mandate.kernel.ledger.verify.ChainRecord;
import dev.mandate.kernel.ledger.verify.Checkpoint;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code verify()} checks the chain in segments on several threads and links the segments
 * afterwards: whatever the segment size, it finds the same first problem as one pass over the
 * whole chain, in the middle of a segment and on either side of a boundary. Mostly segments of 7
 * (1–7, 8–14, 15–21, …); every result is compared with one pass and with other segment sizes. The
 * ledger writes a checkpoint after every 6 records: 7, 14, 21, … are checkpoints.
 */
class VerifyInSegmentsTest {
    private static final int SEGMENT = 7;
    private final TestDatabase database = TestDatabase.inMemory("ledger-" + UUID.randomUUID());
    private EvidenceLedgerImpl ledger;

    @BeforeEach
    void fill() {
        ledger = new EvidenceLedgerImpl(database, Clock.systemUTC(), new KeyPairSigner("node-1"), 6, 1000);
        for (int i = 1; i <= 86; i++) {
            ledger.append("decision", i, Map.of("decisionId", "d-" + i));
        }
    }

    @Test
    void anIntactChainVerifiesWhateverTheSegmentSize() {
        long stored = ledger.head().orElseThrow().sequence();
        assertThat(stored).as("86 records and a checkpoint after every 6").isEqualTo(100);
        for (int segment : new int[] {1, 2, SEGMENT, 99, 100, 101, 10_000}) {
            assertThat(ledger.verify(segment)).as("segments of %d", segment)
                    .isEqualTo(new VerificationResult(true, 100, 0, null));
        }
    }

    @Test
    void aChangedRecordInTheMiddleOfASegmentIsFoundAtItsSequence() throws Exception {
        database.execute("UPDATE mandate_evidence SET payload = '{\"decisionId\":\"forged\"}' WHERE seq = 10");

        assertSameAsOnePass(new VerificationResult(false, 10, 10, null), "hash mismatch: record 10 was changed");
    }

    @Test
    void aChangedFirstOrLastRecordOfASegmentIsFoundAtItsSequence() throws Exception {
        database.execute("UPDATE mandate_evidence SET model_revision = 99 WHERE seq = 21");
        assertSameAsOnePass(new VerificationResult(false, 21, 21, null), "hash mismatch: record 21 was changed");

        database.execute("UPDATE mandate_evidence SET payload = '{\"decisionId\":\"forged\"}' WHERE seq = 15");
        assertSameAsOnePass(new VerificationResult(false, 15, 15, null), "hash mismatch: record 15 was changed");
    }

    @Test
    void aRehashedLastRecordOfASegmentBreaksTheLinkFromTheNextSegment() throws Exception {
        forge(13); // the last of segments of 13 (and of 1); 14 is the checkpoint over it

        assertSameAsOnePass(new VerificationResult(false, 14, 14, null), "broken link: record 14 does not link to record 13");
    }

    @Test
    void aRehashedRecordInTheMiddleOfASegmentBreaksTheLinkOfTheNext() throws Exception {
        forge(40);

        assertSameAsOnePass(new VerificationResult(false, 41, 41, null), "broken link: record 41 does not link to record 40");
    }

    @Test
    void aRemovedFirstRecordOfASegmentIsAGap() throws Exception {
        database.execute("DELETE FROM mandate_evidence WHERE seq = 15");

        assertSameAsOnePass(new VerificationResult(false, 14, 15, null),
                "sequence gap: record 15 is missing (the next stored record is 16)");
    }

    @Test
    void removedLastRecordsOfASegmentAreAGap() throws Exception {
        database.execute("DELETE FROM mandate_evidence WHERE seq IN (13, 14)");

        assertSameAsOnePass(new VerificationResult(false, 12, 13, null),
                "sequence gap: record 13 is missing (the next stored record is 15)");
    }

    @Test
    void aRemovedWholeSegmentIsAGap() throws Exception {
        database.execute("DELETE FROM mandate_evidence WHERE seq >= 15 AND seq <= 21");

        assertSameAsOnePass(new VerificationResult(false, 14, 15, null),
                "sequence gap: record 15 is missing (the next stored record is 22)");
    }

    @Test
    void aForgedCheckpointSignatureAtTheStartOfASegmentIsFound() throws Exception {
        // the second checkpoint, 14: the first record of a segment of 13, the last of one of 7
        EvidenceRecord checkpoint = ledger.read(14, 1).get(0);
        assertThat(checkpoint.type()).isEqualTo(Checkpoint.TYPE);
        long at = checkpoint.sequence();
        String forged = new CanonicalJson().write(Map.of("algorithm", "Ed25519", "hash", checkpoint.previousHash(),
                "keyId", "node-1", "sequence", at - 1, "signature", "AAAA"));
        database.execute("UPDATE mandate_evidence SET payload = '" + forged + "', record_hash = '"
                + new ChainRecord(at, checkpoint.type(), ChainRecord.timestamp(checkpoint.timestamp()),
                        checkpoint.modelRevision(), forged, checkpoint.previousHash(), "").computeHash()
                + "' WHERE seq = " + at);

        VerificationResult onePass = ledger.verify(Integer.MAX_VALUE);
        assertThat(onePass.valid()).isFalse();
        assertThat(onePass.firstInvalid()).as(onePass.problem()).isEqualTo(at);
        assertThat(onePass.problem()).startsWith("bad checkpoint: checkpoint 14");
        for (int segment : new int[] {1, 2, SEGMENT, 13}) {
            assertThat(ledger.verify(segment)).as("segments of %d", segment).isEqualTo(onePass);
        }
    }

    /** Rewrites record {@code sequence}'s payload and hash as a forger would, leaving its link intact. */
    private void forge(long sequence) throws Exception {
        EvidenceRecord record = ledger.read(sequence, 1).get(0);
        String payload = "{\"decisionId\":\"forged\"}";
        String hash = new ChainRecord(sequence, record.type(), ChainRecord.timestamp(record.timestamp()),
                record.modelRevision(), payload, record.previousHash(), "").computeHash();
        database.execute("UPDATE mandate_evidence SET payload = '" + payload + "', record_hash = '" + hash
                + "' WHERE seq = " + sequence);
    }

    /** The result of one pass, and the same from segments of every size around the boundaries. */
    private void assertSameAsOnePass(VerificationResult expected, String problemStart) {
        VerificationResult onePass = ledger.verify(Integer.MAX_VALUE);
        assertThat(onePass.valid()).isFalse();
        assertThat(onePass.checked()).as(onePass.problem()).isEqualTo(expected.checked());
        assertThat(onePass.firstInvalid()).as(onePass.problem()).isEqualTo(expected.firstInvalid());
        assertThat(onePass.problem()).startsWith(problemStart);
        for (int segment : new int[] {1, 2, 3, SEGMENT, 8, 13, 14, 50}) {
            assertThat(ledger.verify(segment)).as("segments of %d", segment).isEqualTo(onePass);
        }
        assertThat(ledger.verify()).isEqualTo(onePass);
    }
}
