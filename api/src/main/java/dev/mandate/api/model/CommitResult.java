package dev.mandate.api.model;

import java.util.List;

/**
 * What a commit did.
 *
 * @param revision the revision now current (unchanged when nothing was applied)
 * @param applied  how many upserts, removals and relation changes took effect
 * @param rejected what was refused, with reasons; the rest of the change set was applied
 */
public record CommitResult(long revision, int applied, List<Rejection> rejected) {
    public CommitResult {
        rejected = Immutables.list(rejected);
    }
}
