package dev.mandate.kernel.ledger.internal;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.mandate.api.evidence.EvidenceSigner;
import dev.mandate.kernel.ledger.verify.Checkpoint;

/** A real Ed25519 key pair made for one test, signing as the node key does. */
public final class KeyPairSigner implements EvidenceSigner {
    private final KeyPair keys;
    private final String keyId;

    public KeyPairSigner(String keyId) {
        try {
            this.keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        this.keyId = keyId;
    }

    @Override
    public String keyId() {
        return keyId;
    }

    @Override
    public PublicKey publicKey() {
        return keys.getPublic();
    }

    @Override
    public Map<String, Object> publicKeys() {
        byte[] encoded = keys.getPublic().getEncoded();
        String x = Base64.getUrlEncoder().withoutPadding().encodeToString(
                Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
        return Map.of("keys", List.of(Map.of("kty", "OKP", "crv", "Ed25519", "x", x, "kid", keyId)));
    }

    /** The public key as PEM text, as {@code GET /evidence/keys} publishes it. */
    public String publicKeyPem() {
        return Checkpoint.pem(keys.getPublic());
    }

    @Override
    public byte[] sign(byte[] data) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(keys.getPrivate());
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
