package dev.mandate.kernel.reconciler.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mandate.api.connector.ObservationSink;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;

/**
 * Collects one run's observations. The last report of an element or relation wins. Once sealed it
 * ignores late reports (from a connector thread that outlived its run). Thread-safe.
 */
final class ObservationBuffer implements ObservationSink {
    /** The key of a relation: type, source and target. */
    record RelationKey(RelationType type, String from, String to) {
        static RelationKey of(Relation relation) {
            return new RelationKey(relation.type(), relation.from(), relation.to());
        }
    }

    private final Map<String, Element> elements = new LinkedHashMap<>();
    private final Map<RelationKey, Relation> relations = new LinkedHashMap<>();
    private final Set<String> absent = new LinkedHashSet<>();
    private boolean sealed;

    @Override
    public synchronized void element(Element element) {
        if (!sealed && element != null) {
            elements.put(element.id(), element);
            absent.remove(element.id());
        }
    }

    @Override
    public synchronized void relation(Relation relation) {
        if (!sealed && relation != null) {
            relations.put(RelationKey.of(relation), relation);
        }
    }

    @Override
    public synchronized void absent(String elementId) {
        if (!sealed && elementId != null) {
            absent.add(elementId);
            elements.remove(elementId);
        }
    }

    synchronized void seal() {
        sealed = true;
    }

    synchronized Map<String, Element> elements() {
        return new LinkedHashMap<>(elements);
    }

    synchronized List<Relation> relations() {
        return new ArrayList<>(relations.values());
    }

    synchronized Set<RelationKey> relationKeys() {
        return new LinkedHashSet<>(relations.keySet());
    }

    synchronized Set<String> absent() {
        return new LinkedHashSet<>(absent);
    }
}
