package dev.mandate.kernel.grants.internal;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;

/**
 * EdDSA (Ed25519) for Nimbus JOSE without Tink: Nimbus builds and parses the JWS; the node key
 * signs (Bouncy Castle's RFC 8032 code, see {@link NodeKey#sign}) and the JDK's own provider
 * verifies.
 */
final class JdkEd25519 {
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.EdDSA);

    private JdkEd25519() {
    }

    static JWSSigner signer(NodeKey key) {
        return new JWSSigner() {
            private final JCAContext context = new JCAContext();

            @Override
            public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
                try {
                    return Base64URL.encode(key.sign(signingInput));
                } catch (RuntimeException e) {
                    throw new JOSEException("Ed25519 signing failed: " + e.getMessage(), e);
                }
            }

            @Override
            public Set<JWSAlgorithm> supportedJWSAlgorithms() {
                return ALGORITHMS;
            }

            @Override
            public JCAContext getJCAContext() {
                return context;
            }
        };
    }

    static JWSVerifier verifier(PublicKey key) {
        return new JWSVerifier() {
            private final JCAContext context = new JCAContext();

            @Override
            public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
                if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
                    return false;
                }
                try {
                    Signature verifier = Signature.getInstance("Ed25519");
                    verifier.initVerify(key);
                    verifier.update(signingInput);
                    return verifier.verify(signature.decode());
                } catch (GeneralSecurityException e) {
                    return false;
                }
            }

            @Override
            public Set<JWSAlgorithm> supportedJWSAlgorithms() {
                return ALGORITHMS;
            }

            @Override
            public JCAContext getJCAContext() {
                return context;
            }
        };
    }
}
