package dev.mandate.kernel.grants.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import dev.mandate.api.grant.GrantService;

/** The kernel's real grant issuer, built as its own tests build it (the grants to verify come from it). */
public final class KernelGrants {

    private KernelGrants() {
    }

    public static GrantService issuer(Path keyFolder, Duration ttl, String issuer, Clock clock) {
        return new GrantServiceImpl(keyFolder, ttl, issuer, clock);
    }
}
