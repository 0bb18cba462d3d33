package dev.mandate.api.enforcement;

import java.util.List;

import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Decision;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Puts Mandate in the path of change of an external tool: translates the tool's change document
 * (a Terraform plan, an AdmissionReview, an AuthZEN request) into action requests, and the
 * decisions back into the tool's answer.
 *
 * @param <I> the parsed input document
 * @param <O> the answer the tool expects
 */
@ConsumerType
public interface EnforcementAdapter<I, O> {

    /** A stable id ({@code terraform}, {@code kubernetes}, {@code mcp}, {@code authzen}). */
    String id();

    /**
     * The action requests the document proposes, in document order.
     *
     * @throws InvalidChangeException when the document is malformed, with the path that is wrong
     */
    List<ActionRequest> toRequests(I input) throws InvalidChangeException;

    /** The tool's answer for {@code input}, given one decision per request, in the same order. */
    O toResponse(I input, List<Decision> decisions);
}
