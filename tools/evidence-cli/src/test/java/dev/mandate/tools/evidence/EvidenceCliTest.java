package dev.mandate.tools.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.mandate.kernel.export.internal.RealExport;
import dev.mandate.kernel.ledger.internal.EvidenceLedgerImpl;
import dev.mandate.kernel.ledger.internal.KeyPairSigner;
import dev.mandate.kernel.ledger.verify.ChainRecord;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real ledger (H2, checkpoints every 10 records signed by an Ed25519 key) exported through the
 * kernel's exporter and file sink, then tampered with in each of the four ways.
 */
class EvidenceCliTest {
    @TempDir
    Path folder;

    private final KeyPairSigner node = new KeyPairSigner("node-1");
    private EvidenceLedgerImpl ledger;
    private Path export;
    private Path key;
    private List<String> lines;

    /** Output and exit code of one run. */
    private record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void exportARealLedger() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        ledger = new EvidenceLedgerImpl(h2, Clock.systemUTC(), node, 10, 1000);
        for (int i = 1; i <= 42; i++) {
            ledger.append("decision", 1000 + i, Map.of("decisionId", "d-" + i, "outcome", i % 3 == 0 ? "DENY" : "ALLOW",
                    "actor", Map.of("id", "alice", "kind", "HUMAN"), "score", i / 8.0));
        }
        export = folder.resolve("export.jsonl");
        RealExport.toFile(ledger, export, folder.resolve("state"), 7);
        key = folder.resolve("pub.pem");
        Files.writeString(key, node.publicKeyPem());
        lines = new ArrayList<>(Files.readAllLines(export, StandardCharsets.UTF_8));
        assertThat(lines).hasSize(46); // 42 decisions and checkpoints at 11, 22, 33 and 44
    }

    private Run verify(String... extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("verify", export.toString()));
        args.addAll(List.of(extra));
        int exit = EvidenceCli.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private void rewrite(List<String> tampered) throws Exception {
        Files.write(export, tampered, StandardCharsets.UTF_8);
    }

    private int lineOf(long sequence) {
        for (int i = 0; i < lines.size(); i++) {
            if (ChainRecord.fromJsonLine(lines.get(i)).sequence() == sequence) {
                return i;
            }
        }
        throw new AssertionError("no line for record " + sequence);
    }

    @Test
    void anUntouchedExportVerifiesWithItsCheckpointSignatures() {
        Run run = verify("--key", key.toString());

        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(EvidenceCli.INTACT);
        assertThat(run.out()).contains("verified: 46 records").contains("4 checkpoint signature(s) good")
                .contains("records 1 to 43 are signed").contains("records after 43 are chained but not yet covered");
    }

    @Test
    void withoutAKeyAnIntactChainIsReportedUnsigned() {
        Run run = verify();

        assertThat(run.exit()).isEqualTo(EvidenceCli.UNSIGNED);
        assertThat(run.out()).contains("chain intact: 46 records").contains("no --key given");
    }

    @Test
    void aChangedRecordIsNamedBySequenceAndHash() throws Exception {
        int at = lineOf(7);
        String original = lines.get(at);
        lines.set(at, original.replace("\"outcome\":\"ALLOW\"", "\"outcome\":\"DENY\""));
        assertThat(lines.get(at)).isNotEqualTo(original);
        rewrite(lines);

        Run run = verify("--key", key.toString());

        assertThat(run.exit()).isEqualTo(EvidenceCli.TAMPERED);
        assertThat(run.out()).contains("CHANGED record 7 " + ChainRecord.fromJsonLine(original).hash()
                + ": record 7 was changed");
    }

    @Test
    void aChangedRecordWhoseHashWasRecomputedIsCaughtByTheLinkFromTheNext() throws Exception {
        int at = lineOf(7);
        ChainRecord original = ChainRecord.fromJsonLine(lines.get(at));
        String payload = original.payloadJson().replace("\"outcome\":\"ALLOW\"", "\"outcome\":\"DENY\"");
        ChainRecord unhashed = new ChainRecord(7, original.type(), original.timestamp(), original.modelRevision(),
                payload, original.previousHash(), "");
        lines.set(at, new ChainRecord(7, original.type(), original.timestamp(), original.modelRevision(), payload,
                original.previousHash(), unhashed.computeHash()).toJsonLine());
        rewrite(lines);

        Run run = verify("--key", key.toString());

        assertThat(run.exit()).isEqualTo(EvidenceCli.TAMPERED);
        assertThat(run.out()).contains("CHANGED record 7 " + unhashed.computeHash() + ": record 7 (hash "
                + unhashed.computeHash() + ") is not the record 8 links to");
    }

    @Test
    void aRemovedRecordIsNamed() throws Exception {
        lines.remove(lineOf(12));
        rewrite(lines);

        Run run = verify("--key", key.toString());

        assertThat(run.exit()).isEqualTo(EvidenceCli.TAMPERED);
        assertThat(run.out()).contains("REMOVED record 12: record 12 is missing");
    }

    @Test
    void reorderedRecordsAreNamed() throws Exception {
        int at = lineOf(15);
        String fifteen = lines.get(at);
        lines.set(at, lines.get(at + 1));
        lines.set(at + 1, fifteen);
        rewrite(lines);

        Run run = verify("--key", key.toString());

        assertThat(run.exit()).isEqualTo(EvidenceCli.TAMPERED);
        assertThat(run.out()).contains("REORDERED record 15 " + ChainRecord.fromJsonLine(fifteen).hash()
                + ": record 15 appears after record 16");
        assertThat(run.out()).doesNotContain("CHANGED").doesNotContain("REMOVED");
    }

    @Test
    void anInsertedRecordIsNamedEvenWhenItLinksAndHashesCorrectly() throws Exception {
        int at = lineOf(19);
        ChainRecord nineteen = ChainRecord.fromJsonLine(lines.get(at));
        String payload = "{\"decisionId\":\"forged\",\"outcome\":\"ALLOW\"}";
        String forgedHash = new ChainRecord(20, "decision", nineteen.timestamp(), nineteen.modelRevision(), payload,
                nineteen.hash(), "").computeHash();
        lines.add(at + 1, new ChainRecord(20, "decision", nineteen.timestamp(), nineteen.modelRevision(), payload,
                nineteen.hash(), forgedHash).toJsonLine());
        rewrite(lines);

        Run run = verify("--key", key.toString());

        assertThat(run.exit()).isEqualTo(EvidenceCli.TAMPERED);
        assertThat(run.out()).contains("INSERTED record 20 " + forgedHash + ": record 20 with hash " + forgedHash
                + " is not part of the chain");
    }

    @Test
    void anInsertedRecordWithEveryLaterRecordRenumberedAndRehashedIsCaughtByTheNextCheckpoint() throws Exception {
        int at = lineOf(19);
        List<String> forged = new ArrayList<>(lines.subList(0, at + 1));
        ChainRecord previous = ChainRecord.fromJsonLine(lines.get(at));
        List<ChainRecord> rest = new ArrayList<>();
        rest.add(new ChainRecord(20, "decision", previous.timestamp(), previous.modelRevision(),
                "{\"decisionId\":\"forged\",\"outcome\":\"ALLOW\"}", previous.hash(), ""));
        for (String line : lines.subList(at + 1, lines.size())) {
            ChainRecord record = ChainRecord.fromJsonLine(line);
            rest.add(new ChainRecord(record.sequence() + 1, record.type(), record.timestamp(), record.modelRevision(),
                    record.payloadJson(), "", ""));
        }
        String link = previous.hash();
        for (ChainRecord record : rest) {
            ChainRecord linked = new ChainRecord(record.sequence(), record.type(), record.timestamp(),
                    record.modelRevision(), record.payloadJson(), link, "");
            ChainRecord hashed = new ChainRecord(linked.sequence(), linked.type(), linked.timestamp(),
                    linked.modelRevision(), linked.payloadJson(), link, linked.computeHash());
            forged.add(hashed.toJsonLine());
            link = hashed.hash();
        }
        rewrite(forged);

        assertThat(verify().exit()).as("without a key the forgery is consistent").isEqualTo(EvidenceCli.UNSIGNED);
        Run run = verify("--key", key.toString());

        assertThat(run.exit()).isEqualTo(EvidenceCli.TAMPERED);
        assertThat(run.out()).contains("BAD_CHECKPOINT record 23").contains("BAD_CHECKPOINT record 34")
                .contains("BAD_CHECKPOINT record 45");
    }

    @Test
    void anExportOfAPrunedLedgerVerifiesFromItsRetentionSummary() throws Exception {
        java.time.Instant cutoff = ChainRecord.fromJsonLine(lines.get(lineOf(30))).timestamp().transform(
                java.time.Instant::parse);
        long pruned = ((Number) ledger.prune(cutoff).orElseThrow().payload().get("count")).longValue();
        assertThat(pruned).isPositive();
        export = folder.resolve("after-retention.jsonl");
        RealExport.toFile(ledger, export, folder.resolve("state-2"), 100);

        Run run = verify("--key", key.toString());

        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(EvidenceCli.INTACT);
        assertThat(run.out()).contains("verified: " + (47 - pruned) + " records");
        List<String> kept = Files.readAllLines(export, StandardCharsets.UTF_8);
        kept.remove(kept.size() - 1); // the summary itself
        Files.write(export, kept, StandardCharsets.UTF_8);
        assertThat(verify("--key", key.toString()).out()).contains("REMOVED record 1: records 1 to " + pruned
                + " are missing");
    }

    @Test
    void anotherNodesKeyDoesNotVouchForTheCheckpoints() throws Exception {
        Path other = folder.resolve("other.pem");
        Files.writeString(other, new KeyPairSigner("node-2").publicKeyPem());

        Run run = verify("--key", other.toString());

        assertThat(run.exit()).isEqualTo(EvidenceCli.TAMPERED);
        assertThat(run.out()).contains("BAD_CHECKPOINT record 11");
    }

    @Test
    void badArgumentsAndUnreadableLinesExitWithTwo() throws Exception {
        assertThat(verify("--kee", "x").exit()).isEqualTo(EvidenceCli.UNUSABLE);
        lines.set(3, "not json");
        rewrite(lines);
        Run run = verify("--key", key.toString());
        assertThat(run.exit()).isEqualTo(EvidenceCli.UNUSABLE);
        assertThat(run.err()).contains("line 4 of '" + export + "' is no evidence record");
    }
}
