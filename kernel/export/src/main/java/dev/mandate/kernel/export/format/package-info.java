/**
 * The ledger in the forms it is exported in: JSON Lines (what {@code mandate-evidence.jar} verifies),
 * OCSF events for SIEMs and NIST OSCAL assessment results for auditors. Pure functions, thread-safe.
 */
@Version("1.0.0")
@Export
package dev.mandate.kernel.export.format;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
