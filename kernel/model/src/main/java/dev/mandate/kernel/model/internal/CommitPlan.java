package dev.mandate.kernel.model.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.mandate.api.model.ChangeSet;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementIds;
import dev.mandate.api.model.Layer;
import dev.mandate.api.model.LayerState;
import dev.mandate.api.model.Rejection;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;

/**
 * What one change set does to one base revision: validates each part, applies what is valid to a
 * copy of the index, and remembers which rows the database write has to touch. Not thread-safe;
 * the store builds one plan at a time.
 */
final class CommitPlan {
    /** The largest layer attributes accepted, as canonical JSON in UTF-8. */
    static final int MAX_ATTRIBUTE_BYTES = 256 * 1024;

    private final ModelIndex base;
    private final ChangeSet changes;
    private final Instant committedAt;
    private final JsonCodec json;
    private final ModelIndex.Builder builder;
    private final List<Rejection> rejections = new ArrayList<>();
    private final Set<String> touchedElements = new LinkedHashSet<>();
    private final Map<RelationKey, RelationWrite> touchedRelations = new LinkedHashMap<>();
    /** The canonical attributes JSON of each layer state this plan made, computed once for its content hash. */
    private final Map<LayerState, String> canonicalAttributes = new IdentityHashMap<>();
    private int upserts;
    private int removals;
    private int relationUpserts;
    private int relationRemovals;

    /**
     * What the write does for one touched relation: close its stored row (when it had one before
     * this plan) and insert {@code relation} with its canonical {@code properties}, or nothing more
     * when it is gone (both null).
     */
    record RelationWrite(boolean storedBefore, Relation relation, String properties) {
    }

    /** The key of a relation row. */
    record RelationKey(RelationType type, String from, String to) {
        static RelationKey of(Relation relation) {
            return new RelationKey(relation.type(), relation.from(), relation.to());
        }
    }

    private CommitPlan(ModelIndex base, ChangeSet changes, Instant committedAt, JsonCodec json) {
        this.base = base;
        this.changes = changes;
        this.committedAt = committedAt.truncatedTo(ChronoUnit.MILLIS);
        this.json = json;
        this.builder = base.toBuilder();
    }

    /**
     * Checks the change set as a whole.
     *
     * @throws IllegalArgumentException when it cannot be accepted at all
     */
    static void requireAcceptable(ChangeSet changes) {
        if (changes == null) {
            throw new IllegalArgumentException("change set is missing");
        }
        if (changes.source() == null || changes.source().isBlank()) {
            throw new IllegalArgumentException("change set source is missing");
        }
        if (changes.layer() == null) {
            throw new IllegalArgumentException("change set layer is missing");
        }
        if (changes.layer() == Layer.INTENDED && !changes.source().startsWith("intent:")) {
            throw new IllegalArgumentException("observations cannot write the intended layer (source '"
                    + changes.source() + "')");
        }
    }

    /** Applies {@code changes} to a copy of {@code base}: upserts, removals, relation removals, relation upserts. */
    static CommitPlan of(ModelIndex base, ChangeSet changes, Instant committedAt, JsonCodec json) {
        requireAcceptable(changes);
        CommitPlan plan = new CommitPlan(base, changes, committedAt, json);
        plan.applyUpserts();
        plan.applyRemovals();
        plan.applyRelationRemovals();
        plan.applyRelationUpserts();
        return plan;
    }

    private void applyUpserts() {
        for (Element upsert : changes.upserts()) {
            if (upsert == null) {
                rejections.add(new Rejection("null", "element is missing"));
                continue;
            }
            String id = upsert.id();
            if (!IdCheck.isValid(id)) {
                rejections.add(new Rejection(String.valueOf(id), messageOf(id)));
                continue;
            }
            String kind = blankToNull(upsert.kind()) == null ? ElementIds.kindOf(id) : upsert.kind();
            if (!kind.equals(ElementIds.kindOf(id))) {
                rejections.add(new Rejection(id, "kind '" + kind + "' does not match element id '" + id + "'"));
                continue;
            }
            String provider = blankToNull(upsert.provider()) == null ? id.substring(0, id.indexOf(':')) : upsert.provider();
            String canonical;
            try {
                canonical = json.write(upsert.attributes());
            } catch (IllegalArgumentException e) {
                rejections.add(new Rejection(id, "attributes of element '" + id + "' are not json: " + e.getMessage()));
                continue;
            }
            int bytes = canonical.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_ATTRIBUTE_BYTES) {
                rejections.add(new Rejection(id, "attributes of element '" + id + "' are " + bytes
                        + " bytes, more than the limit of 256 KiB"));
                continue;
            }
            String hash = JsonCodec.sha256(canonical);
            Element existing = builder.element(id);
            LayerState previous = existing == null ? null : existing.layers().get(changes.layer());
            LayerState state = new LayerState(changes.source(), observedAt(upsert), hash, upsert.attributes());
            Element merged = merge(existing, upsert, id, kind, provider, state);
            if (previous != null && previous.source().equals(changes.source()) && previous.contentHash().equals(hash)
                    && sameDescription(existing, merged)) {
                continue; // nothing new: no row to write, no revision for it
            }
            builder.put(merged);
            canonicalAttributes.put(state, canonical);
            touchedElements.add(id);
            upserts++;
        }
    }

    private void applyRemovals() {
        for (String id : changes.removals()) {
            Element existing = id == null ? null : builder.element(id);
            if (existing == null || !existing.layers().containsKey(changes.layer())) {
                continue; // already gone from this layer
            }
            Map<Layer, LayerState> layers = new EnumMap<>(Layer.class);
            layers.putAll(existing.layers());
            layers.remove(changes.layer());
            touchedElements.add(id);
            removals++;
            if (layers.isEmpty()) {
                for (Relation relation : builder.remove(id)) {
                    // relation upserts come later: whatever the builder held here was stored before
                    touch(RelationKey.of(relation), true, null, null);
                }
            } else {
                builder.put(new Element(id, existing.kind(), existing.provider(), existing.environment(),
                        existing.trustZone(), existing.owner(), existing.labels(), effective(layers), layers));
            }
        }
    }

    private void applyRelationRemovals() {
        for (Relation relation : changes.relationRemovals()) {
            if (relation == null || relation.type() == null) {
                continue;
            }
            if (builder.removeRelation(relation.type(), relation.from(), relation.to()) != null) {
                touch(RelationKey.of(relation), true, null, null);
                relationRemovals++;
            }
        }
    }

    private void applyRelationUpserts() {
        for (Relation relation : changes.relationUpserts()) {
            if (relation == null) {
                rejections.add(new Rejection("null", "relation is missing"));
                continue;
            }
            String ref = relation.from() + " -" + relation.type() + "-> " + relation.to();
            if (relation.type() == null) {
                rejections.add(new Rejection(ref, "relation type is missing"));
                continue;
            }
            String malformed = !IdCheck.isValid(relation.from()) ? relation.from()
                    : !IdCheck.isValid(relation.to()) ? relation.to() : null;
            if (malformed != null) {
                rejections.add(new Rejection(ref, "relation to malformed element id '" + malformed + "'"));
                continue;
            }
            String properties;
            try {
                properties = json.write(relation.properties());
            } catch (IllegalArgumentException e) {
                rejections.add(new Rejection(ref, "relation properties are not json: " + e.getMessage()));
                continue;
            }
            Relation existing = builder.relation(relation.type(), relation.from(), relation.to());
            if (relation.equals(existing)) {
                continue;
            }
            builder.putRelation(relation);
            touch(RelationKey.of(relation), existing != null, relation, properties);
            relationUpserts++;
        }
    }

    /** Records a relation's write; whether it was stored before is decided by its first touch. */
    private void touch(RelationKey key, boolean storedIfFirst, Relation relation, String properties) {
        RelationWrite earlier = touchedRelations.get(key);
        touchedRelations.put(key, new RelationWrite(earlier == null ? storedIfFirst : earlier.storedBefore(),
                relation, properties));
    }

    private Instant observedAt(Element upsert) {
        LayerState claimed = upsert.layers().get(changes.layer());
        return claimed != null && claimed.observedAt() != null
                ? claimed.observedAt().truncatedTo(ChronoUnit.MILLIS) : committedAt;
    }

    private Element merge(Element existing, Element upsert, String id, String kind, String provider, LayerState state) {
        Map<Layer, LayerState> layers = new EnumMap<>(Layer.class);
        if (existing != null) {
            layers.putAll(existing.layers());
        }
        layers.put(changes.layer(), state);
        if (existing != null && changes.layer() == Layer.INTENDED) {
            // intent binds what sources describe: it never rewrites the element's owner, environment, zone or labels
            return new Element(id, existing.kind(), existing.provider(), existing.environment(), existing.trustZone(),
                    existing.owner(), existing.labels(), effective(layers), layers);
        }
        return new Element(id, kind, provider, blankToNull(upsert.environment()), blankToNull(upsert.trustZone()),
                blankToNull(upsert.owner()), upsert.labels(), effective(layers), layers);
    }

    /** RUNNING where observed, else BUILT, else INTENDED. */
    static Map<String, Object> effective(Map<Layer, LayerState> layers) {
        for (Layer layer : new Layer[] {Layer.RUNNING, Layer.BUILT, Layer.INTENDED}) {
            LayerState state = layers.get(layer);
            if (state != null) {
                return state.attributes();
            }
        }
        return Map.of();
    }

    private static boolean sameDescription(Element a, Element b) {
        return a.kind().equals(b.kind()) && a.provider().equals(b.provider())
                && Objects.equals(a.environment(), b.environment()) && Objects.equals(a.trustZone(), b.trustZone())
                && Objects.equals(a.owner(), b.owner()) && a.labels().equals(b.labels());
    }

    private static String messageOf(String id) {
        try {
            ElementIds.require(id);
            return "malformed element id '" + id + "'";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** How many upserts, removals and relation changes took effect. */
    int applied() {
        return upserts + removals + relationUpserts + relationRemovals;
    }

    List<Rejection> rejections() {
        return List.copyOf(rejections);
    }

    ChangeSet changes() {
        return changes;
    }

    Instant committedAt() {
        return committedAt;
    }

    /** Whether the element has rows in the database already (it is in the base revision). */
    boolean storedBefore(String id) {
        return base.element(id).isPresent();
    }


    /**
     * The canonical JSON of {@code state}'s attributes when this plan made that state (the same
     * object), else null.
     */
    String canonicalAttributes(LayerState state) {
        return canonicalAttributes.get(state);
    }

    Set<String> touchedElements() {
        return touchedElements;
    }

    /** The relations this plan changes, in the order it touched them, with what to write for each. */
    Map<RelationKey, RelationWrite> touchedRelations() {
        return touchedRelations;
    }

    int upserts() {
        return upserts;
    }

    int removals() {
        return removals;
    }

    int relationUpserts() {
        return relationUpserts;
    }

    int relationRemovals() {
        return relationRemovals;
    }

    /** The next revision, as it will be published once written. */
    ModelIndex build(long revision) {
        return builder.build(revision);
    }
}
