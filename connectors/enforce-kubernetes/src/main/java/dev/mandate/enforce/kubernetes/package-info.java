/**
 * The Kubernetes admission webhook: an AdmissionReview v1 in, one decision per reviewed change and an
 * AdmissionReview v1 answer out. Served at {@code POST /mandate/v1/enforce/kubernetes/admission}.
 * {@link dev.mandate.enforce.kubernetes.KubernetesElementIds} builds the element ids of {@code docs/ids.md}
 * for any producer that talks about Kubernetes objects.
 */
@Version("1.0.0")
@Export
package dev.mandate.enforce.kubernetes;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
