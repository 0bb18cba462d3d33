/**
 * Caller authentication: who calls an HTTP endpoint that acts on a caller's behalf, as the kernel's configured
 * methods (OAuth 2 access tokens, API tokens, a JAAS realm) say.
 */
@Version("1.0.0")
@Export
package dev.mandate.api.auth;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
