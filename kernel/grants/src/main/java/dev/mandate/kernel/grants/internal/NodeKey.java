package dev.mandate.kernel.grants.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The node's Ed25519 signing key, kept as PEM files (PKCS#8 private, X.509 public) in a folder
 * under Karaf's data directory. Created on first use, read afterwards; the private key file is
 * readable by its owner only.
 */
final class NodeKey {

    /** The DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519; the raw key follows it. */
    private static final int X509_ED25519_PREFIX = 12;

    private final KeyPair keyPair;
    private final String keyId;
    // the raw seed and public key, for Bouncy Castle's Ed25519: the JDK 17 provider spends about
    // 0.5 ms of CPU per signature, Bouncy Castle about 30 µs, and both give the same signature
    private final byte[] seed;
    private final byte[] rawPublicKey;

    private NodeKey(KeyPair keyPair) {
        this.keyPair = keyPair;
        this.rawPublicKey = rawPublicKey(keyPair.getPublic());
        this.keyId = thumbprint(rawPublicKey);
        if (!(keyPair.getPrivate() instanceof EdECPrivateKey edec) || edec.getBytes().isEmpty()) {
            throw new IllegalStateException("the node key is not an Ed25519 private key with its seed");
        }
        this.seed = edec.getBytes().get();
    }

    /** The Ed25519 signature (RFC 8032, pure) of {@code data}. Thread-safe. */
    byte[] sign(byte[] data) {
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(seed, 0, rawPublicKey, 0, data, 0, data.length, signature, 0);
        return signature;
    }

    static NodeKey loadOrCreate(Path folder) {
        Path privateFile = folder.resolve("node-ed25519.key.pem");
        Path publicFile = folder.resolve("node-ed25519.pub.pem");
        try {
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            if (Files.exists(privateFile) && Files.exists(publicFile)) {
                PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(pem(privateFile)));
                PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(pem(publicFile)));
                return new NodeKey(new KeyPair(publicKey, privateKey));
            }
            KeyPair created = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Files.createDirectories(folder);
            writePem(privateFile, "PRIVATE KEY", created.getPrivate().getEncoded(), true);
            writePem(publicFile, "PUBLIC KEY", created.getPublic().getEncoded(), false);
            return new NodeKey(created);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the node key in '" + folder + "'", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the node key in '" + folder + "' is not an Ed25519 key pair", e);
        }
    }

    PrivateKey privateKey() {
        return keyPair.getPrivate();
    }

    PublicKey publicKey() {
        return keyPair.getPublic();
    }

    String keyId() {
        return keyId;
    }

    byte[] rawPublicKey() {
        return rawPublicKey(keyPair.getPublic());
    }

    private static byte[] rawPublicKey(PublicKey key) {
        byte[] encoded = key.getEncoded();
        return Arrays.copyOfRange(encoded, X509_ED25519_PREFIX, encoded.length);
    }

    /** RFC 7638 JWK thumbprint of the OKP key. */
    private static String thumbprint(byte[] raw) {
        String x = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        String canonical = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + x + "\"}";
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static byte[] pem(Path file) throws IOException {
        String body = Files.readString(file, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }

    private static void writePem(Path file, String type, byte[] der, boolean secret) throws IOException {
        String pem = "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
        Files.writeString(file, pem, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
        if (secret) {
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the folder's own permissions protect it
            }
        }
    }
}
