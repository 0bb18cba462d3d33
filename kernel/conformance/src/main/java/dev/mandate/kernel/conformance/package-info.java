/**
 * The live self-assessment of this instance against IOM Appendix A (conformance) and the
 * Appendix B maturity model, read from the running services. See {@code docs/conformance.md}.
 */
@Version("1.0.0")
@Export
package dev.mandate.kernel.conformance;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
