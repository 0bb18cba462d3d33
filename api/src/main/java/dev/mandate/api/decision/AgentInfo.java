package dev.mandate.api.decision;

/**
 * What an AI actor must declare about itself (IOM §12).
 *
 * @param model        the agent's model id
 * @param promptSha256 the SHA-256 of the prompt or plan that led to the request
 */
public record AgentInfo(String model, String promptSha256) {

    /** Whether both fields are present. */
    public boolean isComplete() {
        return model != null && !model.isBlank() && promptSha256 != null && !promptSha256.isBlank();
    }
}
