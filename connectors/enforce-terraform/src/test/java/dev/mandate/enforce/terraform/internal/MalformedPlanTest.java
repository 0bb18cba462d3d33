package dev.mandate.enforce.terraform.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mandate.api.enforcement.InvalidChangeException;
import dev.mandate.enforce.terraform.TerraformPlan;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** A malformed plan is refused with the JSON pointer of what is wrong and a one-line reason. */
class MalformedPlanTest {

    private final TerraformPlanAdapter adapter = PlanFixtures.adapter();

    private static String plan(String changes) {
        return "{\"format_version\":\"1.2\",\"resource_changes\":[" + changes + "]}";
    }

    private static String change(String address, String type, String actions) {
        return "{\"address\":\"" + address + "\",\"mode\":\"managed\"," + (type == null ? "" : "\"type\":\"" + type + "\",")
                + "\"change\":{\"actions\":" + actions + ",\"before\":null,\"after\":{\"bucket\":\"b\"}}}";
    }

    private static final String GOOD = change("aws_s3_bucket.a", "aws_s3_bucket", "[\"create\"]");

    private AbstractThrowableAssert<?, ?> refused(String json, String path) {
        return assertThatThrownBy(() -> adapter.toRequests(TerraformPlan.parse(json)))
                .isInstanceOfSatisfying(InvalidChangeException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.path()).isEqualTo(path))
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage()).doesNotContain("\n")
                        .matches("^[a-z].*"));
    }

    @Test
    void aResourceChangeWithoutType() {
        refused(plan(GOOD + "," + GOOD + "," + GOOD + "," + change("aws_s3_bucket.d", null, "[\"create\"]")),
                "/resource_changes/3/type").hasMessage("type is missing or not a string");
    }

    @Test
    void actionsThatAreNoArray() {
        refused(plan(GOOD + "," + change("aws_s3_bucket.b", "aws_s3_bucket", "\"create\"")),
                "/resource_changes/1/change/actions").hasMessageContaining("actions must be an array");
    }

    @Test
    void anUnknownAction() {
        refused(plan(change("aws_s3_bucket.b", "aws_s3_bucket", "[\"delete\",\"explode\"]")),
                "/resource_changes/0/change/actions/1").hasMessageStartingWith("unknown action 'explode'");
    }

    @Test
    void anUnsupportedCombinationOfActions() {
        refused(plan(change("aws_s3_bucket.b", "aws_s3_bucket", "[\"update\",\"delete\"]")),
                "/resource_changes/0/change/actions").hasMessageContaining("'update,delete'");
        refused(plan(change("aws_s3_bucket.b", "aws_s3_bucket", "[]")), "/resource_changes/0/change/actions")
                .hasMessage("actions is empty");
    }

    @Test
    void resourceChangesThatAreNoArrayOrNoObjects() {
        refused("{\"format_version\":\"1.0\",\"resource_changes\":{}}", "/resource_changes");
        refused(plan("42"), "/resource_changes/0").hasMessage("a resource change must be an object");
        refused(plan("{\"address\":\"a.b\",\"type\":\"aws_s3_bucket\"}"), "/resource_changes/0/change");
        refused(plan("{\"address\":\"a.b\",\"type\":\"aws_s3_bucket\",\"change\":{\"actions\":[\"update\"],\"before\":[1]}}"),
                "/resource_changes/0/change/before").hasMessage("before must be an object or null");
    }

    @Test
    void aFormatVersionThatIsMissingOrUnsupported() {
        refused("{\"resource_changes\":[]}", "/format_version").hasMessageContaining("format_version is missing");
        refused("{\"format_version\":\"2.0\",\"resource_changes\":[]}", "/format_version")
                .hasMessage("unsupported plan format version '2.0' (supported: 0.1, 0.2, 1.x)");
        refused("{\"format_version\":\"0.3\"}", "/format_version");
    }

    @Test
    void somethingThatIsNoPlan() {
        assertThatThrownBy(() -> TerraformPlan.parse("[1,2]")).isInstanceOfSatisfying(InvalidChangeException.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.path()).isEqualTo("/"))
                .hasMessage("a terraform plan is a json object, not array");
        assertThatThrownBy(() -> TerraformPlan.parse("{\"format_version\": ")).isInstanceOf(InvalidChangeException.class)
                .hasMessageStartingWith("the plan is not valid json at line 1, column");
        assertThatThrownBy(() -> TerraformPlan.parse("")).isInstanceOf(InvalidChangeException.class)
                .hasMessageStartingWith("the plan is empty");
    }
}
