package dev.mandate.connector.file.internal;

import dev.mandate.api.connector.ObservationSink;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.Relation;

import java.util.ArrayList;
import java.util.List;

/** Keeps what a collection reported, in order. */
final class RecordingSink implements ObservationSink {
    final List<Element> elements = new ArrayList<>();
    final List<Relation> relations = new ArrayList<>();
    final List<String> absent = new ArrayList<>();

    @Override
    public void element(Element element) {
        elements.add(element);
    }

    @Override
    public void relation(Relation relation) {
        relations.add(relation);
    }

    @Override
    public void absent(String elementId) {
        absent.add(elementId);
    }

    List<String> elementIds() {
        return elements.stream().map(Element::id).toList();
    }
}
