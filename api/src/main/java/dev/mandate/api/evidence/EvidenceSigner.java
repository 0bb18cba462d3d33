package dev.mandate.api.evidence;

import java.security.PublicKey;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The node's signing key as the ledger uses it to sign checkpoints of the chain. The private key
 * never leaves the implementation. Thread-safe.
 *
 * @since 1.1.0
 */
@ProviderType
public interface EvidenceSigner {

    /** The key's id (RFC 7638 thumbprint), named in every signature it makes. */
    String keyId();

    /** The Ed25519 public key that verifies {@link #sign} signatures. */
    PublicKey publicKey();

    /** The public key as a JWK set (RFC 7517, an OKP key of curve Ed25519 named by its key id). */
    Map<String, Object> publicKeys();

    /**
     * An Ed25519 signature over {@code data}. May read the key from disk on first use.
     *
     * @throws IllegalStateException when the key cannot be read or used
     */
    byte[] sign(byte[] data);
}
