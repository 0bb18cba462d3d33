package dev.mandate.connector.file.internal;

import dev.mandate.api.model.Element;
import dev.mandate.api.model.Relation;

import java.util.List;

/**
 * What one read of an inventory folder found, in a deterministic order (files sorted by relative
 * path, entries in file order).
 *
 * @param elements  the valid elements, each id once
 * @param relations the valid relations, each (type, from, to) once
 * @param files     how many inventory files were read
 * @param skipped   the entries left out, with file, index and reason
 */
record Inventory(List<Element> elements, List<Relation> relations, int files, List<SkippedEntry> skipped) {
    Inventory {
        elements = List.copyOf(elements);
        relations = List.copyOf(relations);
        skipped = List.copyOf(skipped);
    }
}
