/**
 * Checking intent documents without loading them, and what operators ask about the intent in force
 * (blueprints in full, rejected sources, which blueprints govern an element).
 */
@Version("1.1.0")
@Export
package dev.mandate.kernel.intent;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
