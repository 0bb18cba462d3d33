package dev.mandate.kernel.grants.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import dev.mandate.api.grant.GrantService;

/** The kernel's real grant issuer outside OSGi, for benchmarks that include signing the grants of ALLOWs. */
public final class BenchmarkGrants {

    private BenchmarkGrants() {
    }

    public static GrantService issuer(Path keyFolder) {
        return new GrantServiceImpl(keyFolder, Duration.ofMinutes(5), "mandate", Clock.systemUTC());
    }
}
