package dev.mandate.enforce.terraform.internal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What Terraform Cloud / Enterprise sends to a run task (payload version 1), as far as Mandate uses it.
 *
 * @param stage                 {@code pre_plan}, {@code post_plan}, {@code pre_apply} or {@code post_apply}
 * @param accessToken           the bearer token for the plan download and the callback ({@code test-token} when
 *                              Terraform only checks that the endpoint answers)
 * @param callbackUrl           where the result is PATCHed
 * @param planJsonUrl           where the plan JSON is downloaded, {@code null} before the plan exists
 * @param taskResultId          the task result this request is for
 * @param runId                 the run
 * @param runMessage            the run's message
 * @param runCreatedBy          who started the run
 * @param organization          the organization
 * @param workspace             the workspace
 * @param speculative           a plan-only run that can never be applied
 */
record RunTaskRequest(String stage, String accessToken, String callbackUrl, String planJsonUrl, String taskResultId,
        String runId, String runMessage, String runCreatedBy, String organization, String workspace,
        boolean speculative) {

    /** The access token Terraform sends when it only checks that the run task answers. */
    static final String TEST_TOKEN = "test-token";

    /**
     * Reads the payload.
     *
     * @throws IllegalArgumentException naming the field that is missing or wrong
     */
    static RunTaskRequest of(JsonNode payload) {
        if (payload == null || !payload.isObject()) {
            throw new IllegalArgumentException("a run task request is a json object");
        }
        int version = payload.path("payload_version").asInt(-1);
        if (version != 1) {
            throw new IllegalArgumentException("payload_version '" + payload.path("payload_version").asText()
                    + "' is not supported (supported: 1)");
        }
        return new RunTaskRequest(text(payload, "stage", true), text(payload, "access_token", true),
                text(payload, "task_result_callback_url", true), text(payload, "plan_json_api_url", false),
                text(payload, "task_result_id", false), text(payload, "run_id", false),
                text(payload, "run_message", false), text(payload, "run_created_by", false),
                text(payload, "organization_name", false), text(payload, "workspace_name", false),
                payload.path("is_speculative").asBoolean(false));
    }

    /** Terraform only checks that the endpoint answers: nothing to decide, nobody to call back. */
    boolean isVerification() {
        return TEST_TOKEN.equals(accessToken);
    }

    /** The run, for messages and the justification: {@code run-… in org/workspace}. */
    String describe() {
        return (runId == null ? "a run" : "run " + runId) + " in " + organization + "/" + workspace;
    }

    private static String text(JsonNode payload, String field, boolean required) {
        JsonNode value = payload.path(field);
        if (value.isTextual() && !value.asText().isBlank()) {
            return value.asText();
        }
        if (required) {
            throw new IllegalArgumentException("'" + field + "' is missing from the run task request");
        }
        return null;
    }
}
