package dev.mandate.enforce.kubernetes.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Namespace rules, defaults and the validation of the webhook's configuration. */
class SettingsTest {

    @Test
    void exactRulesWinOverPrefixesAndTheLongestPrefixWins() {
        Settings settings = Settings.of("c1", new String[] {"team-*: environment=dev, podSecurity=baseline; "
                + "team-pay*: environment=prod, trustZone=pci-cde", "team-payroll: owner=team-hr"}, "staging", "corp",
                "restricted", "", new String[0], new String[0], new String[0]);

        assertThat(settings.policyFor("team-web")).isEqualTo(new NamespacePolicy("dev", "corp", "baseline", null));
        assertThat(settings.policyFor("team-payments")).isEqualTo(new NamespacePolicy("prod", "pci-cde", "restricted",
                null));
        assertThat(settings.policyFor("team-payroll")).isEqualTo(new NamespacePolicy("staging", "corp", "restricted",
                "team-hr"));
        assertThat(settings.policyFor("other")).isEqualTo(new NamespacePolicy("staging", "corp", "restricted", null));
        assertThat(settings.failOpen()).isFalse();
        assertThat(settings.cluster()).isEqualTo("c1");
    }

    @Test
    void patternsMatchExactlyOrByPrefix() {
        Settings settings = Fixtures.settings(true);

        assertThat(settings.failOpen()).isTrue();
        assertThat(settings.isSystemUser("system:node:w1")).isTrue();
        assertThat(settings.isSystemUser("system:kube-scheduler-x")).isFalse();
        assertThat(settings.isExempt("kube-system")).isTrue();
        assertThat(settings.isExempt("kube-public")).isFalse();
        assertThat(settings.isAiUser("agent-ops")).isTrue();
    }

    @Test
    void badConfigurationIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> of("prod eu", "a: owner=x", "baseline", "")).hasMessage("cluster name 'prod eu' "
                + "cannot be part of an element id: use lower-case letters, digits, '-' and '.'");
        assertThatThrownBy(() -> of("c", "a owner=x", "baseline", "")).hasMessageStartingWith("namespace rule "
                + "'a owner=x' has no ':'");
        assertThatThrownBy(() -> of("c", "a: colour=red", "baseline", "")).hasMessage("namespace rule 'a: colour=red': "
                + "unknown key 'colour' (known: environment, trustZone, podSecurity, owner)");
        assertThatThrownBy(() -> of("c", "a: podSecurity=strict", "baseline", "")).hasMessage("namespace rule "
                + "'a: podSecurity=strict': pod security profile 'strict' is unknown (known: privileged, baseline, "
                + "restricted)");
        assertThatThrownBy(() -> of("c", "A_B: owner=x", "baseline", "")).hasMessageContaining("'A_B' is not a "
                + "namespace name");
        assertThatThrownBy(() -> of("c", "", "lax", "")).hasMessageStartingWith("default pod security profile 'lax'");
        assertThatThrownBy(() -> of("c", "", "baseline", "sometimes")).hasMessage("failure policy 'sometimes' is "
                + "unknown (known: fail-closed, fail-open)");
    }

    private static Settings of(String cluster, String namespaces, String profile, String failurePolicy) {
        return Settings.of(cluster, new String[] {namespaces}, "", "", profile, failurePolicy, null, null, null);
    }
}
