package dev.mandate.kernel.conformance.internal;

import java.time.Instant;
import java.util.Set;

/**
 * What the self-assessment is judged on, read from the running services at one moment.
 *
 * @param revision                 the model revision read
 * @param elements                 elements in the model
 * @param withOwner                elements with an accountable owner (declared by ownership rules or reported)
 * @param withEnvironment          elements whose environment is known
 * @param sampled                  elements evaluated against the blueprints (all, up to a cap)
 * @param governed                 sampled elements at least one blueprint applies to
 * @param blueprints               blueprints in force
 * @param attributable             blueprints with a version, an owner and a content hash
 * @param ownedByDeclaredTeam      blueprints whose owner is a declared team
 * @param teams                    declared teams
 * @param connectors               bound state connectors
 * @param healthy                  connectors whose health is OK
 * @param fresh                    connectors whose last success is within twice their interval
 * @param domains                  domains the connectors cover (CLOUD, NETWORK, IDENTITY, ONPREM)
 * @param oldestSuccessSeconds     age of the stalest connector's last success (-1: none succeeded)
 * @param driftComputed            whether drift has been computed on a revision
 * @param openDrift                open drift findings
 * @param unmanaged                open UNMANAGED findings
 * @param unauthorized             open UNAUTHORIZED findings (running changes no grant covered)
 * @param decisions                decision records in the window
 * @param decisionsWithRadius      of those, with a blast radius
 * @param decisionsComplete        of those, naming the model revision and the blueprints in force
 * @param aiDecisions              decisions about actions of AI actors
 * @param aiDecisionsWithAgent     of those, naming the agent (model, prompt hash)
 * @param enforcementRecords       enforcement records in the window
 * @param approvalRecords          approval records in the window
 * @param blueprintRecords         blueprint load/replace/reject/withdraw records in the window
 * @param connectorRunRecords      connector runs recorded in the last day
 * @param ledgerValid              whether the chain verifies
 * @param ledgerRecords            records checked
 * @param ledgerProblem            what failed, or null
 * @param ledgerVerifiedAt         when the chain was verified
 * @param checkpoints              checkpoint records in the window
 * @param signerPresent            whether a node key signs checkpoints
 */
record Facts(long revision, int elements, int withOwner, int withEnvironment, int sampled, int governed,
        int blueprints, int attributable, int ownedByDeclaredTeam, int teams, int connectors, int healthy, int fresh,
        Set<String> domains, long oldestSuccessSeconds, boolean driftComputed, int openDrift, int unmanaged,
        int unauthorized, int decisions, int decisionsWithRadius, int decisionsComplete, int aiDecisions,
        int aiDecisionsWithAgent, int enforcementRecords, int approvalRecords, int blueprintRecords,
        int connectorRunRecords, boolean ledgerValid, long ledgerRecords, String ledgerProblem,
        Instant ledgerVerifiedAt, int checkpoints,
        boolean signerPresent) {
}
