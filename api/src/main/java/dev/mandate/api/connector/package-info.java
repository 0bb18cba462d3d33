/**
 * The state connector SPI: how a bundle feeds observations of real infrastructure into the model.
 */
@Version("1.0.0")
@Export
package dev.mandate.api.connector;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
