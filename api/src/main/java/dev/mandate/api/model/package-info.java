/**
 * The canonical infrastructure model: elements, relations, layers and revisions (IOM §5).
 */
@Version("1.2.0")
@Export
package dev.mandate.api.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
