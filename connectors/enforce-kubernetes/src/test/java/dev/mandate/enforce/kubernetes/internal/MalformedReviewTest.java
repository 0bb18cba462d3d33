package dev.mandate.enforce.kubernetes.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mandate.api.enforcement.InvalidChangeException;
import dev.mandate.enforce.kubernetes.AdmissionReview;

import org.junit.jupiter.api.Test;

/** A malformed review is refused with the JSON pointer of what is wrong. */
class MalformedReviewTest {

    private static final String USER = "\"userInfo\":{\"username\":\"alice\"}";
    private static final String KIND = "\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"}";

    @Test
    void notJsonOrNotAnObjectIsWrongAtTheRoot() {
        assertThat(error("{\"request\": ")).satisfies(e -> {
            assertThat(e.path()).isEqualTo("/");
            assertThat(e.getMessage()).startsWith("the admission review is not a valid json object at line 1");
        });
        assertThat(error("[1]").getMessage()).isEqualTo("an admission review is a json object, not array");
        assertThat(error("").getMessage()).isEqualTo("the admission review is empty");
    }

    @Test
    void theEnvelopeIsChecked() {
        assertThat(error("{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\",\"request\":{}}"))
                .satisfies(e -> {
                    assertThat(e.path()).isEqualTo("/apiVersion");
                    assertThat(e.getMessage()).contains("'admission.k8s.io/v1beta1'").contains("[v1]");
                });
        assertThat(error("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"Pod\",\"request\":{}}").path())
                .isEqualTo("/kind");
        assertThat(error("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}").path())
                .isEqualTo("/request");
        assertThat(error("{\"apiVersion\":\"admission.k8s.io/v1\",\"request\":[]}").getMessage())
                .isEqualTo("the request of an admission review is an object, not an array");
    }

    @Test
    void theRequestIsCheckedFieldByField() {
        assertThat(error(review("\"operation\":\"CREATE\"," + KIND + "," + USER + ",\"object\":{}")).path())
                .isEqualTo("/request/uid");
        assertThat(error(review("\"uid\":\"u\",\"operation\":\"PATCH\"," + KIND + "," + USER + ",\"object\":{}")))
                .satisfies(e -> {
                    assertThat(e.path()).isEqualTo("/request/operation");
                    assertThat(e.getMessage()).isEqualTo("operation 'PATCH' is unknown (known: CREATE, UPDATE, DELETE, "
                            + "CONNECT)");
                });
        assertThat(error(review("\"uid\":\"u\",\"operation\":\"CREATE\",\"kind\":{\"group\":\"\"}," + USER
                + ",\"object\":{}")).path()).isEqualTo("/request/kind/kind");
        assertThat(error(review("\"uid\":\"u\",\"operation\":\"CREATE\"," + KIND + ",\"userInfo\":{\"username\":"
                + "\"alice\",\"groups\":[\"a\",7]},\"object\":{}")).path()).isEqualTo("/request/userInfo/groups/1");
        assertThat(error(review("\"uid\":\"u\",\"operation\":\"CREATE\"," + KIND + ",\"userInfo\":{}"
                + ",\"object\":{}")).path()).isEqualTo("/request/userInfo/username");
        assertThat(error(review("\"uid\":\"u\",\"operation\":\"UPDATE\",\"name\":\"p\",\"namespace\":\"a\"," + KIND
                + "," + USER)).path()).isEqualTo("/request/object");
        assertThat(error(review("\"uid\":\"u\",\"operation\":\"CREATE\",\"namespace\":\"a\"," + KIND + "," + USER
                + ",\"object\":{\"metadata\":{}}")).path()).isEqualTo("/request/name");
        assertThat(error(review("\"uid\":\"u\",\"operation\":\"CREATE\",\"name\":\"a b\",\"namespace\":\"a\"," + KIND
                + "," + USER + ",\"object\":{}")).getMessage()).contains("'a b'");
        assertThat(error(review("\"uid\":\"u\",\"operation\":\"CREATE\",\"name\":\"b\",\"namespace\":\"a\","
                + "\"kind\":{\"group\":\"rbac.authorization.k8s.io\",\"kind\":\"RoleBinding\"}," + USER
                + ",\"object\":{\"roleRef\":{\"kind\":\"Secret\",\"name\":\"x\"}}")).path())
                .isEqualTo("/request/object/roleRef");
    }

    @Test
    void aBareRequestIsWrongWhereItWasSent() {
        assertThat(error("{\"uid\":\"u\",\"operation\":\"CREATE\"," + USER + ",\"object\":{}}").path())
                .isEqualTo("/kind");
    }

    private static String review(String request) {
        return "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{" + request + "}}";
    }

    private static InvalidChangeException error(String json) {
        InvalidChangeException error = catchThrowableOfType(() -> Fixtures.adapter().read(AdmissionReview.parse(json)),
                InvalidChangeException.class);
        assertThat(error).as("expected '" + json + "' to be refused").isNotNull();
        return error;
    }
}
