package dev.mandate.kernel.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mandate.api.decision.ApprovalConflictException;
import dev.mandate.api.decision.ApprovalRefusedException;
import dev.mandate.api.decision.UnknownTargetException;
import dev.mandate.api.model.ModelUnavailableException;

import javax.ws.rs.NotAllowedException;
import javax.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

class ProblemMapperTest {

    private final ProblemMapper mapper = new ProblemMapper();

    @Test
    void anUnknownTargetIs404() {
        Response response = mapper.toResponse(new UnknownTargetException("aws:ec2:instance:r:a:i-1"));

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(response.getMediaType().toString()).isEqualTo("application/problem+json");
        assertThat(((Problem) response.getEntity()).detail()).isEqualTo("no element 'aws:ec2:instance:r:a:i-1' in the model");
    }

    @Test
    void invalidInputIs400AndAnUnavailableModel503() {
        assertThat(mapper.problemFor(new IllegalArgumentException("actor is missing")).status()).isEqualTo(400);
        assertThat(mapper.problemFor(new ModelUnavailableException("model is loading", null)).status()).isEqualTo(503);
    }

    @Test
    void aRefusedApprovalIs403AndOneNoLongerOpen409() {
        assertThat(mapper.problemFor(new ApprovalRefusedException("'lars' asked for this change and cannot approve it"))
                .status()).isEqualTo(403);
        Problem conflict = mapper.problemFor(new ApprovalConflictException("approval request 'a-1' is approved and can"
                + " no longer be decided"));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.type()).endsWith("/approval-conflict");
    }

    @Test
    void unexpectedFailuresHideTheirInternals() {
        Problem problem = mapper.problemFor(new NullPointerException("secret internal detail"));

        assertThat(problem.status()).isEqualTo(500);
        assertThat(problem.detail()).doesNotContain("secret").contains("incident");
    }

    @Test
    void jaxRsStatusErrorsKeepTheirStatus() {
        assertThat(mapper.problemFor(new NotAllowedException("GET")).status()).isEqualTo(405);
    }
}
