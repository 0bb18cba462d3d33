package dev.mandate.blueprints.cedar;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import dev.mandate.api.decision.DecisionPoint;
import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.VerificationResult;
import dev.mandate.api.grant.ExecutionGrant;
import dev.mandate.api.grant.GrantService;
import dev.mandate.api.grant.GrantVerification;
import dev.mandate.api.grant.GrantedChange;
import dev.mandate.api.model.ChangeSet;
import dev.mandate.api.model.CommitResult;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.ModelStore;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;
import dev.mandate.kernel.decision.internal.DecisionPointImpl;
import dev.mandate.kernel.intent.internal.IntentRegistry;
import dev.mandate.kernel.intent.internal.IntentSource;
import dev.mandate.kernel.model.internal.ModelIndex;

/**
 * The real decision path outside OSGi, on a {@link CedarEstate}: the model index the model store
 * serves decisions from, the intent registry with the Cedar-equivalent pack loaded through the
 * normal loader, and the real {@link DecisionPointImpl}. Only evidence and grants are test doubles
 * ({@link CountingLedgerDouble}, {@link StandInGrantsDouble}): the benchmarks measure decisions with
 * evidence excluded, and the ledger and grant services have their own tests.
 */
public final class MandateHarness {

    /** The pack's files, in load order, as the bundle carries them under {@code blueprints/}. */
    public static final List<String> PACK_FILES = List.of("blueprints/team.yaml", "blueprints/cedar-equivalent.yaml");

    /** The bundle symbolic name the pack is loaded under, as the extender would. */
    public static final String BUNDLE = "dev.mandate.blueprints.cedar";

    /** The decision point's defaults (DecisionPointConfig): the relations walked for the blast radius, and the cap. */
    public static final EnumSet<RelationType> BLAST_RELATIONS = EnumSet.of(RelationType.DEPENDS_ON,
            RelationType.CONTAINS, RelationType.HOSTED_ON, RelationType.BACKED_UP_BY);
    public static final int BLAST_CAP = 10_000;

    private final ModelIndex index;
    private final IntentRegistry registry;
    private final CountingLedgerDouble ledger = new CountingLedgerDouble();
    private final StandInGrantsDouble grants = new StandInGrantsDouble();
    private final DecisionPointImpl decisionPoint;

    private MandateHarness(ModelIndex index, IntentRegistry registry, Clock clock) {
        this.index = index;
        this.registry = registry;
        this.decisionPoint = new DecisionPointImpl(new IndexModelStore(index), registry,
                ledger, grants, clock, BLAST_RELATIONS, BLAST_CAP);
    }

    /** Builds the model of the estate and loads the pack; fails when the pack does not load cleanly. */
    public static MandateHarness of(CedarEstate estate) {
        return new MandateHarness(index(estate.elements(), estate.relations()), packRegistry(),
                Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC));
    }

    /** The model index of these elements and relations, at revision 1. */
    public static ModelIndex index(List<Element> elements, List<Relation> relations) {
        ModelIndex.Builder builder = ModelIndex.EMPTY.toBuilder();
        for (Element element : elements) {
            builder.put(element);
        }
        for (Relation relation : relations) {
            builder.putRelation(relation);
        }
        return builder.build(1);
    }

    /** A registry with the pack loaded from the class path the way the extender loads the bundle. */
    public static IntentRegistry packRegistry() {
        IntentRegistry registry = new IntentRegistry((type, payload) -> { });
        IntentRegistry.LoadResult result = registry.load(new IntentSource("bundle:" + BUNDLE, packFiles()));
        if (result.outcome() != IntentRegistry.Outcome.LOADED) {
            throw new IllegalStateException("the cedar-equivalent pack did not load: " + result.problems());
        }
        return registry;
    }

    static List<IntentSource.File> packFiles() {
        List<IntentSource.File> files = new ArrayList<>();
        for (String name : PACK_FILES) {
            try (InputStream in = MandateHarness.class.getClassLoader().getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("pack file '" + name + "' is not on the class path");
                }
                files.add(new IntentSource.File(name, "bundle:" + BUNDLE + "/" + name,
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    public DecisionPoint decisionPoint() {
        return decisionPoint;
    }

    /**
     * This harness with remedies found by evaluating every lever, not only those a blocking reason
     * reads (the tests compare the two; the remedies must be the same).
     */
    public MandateHarness tryingEveryLever() {
        decisionPoint.pruneRemedies(false);
        return this;
    }

    public ModelSnapshot model() {
        return index;
    }

    public IntentRegistry registry() {
        return registry;
    }

    /** How many decisions the decision point handed to the ledger. */
    public long recorded() {
        return ledger.appended.sum();
    }

    /**
     * The model store, reduced to what the decision point reads: the current index. Public for the
     * other decision-path benchmarks (admission reviews), which read a fixed index too.
     */
    public static final class IndexModelStore implements ModelStore {
        private final ModelIndex index;

        public IndexModelStore(ModelIndex index) {
            this.index = index;
        }

        @Override
        public ModelSnapshot current() {
            return index;
        }

        @Override
        public CommitResult commit(ChangeSet changes) {
            throw new UnsupportedOperationException("the benchmark model is read-only");
        }
    }

    /**
     * Test double of the evidence ledger that counts appends and keeps nothing: it returns one fixed
     * record, so it neither allocates nor contends in the measured path (evidence is excluded from the
     * in-process figures; the real ledger is measured on its own). Tests that look at the evidence use
     * the chained {@code dev.mandate.kernel.ledger.testing.InMemoryLedger}.
     */
    static final class CountingLedgerDouble implements EvidenceLedger {
        private static final EvidenceRecord RECORD = new EvidenceRecord(1, "decision", Instant.EPOCH, 1, Map.of(),
                "sha256:" + "0".repeat(64), "sha256:" + "1".repeat(64));
        final LongAdder appended = new LongAdder();

        @Override
        public EvidenceRecord append(String type, long modelRevision, Map<String, Object> payload) {
            appended.increment();
            return RECORD;
        }

        @Override
        public List<EvidenceRecord> read(long from, int limit) {
            return List.of();
        }

        @Override
        public Optional<EvidenceRecord> head() {
            return Optional.of(RECORD);
        }

        @Override
        public VerificationResult verify() {
            return new VerificationResult(true, 1, 0, null);
        }
    }

    /** Test double of the grant service: unsigned stand-in grants (signing is measured with the grants module). */
    static final class StandInGrantsDouble implements GrantService {
        @Override
        public ExecutionGrant issue(String decisionId, String actor, List<GrantedChange> changes, long modelRevision) {
            return new ExecutionGrant("standin-" + decisionId, decisionId, actor, changes, modelRevision, Instant.EPOCH,
                    Instant.EPOCH.plusSeconds(300));
        }

        @Override
        public GrantVerification verify(String token, GrantedChange change) {
            throw new UnsupportedOperationException("the benchmarks never verify grants");
        }

        @Override
        public Map<String, Object> publicKeys() {
            return Map.of();
        }
    }
}
