package dev.mandate.kernel.intent.internal;

/**
 * A required relation: an element the blueprint governs must have a relation of this type to (or,
 * with {@code incoming}, from) an element of this kind.
 *
 * @param relation the relation type wire name ({@code BACKED_UP_BY})
 * @param kind     the kind of the element at the other end, or {@code null} for any
 * @param incoming whether the relation points at the governed element
 */
record StructureRule(String relation, String kind, boolean incoming) {

    /** The rule id cited in reasons and waivers: {@code structure:<relation>[:<kind>]}. */
    String id() {
        return "structure:" + relation + (kind == null ? "" : ":" + kind);
    }

    String describe() {
        return (incoming ? "an incoming " : "a ") + relation + " relation " + (incoming ? "from" : "to") + " "
                + (kind == null ? "an element" : "a " + kind);
    }
}
