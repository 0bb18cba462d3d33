package dev.mandate.kernel.ledger.verify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;

/**
 * One evidence record as it is hashed and exported.
 *
 * <p>The hash is {@code sha256:<hex>} of the UTF-8 bytes of the RFC 8785 canonical JSON of
 * {@code {modelRevision, payload, previousHash, sequence, timestamp, type}}; {@code timestamp} is
 * ISO-8601 UTC with exactly three fraction digits; the first record links to {@link #GENESIS}.
 * The payload enters the hash as its stored canonical text: records of format 2 store it in RFC
 * 8785 form; records of format 1 (written before RFC 8785 was adopted) store it as Jackson wrote
 * it with sorted keys, which is the same text for payloads of strings, integers, booleans, lists
 * and objects.
 *
 * <p>An exported record is one line of JSON (JSON Lines): these fields plus {@code hash}, the
 * payload as a JSON object.
 *
 * @param sequence      position in the chain, from 1
 * @param type          the record type
 * @param timestamp     ISO-8601 UTC with milliseconds, as hashed
 * @param modelRevision the model revision in force
 * @param payloadJson   the payload's canonical text
 * @param previousHash  the hash of the record before
 * @param hash          the stored hash of this record
 */
public record ChainRecord(long sequence, String type, String timestamp, long modelRevision, String payloadJson,
        String previousHash, String hash) {

    /** The hash a first record links to. */
    public static final String GENESIS = "sha256:" + "0".repeat(64);

    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** The timestamp text of an instant as hashed: UTC, exactly three fraction digits. */
    public static String timestamp(Instant instant) {
        return timestamp(LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC));
    }

    /** The timestamp text of a UTC date and time as hashed: exactly three fraction digits (truncated). */
    public static String timestamp(LocalDateTime utc) {
        int year = utc.getYear();
        if (year < 0 || year > 9999) {
            return MILLIS.format(utc.toInstant(ZoneOffset.UTC));
        }
        // by hand: the formatter costs as much as hashing the record, and verification does this per record
        char[] text = new char[24];
        digits(text, 0, year, 4);
        text[4] = '-';
        digits(text, 5, utc.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, utc.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, utc.getHour(), 2);
        text[13] = ':';
        digits(text, 14, utc.getMinute(), 2);
        text[16] = ':';
        digits(text, 17, utc.getSecond(), 2);
        text[19] = '.';
        digits(text, 20, utc.getNano() / 1_000_000, 3);
        text[23] = 'Z';
        return new String(text);
    }

    private static void digits(char[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * The SHA-256 state after the part of the hash input that comes before the record's place in the
     * chain ({@code modelRevision}, {@code payload}): what a writer can hash before it knows the
     * sequence and the previous hash. {@link #hash(MessageDigest, String, long, String, String)}
     * finishes it; together they give {@link #computeHash()}'s value.
     */
    public static MessageDigest hashPrefix(long modelRevision, String payloadJson) {
        StringBuilder out = new StringBuilder(payloadJson.length() + 80);
        out.append("{\"modelRevision\":").append(Jcs.number(modelRevision)).append(",\"payload\":").append(payloadJson)
                .append(",\"previousHash\":");
        MessageDigest digest = SHA256.get();
        digest.update(out.toString().getBytes(StandardCharsets.UTF_8));
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the java runtime's sha-256 cannot be cloned", e);
        } finally {
            digest.reset();
        }
    }

    /** Finishes (and so consumes) a {@link #hashPrefix} with the record's place in the chain; {@code sha256:<hex>}. */
    public static String hash(MessageDigest prefix, String previousHash, long sequence, String timestamp, String type) {
        StringBuilder out = new StringBuilder(160);
        Jcs.string(previousHash, out);
        out.append(",\"sequence\":").append(Jcs.number(sequence)).append(",\"timestamp\":");
        Jcs.string(timestamp, out);
        out.append(",\"type\":");
        Jcs.string(type, out);
        out.append('}');
        return "sha256:" + HEX.formatHex(prefix.digest(out.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** The canonical JSON this record's hash is taken over. */
    public String hashInput() {
        StringBuilder out = new StringBuilder(payloadJson.length() + 256);
        out.append("{\"modelRevision\":").append(Jcs.number(modelRevision))
                .append(",\"payload\":").append(payloadJson)
                .append(",\"previousHash\":");
        Jcs.string(previousHash, out);
        out.append(",\"sequence\":").append(Jcs.number(sequence)).append(",\"timestamp\":");
        Jcs.string(timestamp, out);
        out.append(",\"type\":");
        Jcs.string(type, out);
        return out.append('}').toString();
    }

    /** The hash recomputed from the content (compare with {@link #hash()}). */
    public String computeHash() {
        return sha256(hashInput());
    }

    /** This record as one line of JSON, without the line break. */
    public String toJsonLine() {
        StringBuilder out = new StringBuilder(payloadJson.length() + 320);
        out.append("{\"hash\":");
        Jcs.string(hash, out);
        out.append(",\"modelRevision\":").append(Jcs.number(modelRevision))
                .append(",\"payload\":").append(payloadJson)
                .append(",\"previousHash\":");
        Jcs.string(previousHash, out);
        out.append(",\"sequence\":").append(Jcs.number(sequence)).append(",\"timestamp\":");
        Jcs.string(timestamp, out);
        out.append(",\"type\":");
        Jcs.string(type, out);
        return out.append('}').toString();
    }

    /**
     * Reads a record from one exported line; the payload is brought to canonical form.
     *
     * @throws IllegalArgumentException when the line is no record
     */
    public static ChainRecord fromJsonLine(String line) {
        if (!(Jcs.parse(line) instanceof Map<?, ?> fields)) {
            throw new IllegalArgumentException("an evidence line must be a json object");
        }
        if (!(fields.get("payload") instanceof Map<?, ?> payload)) {
            throw new IllegalArgumentException("an evidence line needs a 'payload' object");
        }
        return new ChainRecord(integer(fields, "sequence"), text(fields, "type"), text(fields, "timestamp"),
                integer(fields, "modelRevision"), Jcs.write(payload), text(fields, "previousHash"),
                text(fields, "hash"));
    }

    private static String text(Map<?, ?> fields, String name) {
        if (!(fields.get(name) instanceof String value)) {
            throw new IllegalArgumentException("an evidence line needs a string '" + name + "'");
        }
        return value;
    }

    private static long integer(Map<?, ?> fields, String name) {
        if (!(fields.get(name) instanceof Long value)) {
            throw new IllegalArgumentException("an evidence line needs an integer '" + name + "'");
        }
        return value;
    }

    /** {@code sha256:<hex>} of the UTF-8 bytes of {@code text}. */
    public static String sha256(String text) {
        return "sha256:" + HEX.formatHex(SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static final HexFormat HEX = HexFormat.of();
    /** One digest per thread: looking the algorithm up costs as much as hashing a record. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the java runtime has no sha-256", e);
        }
    });
}
