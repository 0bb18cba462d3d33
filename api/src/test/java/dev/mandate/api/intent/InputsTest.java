package dev.mandate.api.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InputsTest {

    @Test
    void aPathReadsWhatIsUnderItAndWhatItIsUnder() {
        Inputs inputs = Inputs.of("request.context", "actor.assurance");

        assertThat(inputs.reads("request.context.mfa")).isTrue();
        assertThat(inputs.reads("request.context")).isTrue();
        assertThat(inputs.reads("request")).isTrue();
        assertThat(inputs.reads("actor.assurance")).isTrue();
        assertThat(inputs.reads("actor")).isTrue();
        // on whole names only
        assertThat(inputs.reads("request.contextual")).isFalse();
        assertThat(inputs.reads("actor.assuranceLevel")).isFalse();
        assertThat(inputs.reads("actor.kind")).isFalse();
        assertThat(inputs.reads("now")).isFalse();
    }

    @Test
    void aPathUnderAnotherGivenIsLeftOut() {
        assertThat(Inputs.of("request.context.mfa", "request.context", "now", "nowhere").paths())
                .containsExactly("now", "nowhere", "request.context");
        assertThat(Inputs.of("a.b").with(Inputs.of("a"))).isEqualTo(Inputs.of("a"));
        assertThat(Inputs.of()).isEqualTo(Inputs.NONE);
    }

    @Test
    void allReadsEveryPathAndNoneReadsNothing() {
        assertThat(Inputs.ALL.reads("anything.at.all")).isTrue();
        assertThat(Inputs.ALL.readsAny(Inputs.of("now"))).isTrue();
        assertThat(Inputs.ALL.readsAny(Inputs.NONE)).isFalse();
        assertThat(Inputs.NONE.reads("now")).isFalse();
        assertThat(Inputs.of("now").readsAny(Inputs.ALL)).isTrue();
        assertThat(Inputs.of("now").with(Inputs.ALL)).isEqualTo(Inputs.ALL);
        assertThat(Inputs.ALL.isAll()).isTrue();
        assertThatThrownBy(Inputs.ALL::paths).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void readsAnyComparesPathByPath() {
        Inputs rule = Inputs.of("blastRadius.count", "element.kind");

        assertThat(rule.readsAny(Inputs.of("blastRadius"))).isTrue();
        assertThat(rule.readsAny(Inputs.of("blastRadius.depth", "element.owner"))).isFalse();
    }

    @Test
    void anEmptyPathIsRefused() {
        assertThatThrownBy(() -> Inputs.of("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an input path is empty");
    }
}
