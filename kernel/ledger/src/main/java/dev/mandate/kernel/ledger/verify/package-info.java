/**
 * Verification of the evidence chain with nothing but the JDK: RFC 8785 canonical JSON, the record
 * hash, the chain and checkpoint checks. The ledger verifies its table with it, and the offline
 * {@code mandate-evidence.jar} verifies exported files with it, so both apply one definition.
 */
@Version("1.0.0")
@Export
package dev.mandate.kernel.ledger.verify;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
