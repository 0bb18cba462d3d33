/**
 * Checking intent documents (blueprints, teams) without loading them.
 */
@Version("1.0.0")
@Export
package dev.mandate.kernel.intent;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
