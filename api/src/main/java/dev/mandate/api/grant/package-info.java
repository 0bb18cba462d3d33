/**
 * Execution grants: least privilege during execution (IOM §10 "during", §11). An ALLOW carries a
 * short-lived, signed grant that names exactly the changes allowed; tools present it and a change
 * outside it is refused.
 */
@Version("1.0.0")
@Export
package dev.mandate.api.grant;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
