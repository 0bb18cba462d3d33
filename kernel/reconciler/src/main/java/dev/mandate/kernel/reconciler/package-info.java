/**
 * The reconciler's status: when each state connector last ran, how it went, and a way to run one
 * now. Shell commands, REST resources and health checks read it.
 */
@Version("1.0.0")
@Export
package dev.mandate.kernel.reconciler;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
