package dev.mandate.enforce.kubernetes.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.decision.Reason;
import dev.mandate.api.enforcement.InvalidChangeException;
import dev.mandate.enforce.kubernetes.AdmissionReview;

/** The shared admission samples, read in place, and an adapter configured as an operator would. */
final class Fixtures {

    static final Path SAMPLES = Path.of("/work/shared/fixtures/k8s-admission");

    private Fixtures() {
    }

    static Settings settings(boolean failOpen) {
        return Settings.of("Prod-EU", new String[] {
            "default: environment=prod, trustZone=eu-internal, podSecurity=restricted, owner=team-web; "
                + "payments: environment=prod, trustZone=pci-cde, podSecurity=restricted, owner=team-payments",
            "dev-*: environment=dev, podSecurity=privileged, owner=team-dev"},
            "staging", "eu-internal", "baseline", failOpen ? "fail-open" : "fail-closed", new String[] {"kube-system"},
            new String[] {"system:node:*", "system:kube-scheduler"}, new String[] {"agent-*"});
    }

    static AdmissionReviewAdapter adapter() {
        return new AdmissionReviewAdapter(settings(false));
    }

    static AdmissionReview review(String file) {
        try (InputStream in = Files.newInputStream(SAMPLES.resolve(file))) {
            return AdmissionReview.parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InvalidChangeException e) {
            throw new AssertionError(file + " does not parse at " + e.path() + ": " + e.getMessage(), e);
        }
    }

    static Admission read(String file) {
        try {
            return adapter().read(review(file));
        } catch (InvalidChangeException e) {
            throw new AssertionError(file + " is malformed at " + e.path() + ": " + e.getMessage(), e);
        }
    }

    static Decision decision(String id, Outcome outcome, List<Reason> reasons, List<String> obligations,
            List<String> approvers, String approvalId) {
        return new Decision(id, outcome, reasons, obligations, null, approvers, 42, List.of(), "sha256:" + id,
                Instant.parse("2026-11-26T10:00:00Z"), outcome == Outcome.ALLOW ? "grant-" + id : null, false,
                approvalId);
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Map<String, Object> map, String... path) {
        Object value = map;
        for (String step : path) {
            if (value instanceof List<?> list) {
                value = list.get(Integer.parseInt(step));
            } else {
                value = ((Map<String, Object>) value).get(step);
            }
        }
        return (T) value;
    }
}
