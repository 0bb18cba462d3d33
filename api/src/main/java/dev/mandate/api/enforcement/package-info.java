/**
 * The enforcement adapter SPI: how an external change format becomes action requests and a decision goes back.
 */
@Version("1.2.0")
@Export
package dev.mandate.api.enforcement;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
