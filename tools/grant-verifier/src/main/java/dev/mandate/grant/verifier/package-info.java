/**
 * Checks Mandate execution grants with nothing but the JDK: a control plane, a CI step or an adapter bundle
 * asks {@link dev.mandate.grant.verifier.GrantVerifier} whether a grant is genuine (EdDSA over Ed25519, a key of
 * the node's JWKS), unexpired, issued to the actor presenting it, and covers the change about to be applied.
 */
@Version("1.0.0")
@Export
package dev.mandate.grant.verifier;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
