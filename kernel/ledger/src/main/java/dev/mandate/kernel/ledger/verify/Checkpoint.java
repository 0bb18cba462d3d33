package dev.mandate.kernel.ledger.verify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A checkpoint: a record of type {@value #TYPE} whose payload signs the record just before it in
 * the chain with the node's Ed25519 key. The payload is {@code {sequence, hash, keyId, algorithm,
 * signature}}; the signature (base64url, no padding) is over the UTF-8 bytes of the canonical JSON
 * {@code {"hash":…,"sequence":…}} of that record. Since each hash covers everything before it, a
 * good checkpoint vouches for the whole chain up to there.
 */
public final class Checkpoint {
    /** The record type of checkpoints. */
    public static final String TYPE = "evidence.checkpoint";
    /**
     * The record type of retention summaries: written when records are pruned, signing the last
     * pruned record the way a checkpoint does; its payload adds {@code fromSequence}, {@code count}
     * and {@code before}. The first kept record links to its {@code hash}.
     */
    public static final String RETENTION_TYPE = "evidence.retention";
    /** The signature algorithm named in checkpoints. */
    public static final String ALGORITHM = "Ed25519";

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

    private Checkpoint() {
    }

    /** The bytes a checkpoint signs for the record {@code sequence} with hash {@code hash}. */
    public static byte[] signingInput(long sequence, String hash) {
        StringBuilder out = new StringBuilder(120).append("{\"hash\":");
        Jcs.string(hash, out);
        out.append(",\"sequence\":").append(Jcs.number(sequence)).append('}');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The payload of a checkpoint for the record {@code sequence}, given its signature. */
    public static Map<String, Object> payload(long sequence, String hash, String keyId, byte[] signature) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("sequence", sequence);
        payload.put("hash", hash);
        payload.put("keyId", keyId);
        payload.put("algorithm", ALGORITHM);
        payload.put("signature", Base64.getUrlEncoder().withoutPadding().encodeToString(signature));
        return payload;
    }

    /**
     * Whether the checkpoint payload (as canonical text) carries a good signature by one of
     * {@code keys} over {@code sequence} and {@code hash}.
     */
    public static boolean verify(String payloadJson, long sequence, String hash, List<PublicKey> keys) {
        if (!(Jcs.parse(payloadJson) instanceof Map<?, ?> payload)
                || !(payload.get("signature") instanceof String encoded)
                || !Long.valueOf(sequence).equals(payload.get("sequence")) || !hash.equals(payload.get("hash"))) {
            return false;
        }
        byte[] signature;
        try {
            signature = Base64.getUrlDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] input = signingInput(sequence, hash);
        for (PublicKey key : keys) {
            try {
                Signature verifier = Signature.getInstance(ALGORITHM);
                verifier.initVerify(key);
                verifier.update(input);
                if (verifier.verify(signature)) {
                    return true;
                }
            } catch (GeneralSecurityException e) {
                // not an Ed25519 key or a malformed signature: this key does not vouch for it
            }
        }
        return false;
    }

    /** The hash a checkpoint or retention payload names, or {@code null}. */
    public static String signedHash(String payloadJson) {
        return Jcs.parse(payloadJson) instanceof Map<?, ?> payload && payload.get("hash") instanceof String hash
                ? hash : null;
    }

    /** The record a checkpoint payload names: its sequence, or -1 when it names none. */
    public static long signedSequence(String payloadJson) {
        return Jcs.parse(payloadJson) instanceof Map<?, ?> payload && payload.get("sequence") instanceof Long sequence
                ? sequence : -1;
    }

    /**
     * The Ed25519 public keys in PEM text ({@code -----BEGIN PUBLIC KEY-----}, X.509
     * SubjectPublicKeyInfo), in order.
     *
     * @throws IllegalArgumentException when there is none or one is no Ed25519 key
     */
    public static List<PublicKey> readPem(String pem) {
        List<PublicKey> keys = new ArrayList<>();
        Matcher matcher = PEM.matcher(pem);
        while (matcher.find()) {
            byte[] der = Base64.getMimeDecoder().decode(matcher.group(1));
            try {
                keys.add(KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der)));
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("a public key in the pem text is no ed25519 key: " + e.getMessage(), e);
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no 'BEGIN PUBLIC KEY' block in the pem text");
        }
        return keys;
    }

    /** The PEM text of a public key. */
    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }
}
