/**
 * JDBC support the kernel's relational stores share: versioned schema migrations.
 */
@Version("1.0.0")
@Export
package dev.mandate.kernel.jdbc;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
