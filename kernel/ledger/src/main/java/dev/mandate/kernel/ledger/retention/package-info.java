/**
 * What holds evidence back from retention: a service that still needs records of the ledger (an
 * exporter whose sinks have not acknowledged them) says from which sequence on they must be kept.
 */
@Version("1.0.0")
@Export
package dev.mandate.kernel.ledger.retention;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
