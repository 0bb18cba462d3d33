/**
 * The tamper-evident evidence ledger and the SPI for exporting it (IOM §9, §10).
 */
@Version("1.3.0")
@Export
package dev.mandate.api.evidence;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
