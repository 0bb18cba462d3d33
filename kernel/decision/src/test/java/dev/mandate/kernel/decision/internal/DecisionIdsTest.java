package dev.mandate.kernel.decision.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class DecisionIdsTest {

    @Test
    void idsAreUniqueVersionSevenUuidsOrderedByTime() {
        DecisionIds ids = new DecisionIds();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(ids.next(1_764_151_200_000L))).isTrue();
        }
        UUID id = UUID.fromString(ids.next(1_764_151_200_000L));
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(1_764_151_200_000L);
        assertThat(ids.next(1_764_151_200_001L)).isGreaterThan(ids.next(1_764_151_200_000L));
        assertThat(new DecisionIds().next(1L)).isNotEqualTo(new DecisionIds().next(1L));
    }
}
