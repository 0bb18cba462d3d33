/**
 * The reconciler's status: when each state connector last ran and how it went, a way to run one now,
 * the Camel routes that run them, and the current drift findings. Shell commands, REST resources and
 * health checks read it.
 */
@Version("1.3.0")
@Export
package dev.mandate.kernel.reconciler;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
