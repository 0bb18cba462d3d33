package dev.mandate.kernel.model.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementPage;
import dev.mandate.api.model.ElementQuery;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;

/**
 * One immutable revision of the model in memory: elements by id (sorted, for paging) and the
 * relations leaving and entering every element.
 *
 * <p>New revisions are made with {@link #toBuilder()}, which copies the top-level maps (copy on
 * write, O(n) per commit). The builder is the only place that knows the representation, so a
 * persistent map can replace the copies without touching readers.
 */
final class ModelIndex implements ModelSnapshot {

    private static final Set<RelationType> DEFAULT_BLAST = EnumSet.of(RelationType.DEPENDS_ON, RelationType.CONTAINS);
    private static final Comparator<Relation> BY_TARGET = Comparator.comparing(Relation::type)
            .thenComparing(Relation::to).thenComparing(Relation::from);
    private static final Comparator<Relation> BY_SOURCE = Comparator.comparing(Relation::type)
            .thenComparing(Relation::from).thenComparing(Relation::to);
    private static final Comparator<Relation> DANGLING_ORDER = Comparator.comparing(Relation::from)
            .thenComparing(Relation::type).thenComparing(Relation::to);
    static final ModelIndex EMPTY = new ModelIndex(0, new TreeMap<>(), new HashMap<>(), new HashMap<>(),
            new TreeSet<>(DANGLING_ORDER));

    private final long revision;
    private final NavigableMap<String, Element> elements;
    private final Map<String, List<Relation>> outgoing;
    private final Map<String, List<Relation>> incoming;
    private final List<Relation> dangling;

    private ModelIndex(long revision, NavigableMap<String, Element> elements, Map<String, List<Relation>> outgoing,
            Map<String, List<Relation>> incoming, Set<Relation> dangling) {
        this.revision = revision;
        this.elements = Collections.unmodifiableNavigableMap(elements);
        this.outgoing = Collections.unmodifiableMap(outgoing);
        this.incoming = Collections.unmodifiableMap(incoming);
        this.dangling = List.copyOf(dangling);
    }

    @Override
    public long revision() {
        return revision;
    }

    @Override
    public int size() {
        return elements.size();
    }

    @Override
    public Optional<Element> element(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(elements.get(id));
    }

    /** Every element in id order. */
    Collection<Element> elements() {
        return elements.values();
    }

    /** The relation with this key, if present. */
    Optional<Relation> relation(RelationType type, String from, String to) {
        for (Relation relation : outgoing(from)) {
            if (relation.type() == type && relation.to().equals(to)) {
                return Optional.of(relation);
            }
        }
        return Optional.empty();
    }

    /** How many relations this revision holds. */
    int relationCount() {
        int count = 0;
        for (List<Relation> relations : outgoing.values()) {
            count += relations.size();
        }
        return count;
    }

    @Override
    public List<Relation> danglingRelations() {
        return dangling;
    }

    @Override
    public List<Relation> outgoing(String id) {
        return outgoing.getOrDefault(id, List.of());
    }

    @Override
    public List<Relation> incoming(String id) {
        return incoming.getOrDefault(id, List.of());
    }

    @Override
    public ElementPage query(ElementQuery query) {
        String after = decodeCursor(query.cursor());
        Predicate<Element> filter = filterOf(query);
        boolean unfiltered = query.kind() == null && query.provider() == null && query.owner() == null
                && query.environment() == null && query.trustZone() == null
                && (query.text() == null || query.text().isEmpty()) && query.labels().isEmpty()
                && query.attributes().isEmpty();
        NavigableMap<String, Element> from = after == null ? elements : elements.tailMap(after, false);
        List<Element> items = new ArrayList<>(Math.min(query.limit(), 64));
        String next = null;
        for (Element element : from.values()) {
            if (!filter.test(element)) {
                continue;
            }
            if (items.size() == query.limit()) {
                next = encodeCursor(items.get(items.size() - 1).id());
                break;
            }
            items.add(element);
        }
        int total = unfiltered ? elements.size() : (int) elements.values().stream().filter(filter).count();
        return new ElementPage(revision, items, total, next);
    }

    @Override
    public BlastRadius blastRadius(String id, Set<RelationType> over, int cap) {
        Element start = elements.get(id);
        if (start == null) {
            throw new IllegalArgumentException("unknown element '" + id + "'");
        }
        Set<RelationType> types = over == null || over.isEmpty() ? DEFAULT_BLAST : over;
        Set<String> owners = new TreeSet<>();
        Set<String> environments = new TreeSet<>();
        Set<String> trustZones = new TreeSet<>();
        collect(start, owners, environments, trustZones);

        Set<String> visited = new HashSet<>();
        visited.add(id);
        List<String> dependents = new ArrayList<>();
        Deque<String> frontier = new ArrayDeque<>();
        frontier.add(id);
        int depth = 0;
        int level = 0;
        boolean truncated = false;
        walk:
        while (!frontier.isEmpty()) {
            level++;
            Deque<String> nextLevel = new ArrayDeque<>();
            for (String current : frontier) {
                for (String neighbour : dependentsOf(current, types)) {
                    if (!visited.add(neighbour)) {
                        continue;
                    }
                    Element element = elements.get(neighbour);
                    if (element == null) {
                        continue;
                    }
                    if (dependents.size() >= cap) {
                        truncated = true;
                        break walk;
                    }
                    dependents.add(neighbour);
                    collect(element, owners, environments, trustZones);
                    nextLevel.add(neighbour);
                    depth = level;
                }
            }
            frontier = nextLevel;
        }
        return new BlastRadius(dependents.size(), depth, List.copyOf(owners), List.copyOf(environments),
                List.copyOf(trustZones), dependents, truncated);
    }

    /** Ids one step further out from {@code id}, sorted. */
    private Set<String> dependentsOf(String id, Set<RelationType> types) {
        Set<String> neighbours = new TreeSet<>();
        for (RelationType type : types) {
            if (type == RelationType.CONTAINS) {
                for (Relation relation : outgoing(id)) {
                    if (relation.type() == type) {
                        neighbours.add(relation.to());
                    }
                }
            } else {
                for (Relation relation : incoming(id)) {
                    if (relation.type() == type) {
                        neighbours.add(relation.from());
                    }
                }
            }
        }
        return neighbours;
    }

    private static void collect(Element element, Set<String> owners, Set<String> environments, Set<String> trustZones) {
        if (element.hasOwner()) {
            owners.add(element.owner());
        }
        if (element.environment() != null) {
            environments.add(element.environment());
        }
        if (element.trustZone() != null) {
            trustZones.add(element.trustZone());
        }
    }

    private static Predicate<Element> filterOf(ElementQuery query) {
        Predicate<Element> filter = element -> true;
        if (query.kind() != null) {
            filter = filter.and(element -> query.kind().equals(element.kind()));
        }
        if (query.provider() != null) {
            filter = filter.and(element -> query.provider().equals(element.provider()));
        }
        if (query.owner() != null) {
            filter = ElementQuery.NO_OWNER.equals(query.owner())
                    ? filter.and(element -> !element.hasOwner())
                    : filter.and(element -> query.owner().equals(element.owner()));
        }
        if (query.environment() != null) {
            filter = filter.and(element -> query.environment().equals(element.environment()));
        }
        if (query.trustZone() != null) {
            filter = filter.and(element -> query.trustZone().equals(element.trustZone()));
        }
        if (query.text() != null && !query.text().isEmpty()) {
            String needle = query.text().toLowerCase(Locale.ROOT);
            filter = filter.and(element -> element.id().toLowerCase(Locale.ROOT).contains(needle)
                    || nameOf(element).contains(needle));
        }
        for (Map.Entry<String, String> label : query.labels().entrySet()) {
            filter = filter.and(element -> label.getValue().equals(element.labels().get(label.getKey())));
        }
        for (Map.Entry<String, String> attribute : query.attributes().entrySet()) {
            String[] path = attribute.getKey().split("\\.");
            filter = filter.and(element -> attribute.getValue().equals(valueAt(element.attributes(), path)));
        }
        return filter;
    }

    /** The value at a dotted path through maps (and lists, by index) as text, or null where the path ends. */
    static String valueAt(Map<String, Object> attributes, String[] path) {
        Object current = attributes;
        for (String segment : path) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(segment);
            } else if (current instanceof List<?> list && !segment.isEmpty()
                    && segment.chars().allMatch(Character::isDigit) && segment.length() < 10) {
                int index = Integer.parseInt(segment);
                current = index < list.size() ? list.get(index) : null;
            } else {
                return null;
            }
            if (current == null) {
                return null;
            }
        }
        return current instanceof Map<?, ?> || current instanceof List<?> ? null : String.valueOf(current);
    }

    private static String nameOf(Element element) {
        Object name = element.attributes().get("name");
        return name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
    }

    static String encodeCursor(String lastId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastId.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed cursor '" + cursor + "'", e);
        }
    }

    Builder toBuilder() {
        return new Builder(this);
    }

    /** A mutable copy of an index from which the next revision is built. Not thread-safe. */
    static final class Builder {
        private final TreeMap<String, Element> elements;
        private final Map<String, List<Relation>> outgoing;
        private final Map<String, List<Relation>> incoming;
        private final TreeSet<Relation> dangling = new TreeSet<>(DANGLING_ORDER);

        private Builder(ModelIndex base) {
            this.elements = new TreeMap<>(base.elements);
            this.outgoing = new HashMap<>(base.outgoing);
            this.incoming = new HashMap<>(base.incoming);
            this.dangling.addAll(base.dangling);
        }

        Element element(String id) {
            return elements.get(id);
        }

        boolean contains(String id) {
            return elements.containsKey(id);
        }

        /** Adds or replaces an element; relations that waited for it stop dangling. */
        void put(Element element) {
            if (elements.put(element.id(), element) == null && !dangling.isEmpty()) {
                for (Relation relation : outgoing.getOrDefault(element.id(), List.of())) {
                    if (elements.containsKey(relation.to())) {
                        dangling.remove(relation);
                    }
                }
                for (Relation relation : incoming.getOrDefault(element.id(), List.of())) {
                    if (elements.containsKey(relation.from())) {
                        dangling.remove(relation);
                    }
                }
            }
        }

        /** Removes the element and returns the relations that went with it. */
        List<Relation> remove(String id) {
            elements.remove(id);
            List<Relation> gone = new ArrayList<>(outgoing.getOrDefault(id, List.of()));
            gone.addAll(incoming.getOrDefault(id, List.of()));
            for (Relation relation : gone) {
                removeRelation(relation.type(), relation.from(), relation.to());
            }
            return gone;
        }

        Relation relation(RelationType type, String from, String to) {
            for (Relation relation : outgoing.getOrDefault(from, List.of())) {
                if (relation.type() == type && relation.to().equals(to)) {
                    return relation;
                }
            }
            return null;
        }

        /**
         * Adds or replaces a relation. A relation one of whose ends is not (yet) an element is kept
         * as a dangling reference: listed, stored, but never walked.
         */
        void putRelation(Relation relation) {
            removeRelation(relation.type(), relation.from(), relation.to());
            outgoing.put(relation.from(), with(outgoing.get(relation.from()), relation, BY_TARGET));
            incoming.put(relation.to(), with(incoming.get(relation.to()), relation, BY_SOURCE));
            if (!elements.containsKey(relation.from()) || !elements.containsKey(relation.to())) {
                dangling.add(relation);
            }
        }

        /** Removes the relation with this key; returns it, or null when there was none. */
        Relation removeRelation(RelationType type, String from, String to) {
            Relation existing = relation(type, from, to);
            if (existing == null) {
                return null;
            }
            outgoing.compute(from, (id, list) -> without(list, existing));
            incoming.compute(to, (id, list) -> without(list, existing));
            dangling.remove(existing);
            return existing;
        }

        ModelIndex build(long revision) {
            return new ModelIndex(revision, elements, outgoing, incoming, dangling);
        }

        private static List<Relation> with(List<Relation> list, Relation relation, Comparator<Relation> order) {
            List<Relation> copy = list == null ? new ArrayList<>(1) : new ArrayList<>(list);
            copy.add(relation);
            copy.sort(order);
            return List.copyOf(copy);
        }

        private static List<Relation> without(List<Relation> list, Relation relation) {
            if (list == null) {
                return null;
            }
            List<Relation> copy = new ArrayList<>(list);
            copy.remove(relation);
            return copy.isEmpty() ? null : List.copyOf(copy);
        }
    }
}
