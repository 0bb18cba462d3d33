/**
 * Blueprint-derived intent: loaded blueprints, teams and the evaluation of their constraints (IOM §6, §7, §8).
 */
@Version("1.5.0")
@Export
package dev.mandate.api.intent;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
