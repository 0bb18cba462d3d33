package dev.mandate.tools.evidence;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

import dev.mandate.kernel.ledger.verify.ChainRecord;
import dev.mandate.kernel.ledger.verify.ChainVerifier;
import dev.mandate.kernel.ledger.verify.Finding;

/**
 * {@code java -jar mandate-evidence.jar verify <export.jsonl> [--key <pub.pem>]...}: checks an
 * exported evidence file offline with the ledger's own verification code. Prints one line per
 * problem, naming the record's sequence and hash and whether it was changed, removed, reordered or
 * inserted, then a summary.
 *
 * <p>Exit codes: {@value #INTACT} the chain is intact and every checkpoint's signature holds;
 * {@value #TAMPERED} a record was changed, removed, reordered or inserted, or a checkpoint's
 * signature does not hold; {@value #UNUSABLE} bad arguments, an unreadable file or key, or a line
 * that is no evidence record; {@value #UNSIGNED} the chain is intact but no signature could vouch
 * for it (no {@code --key} given, or no checkpoint in the file).
 */
public final class EvidenceCli {
    static final int INTACT = 0;
    static final int TAMPERED = 1;
    static final int UNUSABLE = 2;
    static final int UNSIGNED = 3;

    private static final String USAGE = "usage: java -jar mandate-evidence.jar verify <export.jsonl> [--key <pub.pem>]...";

    private EvidenceCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2 || !args[0].equals("verify")) {
            err.println(USAGE);
            return UNUSABLE;
        }
        Path file = Path.of(args[1]);
        List<PublicKey> keys = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            if (!args[i].equals("--key") || i + 1 == args.length) {
                err.println("unknown argument '" + args[i] + "'");
                err.println(USAGE);
                return UNUSABLE;
            }
            Path keyFile = Path.of(args[++i]);
            try {
                keys.addAll(dev.mandate.kernel.ledger.verify.Checkpoint.readPem(
                        Files.readString(keyFile, StandardCharsets.US_ASCII)));
            } catch (IOException | IllegalArgumentException e) {
                err.println("key file '" + keyFile + "' cannot be used: " + e.getMessage());
                return UNUSABLE;
            }
        }
        List<ChainRecord> records = new ArrayList<>();
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = lines.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    records.add(ChainRecord.fromJsonLine(line));
                } catch (IllegalArgumentException e) {
                    err.println("line " + number + " of '" + file + "' is no evidence record: " + e.getMessage());
                    return UNUSABLE;
                }
            }
        } catch (IOException e) {
            err.println("evidence file '" + file + "' cannot be read: " + e.getMessage());
            return UNUSABLE;
        }
        // a ledger whose oldest records were pruned starts after them, anchored by its signed retention summary
        ChainVerifier.Start start = ChainVerifier.start(records, keys);
        ChainVerifier.Report report = ChainVerifier.diagnose(records, keys, start.firstSequence(), start.anchorHash());
        for (Finding finding : report.findings()) {
            out.println(finding.kind() + " record " + finding.sequence()
                    + (finding.hash() == null ? "" : " " + finding.hash()) + ": " + finding.message());
        }
        if (!report.intact()) {
            out.printf("TAMPERED: %d problem(s) in %d records%n", report.findings().size(), report.records());
            return TAMPERED;
        }
        if (keys.isEmpty() || report.checkpoints() == 0) {
            out.printf("chain intact: %d records, every hash and link holds; %s%n", report.records(),
                    keys.isEmpty() ? "no --key given, so no checkpoint signature was checked"
                            : "no checkpoint in the file vouches for it");
            return UNSIGNED;
        }
        out.printf("verified: %d records, every hash and link holds, %d checkpoint signature(s) good; records 1 to %d"
                + " are signed%s%n", report.records(), report.checkpoints(), report.lastSigned(),
                report.lastSigned() < report.last() ? ", records after " + report.lastSigned()
                        + " are chained but not yet covered by a checkpoint" : "");
        return INTACT;
    }
}
