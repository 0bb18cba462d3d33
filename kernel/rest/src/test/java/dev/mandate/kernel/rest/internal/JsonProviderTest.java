package dev.mandate.kernel.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.decision.Outcome;
import dev.mandate.api.decision.Reason;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.MultivaluedHashMap;

import org.junit.jupiter.api.Test;

class JsonProviderTest {

    private final JsonProvider provider = new JsonProvider();

    @Test
    void readsTheDocumentedActionRequest() throws IOException {
        ActionRequest request = read("{\"actor\":{\"id\":\"agent-7\",\"kind\":\"AI\",\"agent\":{\"model\":\"x\","
                + "\"promptSha256\":\"ab\"}},\"action\":\"delete\",\"target\":\"aws:rds:db-instance:eu-west-1:1:db\","
                + "\"justification\":\"cleanup\"}");

        assertThat(request.actor().kind()).isEqualTo(ActorKind.AI);
        assertThat(request.actor().agent().model()).isEqualTo("x");
        assertThat(request.action()).isEqualTo(Action.DELETE);
        assertThat(request.after()).isEmpty();
    }

    @Test
    void multiWordActionsUseTheirWireNames() throws IOException {
        assertThat(read("{\"actor\":{\"id\":\"a\",\"kind\":\"human\"},\"action\":\"access-grant\",\"target\":\"t\"}")
                .action()).isEqualTo(Action.ACCESS_GRANT);
    }

    @Test
    void syntaxErrorsSayWhere() {
        Problem problem = problemOf("{\"actor\": {\"id\": \"a\",,}}");

        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.errors()).singleElement().satisfies(error -> {
            assertThat(error.line()).isEqualTo(1);
            assertThat(error.column()).isGreaterThan(20);
        });
        assertThat(problem.detail()).contains("line 1");
    }

    @Test
    void anUnknownEnumValueListsTheKnownOnes() {
        Problem problem = problemOf("{\"actor\":{\"id\":\"a\",\"kind\":\"ROBOT\"},\"action\":\"delete\",\"target\":\"t\"}");

        assertThat(problem.errors()).singleElement().satisfies(error -> {
            assertThat(error.pointer()).isEqualTo("/actor/kind");
            assertThat(error.message()).contains("'ROBOT' is not one of HUMAN, SYSTEM, AI");
        });
    }

    @Test
    void anUnknownFieldIsNamed() {
        Problem problem = problemOf("{\"actor\":{\"id\":\"a\",\"kind\":\"AI\"},\"acton\":\"delete\"}");

        assertThat(problem.errors()).singleElement()
                .satisfies(error -> assertThat(error.message()).contains("unknown field 'acton'"));
    }

    @Test
    void anUnknownActionIsNamed() {
        Problem problem = problemOf("{\"actor\":{\"id\":\"a\",\"kind\":\"AI\"},\"action\":\"obliterate\",\"target\":\"t\"}");

        assertThat(problem.errors()).singleElement().satisfies(error -> {
            assertThat(error.pointer()).isEqualTo("/action");
            assertThat(error.message()).contains("'obliterate' is not one of create, update, delete");
        });
    }

    @Test
    void bytesAndTextAreLeftToTheRuntime() {
        assertThat(provider.isWriteable(byte[].class, byte[].class, new Annotation[0], MediaType.APPLICATION_JSON_TYPE))
                .isFalse();
        assertThat(provider.isWriteable(String.class, String.class, new Annotation[0], MediaType.APPLICATION_JSON_TYPE))
                .isFalse();
        assertThat(provider.isWriteable(Decision.class, Decision.class, new Annotation[0], MediaType.APPLICATION_JSON_TYPE))
                .isTrue();
    }

    @Test
    void writesDecisionsWithWireNamesAndIsoTimes() throws IOException {
        Decision decision = new Decision("d1", Outcome.REQUIRE_APPROVAL, List.of(new Reason("bp@1.0.0#c", "require-approval",
                "m")), List.of(), null, List.of("team-a"), 3, List.of("bp@1.0.0"), "sha256:ab",
                Instant.parse("2026-11-26T10:00:00Z"), null, false, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        provider.writeTo(decision, Decision.class, Decision.class, new Annotation[0], MediaType.APPLICATION_JSON_TYPE,
                new MultivaluedHashMap<>(), out);

        String json = out.toString(StandardCharsets.UTF_8);
        assertThat(json).contains("\"outcome\":\"REQUIRE_APPROVAL\"").contains("\"decidedAt\":\"2026-11-26T10:00:00Z\"")
                .contains("\"effect\":\"require-approval\"").doesNotContain("blastRadius");
    }

    private Problem problemOf(String body) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> read(body));
        assertThat(thrown).isInstanceOf(WebApplicationException.class);
        return (Problem) ((WebApplicationException) thrown).getResponse().getEntity();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private ActionRequest read(String body) throws IOException {
        return (ActionRequest) provider.readFrom((Class) ActionRequest.class, ActionRequest.class, new Annotation[0],
                MediaType.APPLICATION_JSON_TYPE, new MultivaluedHashMap<>(),
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aBodyOverTheLimitIsRefusedWhileReading() {
        BodySizeLimit.LimitedStream stream = new BodySizeLimit.LimitedStream(new ByteArrayInputStream(new byte[100]), 10);

        assertThatThrownBy(() -> stream.read(new byte[100], 0, 100)).isInstanceOf(WebApplicationException.class)
                .satisfies(e -> assertThat(((WebApplicationException) e).getResponse().getStatus()).isEqualTo(413));
    }
}
