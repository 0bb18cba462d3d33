/**
 * Actors, action requests and decisions: legitimacy before execution (IOM §7, §10, §11, §12).
 */
@Version("1.3.0")
@Export
package dev.mandate.api.decision;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
