package dev.mandate.kernel.model.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementPage;
import dev.mandate.api.model.ElementQuery;
import dev.mandate.api.model.ModelSnapshot;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;

/**
 * One immutable revision of the model in memory: a node per id (sorted, for paging) holding the
 * element and the relations leaving and entering it.
 *
 * <p>Nodes live in a {@link HashChunks} map (lookups) and their ids in a {@link SortedChunks} map
 * (id order, for paging), so the next revision shares every chunk and partition a commit does not touch: a commit costs what it changes, not the size of the model. A node without an
 * element is the far end of a dangling relation. Relations keep the node's own id strings, and the
 * descriptive strings of elements (kind, provider, environment, zone, owner, labels) are interned
 * per store, so a million elements cost one copy of each distinct value.
 *
 * <p>Public only so that the benchmarks can drive it; the package is private to the bundle.
 */
public final class ModelIndex implements ModelSnapshot {
    private static final Relation[] NONE = new Relation[0];
    private static final Set<RelationType> DEFAULT_BLAST = EnumSet.of(RelationType.DEPENDS_ON, RelationType.CONTAINS);
    private static final Comparator<Relation> BY_TARGET = Comparator.comparing(Relation::type)
            .thenComparing(Relation::to).thenComparing(Relation::from);
    private static final Comparator<Relation> BY_SOURCE = Comparator.comparing(Relation::type)
            .thenComparing(Relation::from).thenComparing(Relation::to);
    private static final Comparator<Relation> DANGLING_ORDER = Comparator.comparing(Relation::from)
            .thenComparing(Relation::type).thenComparing(Relation::to);

    /** The empty model at revision 0. */
    public static final ModelIndex EMPTY = new ModelIndex(0, SortedChunks.empty(), HashChunks.empty(), 0, 0, List.of(),
            null);

    /** An id with its element (null for the far end of a dangling relation) and its relations, sorted. */
    static final class Node {
        final String id;
        final Element element;
        final Relation[] out;
        final Relation[] in;

        Node(String id, Element element, Relation[] out, Relation[] in) {
            this.id = id;
            this.element = element;
            this.out = out;
            this.in = in;
        }

        boolean isEmpty() {
            return element == null && out.length == 0 && in.length == 0;
        }
    }

    private final long revision;
    private final SortedChunks<String> nodes;
    private final HashChunks<Node> byId;
    private final int elementCount;
    private final int relationCount;
    private final List<Relation> dangling;
    private final Map<String, String> strings;

    private ModelIndex(long revision, SortedChunks<String> nodes, HashChunks<Node> byId, int elementCount,
            int relationCount, List<Relation> dangling, Map<String, String> strings) {
        this.revision = revision;
        this.nodes = nodes;
        this.byId = byId;
        this.elementCount = elementCount;
        this.relationCount = relationCount;
        this.dangling = dangling;
        this.strings = strings;
    }

    @Override
    public long revision() {
        return revision;
    }

    @Override
    public int size() {
        return elementCount;
    }

    @Override
    public Optional<Element> element(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Node node = byId.get(id);
        return node == null ? Optional.empty() : Optional.ofNullable(node.element);
    }

    /** Every element in id order. */
    Iterable<Element> elements() {
        return () -> elementsAfter(null);
    }

    private Iterator<Element> elementsAfter(String id) {
        Iterator<String> all = nodes.after(id);
        return new Iterator<>() {
            private Element next = advance();

            private Element advance() {
                while (all.hasNext()) {
                    Element element = byId.get(all.next()).element;
                    if (element != null) {
                        return element;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Element next() {
                Element current = next;
                if (current == null) {
                    throw new java.util.NoSuchElementException();
                }
                next = advance();
                return current;
            }
        };
    }

    /** The relation with this key, if present. */
    Optional<Relation> relation(RelationType type, String from, String to) {
        return Optional.ofNullable(find(byId.get(from), type, to));
    }

    private static Relation find(Node from, RelationType type, String to) {
        if (from == null) {
            return null;
        }
        for (Relation relation : from.out) {
            if (relation.type() == type && relation.to().equals(to)) {
                return relation;
            }
        }
        return null;
    }

    /** How many relations this revision holds, dangling ones included. */
    public int relationCount() {
        return relationCount;
    }

    @Override
    public List<Relation> danglingRelations() {
        return dangling;
    }

    @Override
    public List<Relation> outgoing(String id) {
        Node node = id == null ? null : byId.get(id);
        return node == null ? List.of() : Arrays.asList(node.out);
    }

    @Override
    public List<Relation> incoming(String id) {
        Node node = id == null ? null : byId.get(id);
        return node == null ? List.of() : Arrays.asList(node.in);
    }

    @Override
    public ElementPage query(ElementQuery query) {
        String after = decodeCursor(query.cursor());
        Predicate<Element> filter = filterOf(query);
        boolean unfiltered = query.kind() == null && query.provider() == null && query.owner() == null
                && query.environment() == null && query.trustZone() == null
                && (query.text() == null || query.text().isEmpty()) && query.labels().isEmpty()
                && query.attributes().isEmpty();
        List<Element> items = new ArrayList<>(Math.min(query.limit(), 64));
        String next = null;
        Iterator<Element> from = elementsAfter(after);
        while (from.hasNext()) {
            Element element = from.next();
            if (!filter.test(element)) {
                continue;
            }
            if (items.size() == query.limit()) {
                next = encodeCursor(items.get(items.size() - 1).id());
                break;
            }
            items.add(element);
        }
        int total = elementCount;
        if (!unfiltered) {
            total = 0;
            for (Element element : elements()) {
                if (filter.test(element)) {
                    total++;
                }
            }
        }
        return new ElementPage(revision, items, total, next);
    }

    @Override
    public BlastRadius blastRadius(String id, Set<RelationType> over, int cap) {
        Node startNode = id == null ? null : byId.get(id);
        Element start = startNode == null ? null : startNode.element;
        if (start == null) {
            throw new IllegalArgumentException("unknown element '" + id + "'");
        }
        int types = mask(over == null || over.isEmpty() ? DEFAULT_BLAST : over);
        if (!hasDependents(startNode, types)) {
            return BlastRadius.none(start.hasOwner() ? start.owner() : null, start.environment(), start.trustZone());
        }
        return radii.get(startNode, types, cap);
    }

    /** The relation types as bits (one per ordinal), so that a walk and its memo key need no set. */
    private static int mask(Set<RelationType> types) {
        int mask = 0;
        for (RelationType type : types) {
            mask |= 1 << type.ordinal();
        }
        return mask;
    }

    private static boolean walks(int types, RelationType type) {
        return (types & 1 << type.ordinal()) != 0;
    }

    private static boolean hasDependents(Node node, int types) {
        for (Relation relation : walks(types, RelationType.CONTAINS) ? node.out : NONE) {
            if (relation.type() == RelationType.CONTAINS) {
                return true;
            }
        }
        for (Relation relation : node.in) {
            if (relation.type() != RelationType.CONTAINS && walks(types, relation.type())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The walk itself: breadth first, each node's dependents in id order, the owners, environments
     * and trust zones of everything reached, stopping at {@code cap} dependents.
     */
    private BlastRadius walk(Node startNode, int types, int cap) {
        Element start = startNode.element;
        Set<String> owners = new HashSet<>();
        Set<String> environments = new HashSet<>();
        Set<String> trustZones = new HashSet<>();
        collect(start, owners, environments, trustZones);

        Set<String> visited = new HashSet<>();
        visited.add(startNode.id);
        List<String> dependents = new ArrayList<>();
        List<Node> frontier = List.of(startNode);
        List<String> neighbours = new ArrayList<>();
        int depth = 0;
        int level = 0;
        boolean truncated = false;
        walk:
        while (!frontier.isEmpty()) {
            level++;
            List<Node> nextLevel = new ArrayList<>();
            for (Node current : frontier) {
                dependentsOf(current, types, neighbours);
                for (String neighbour : neighbours) {
                    if (!visited.add(neighbour)) {
                        continue;
                    }
                    Node node = byId.get(neighbour);
                    Element element = node == null ? null : node.element;
                    if (element == null) {
                        continue; // a dangling reference: nothing there to reach
                    }
                    if (dependents.size() >= cap) {
                        truncated = true;
                        break walk;
                    }
                    dependents.add(neighbour);
                    collect(element, owners, environments, trustZones);
                    nextLevel.add(node);
                    depth = level;
                }
            }
            frontier = nextLevel;
        }
        return new BlastRadius(dependents.size(), depth, sorted(owners), sorted(environments), sorted(trustZones),
                dependents, truncated);
    }

    private static List<String> sorted(Set<String> values) {
        String[] array = values.toArray(new String[0]);
        Arrays.sort(array);
        return List.of(array);
    }

    /**
     * Ids one step further out from {@code node}, sorted and without repeats, into {@code into}
     * (cleared first). A node's relations are kept sorted by type and then by the far end's id, so
     * each type's ids are already in order; only dependents through several types need a sort.
     */
    private static void dependentsOf(Node node, int types, List<String> into) {
        into.clear();
        int runs = 0;
        if (walks(types, RelationType.CONTAINS)) {
            for (Relation relation : node.out) {
                if (relation.type() == RelationType.CONTAINS) {
                    into.add(relation.to());
                }
            }
            runs += into.isEmpty() ? 0 : 1;
        }
        RelationType previous = null;
        for (Relation relation : node.in) {
            RelationType type = relation.type();
            if (type != RelationType.CONTAINS && walks(types, type)) {
                if (type != previous) {
                    runs++;
                    previous = type;
                }
                into.add(relation.from());
            }
        }
        if (runs > 1) {
            into.sort(null);
            int kept = 0;
            for (int i = 0; i < into.size(); i++) {
                if (kept == 0 || !into.get(i).equals(into.get(kept - 1))) {
                    into.set(kept++, into.get(i));
                }
            }
            into.subList(kept, into.size()).clear();
        }
    }

    /**
     * Blast radii already walked in this revision. The revision never changes, so neither does an
     * answer: a decision on a shared service walks its dependents once per revision, not once per
     * request. Bounded: at most {@link #MEMO_ENTRIES} answers holding {@link #MEMO_IDS} dependents
     * in all; past that, walks are answered without being kept. Small walks (fewer than
     * {@link #MEMO_FROM} dependents) cost less than the memo and are not kept. Thread-safe.
     */
    static final int MEMO_ENTRIES = 1 << 16;
    static final int MEMO_IDS = 4_000_000;
    static final int MEMO_FROM = 8;

    private final Radii radii = new Radii();

    private final class Radii {
        private record Key(String id, int types, int cap) {
        }

        private final ConcurrentHashMap<Key, BlastRadius> memo = new ConcurrentHashMap<>();
        private final java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong();

        BlastRadius get(Node start, int types, int cap) {
            Key key = new Key(start.id, types, cap);
            BlastRadius known = memo.get(key);
            if (known != null) {
                return known;
            }
            BlastRadius radius = walk(start, types, cap);
            if (radius.count() >= MEMO_FROM && memo.size() < MEMO_ENTRIES
                    && ids.addAndGet(radius.count()) <= MEMO_IDS) {
                BlastRadius raced = memo.putIfAbsent(key, radius);
                return raced == null ? radius : raced;
            }
            return radius;
        }

        int size() {
            return memo.size();
        }
    }

    /** How many blast radii this revision keeps (for tests). */
    int memoisedRadii() {
        return radii.size();
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

    /** A builder for the next revision; shares everything it does not change with this one. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A mutable view of an index from which the next revision is built. Not thread-safe. */
    public static final class Builder {
        private final NodeEditor nodes;
        private final List<Relation> baseDangling;
        private final Map<String, String> strings;
        private TreeSet<Relation> dangling;
        private int elementCount;
        private int relationCount;

        private Builder(ModelIndex base) {
            this.nodes = new NodeEditor(base.nodes.edit(), base.byId.edit());
            this.baseDangling = base.dangling;
            this.strings = base.strings == null ? new ConcurrentHashMap<>() : base.strings;
            this.elementCount = base.elementCount;
            this.relationCount = base.relationCount;
        }

        public Element element(String id) {
            Node node = nodes.get(id);
            return node == null ? null : node.element;
        }

        public boolean contains(String id) {
            return element(id) != null;
        }

        /** Adds or replaces an element; relations that waited for it stop dangling. */
        public void put(Element element) {
            Node node = nodes.get(element.id());
            String id = node == null ? element.id() : node.id;
            Element compact = compact(element, id);
            if (node == null) {
                nodes.put(id, new Node(id, compact, NONE, NONE));
                elementCount++;
                return;
            }
            nodes.put(id, new Node(id, compact, node.out, node.in));
            if (node.element == null) {
                elementCount++;
                if (hasDangling()) {
                    for (Relation relation : node.out) {
                        if (contains(relation.to())) {
                            danglingSet().remove(relation);
                        }
                    }
                    for (Relation relation : node.in) {
                        if (contains(relation.from())) {
                            danglingSet().remove(relation);
                        }
                    }
                }
            }
        }

        /** The element with shared strings: one instance of each kind, owner, label … per store. */
        private Element compact(Element element, String id) {
            Map<String, String> labels = element.labels();
            if (!labels.isEmpty()) {
                Map<String, String> shared = new LinkedHashMap<>(labels.size() * 2);
                labels.forEach((key, value) -> shared.put(intern(key), intern(value)));
                labels = shared;
            }
            return new Element(id, intern(element.kind()), intern(element.provider()), intern(element.environment()),
                    intern(element.trustZone()), intern(element.owner()), labels, element.attributes(),
                    element.layers());
        }

        private String intern(String value) {
            if (value == null) {
                return null;
            }
            String known = strings.putIfAbsent(value, value);
            return known == null ? value : known;
        }

        /** Removes the element and returns the relations that went with it. */
        public List<Relation> remove(String id) {
            Node node = nodes.get(id);
            if (node == null || node.element == null) {
                return List.of();
            }
            List<Relation> gone = new ArrayList<>(node.out.length + node.in.length);
            gone.addAll(Arrays.asList(node.out));
            gone.addAll(Arrays.asList(node.in));
            for (Relation relation : gone) {
                removeRelation(relation.type(), relation.from(), relation.to());
            }
            nodes.remove(id);
            elementCount--;
            return gone;
        }

        public Relation relation(RelationType type, String from, String to) {
            return find(nodes.get(from), type, to);
        }

        /**
         * Adds or replaces a relation. A relation one of whose ends is not (yet) an element is kept
         * as a dangling reference: listed, stored, but never walked.
         */
        public void putRelation(Relation relation) {
            removeRelation(relation.type(), relation.from(), relation.to());
            Node from = nodeFor(relation.from());
            Node to = nodeFor(relation.to());
            Relation shared = from.id == relation.from() && to.id == relation.to() ? relation
                    : new Relation(relation.type(), from.id, to.id, relation.properties());
            nodes.put(from.id, new Node(from.id, from.element, with(from.out, shared, BY_TARGET), from.in));
            to = nodes.get(to.id);
            nodes.put(to.id, new Node(to.id, to.element, to.out, with(to.in, shared, BY_SOURCE)));
            relationCount++;
            if (from.element == null || to.element == null) {
                danglingSet().add(shared);
            }
        }

        private Node nodeFor(String id) {
            Node node = nodes.get(id);
            if (node == null) {
                node = new Node(id, null, NONE, NONE);
                nodes.put(id, node);
            }
            return node;
        }

        /** Removes the relation with this key; returns it, or null when there was none. */
        public Relation removeRelation(RelationType type, String from, String to) {
            Relation existing = relation(type, from, to);
            if (existing == null) {
                return null;
            }
            Node source = nodes.get(from);
            replace(new Node(source.id, source.element, without(source.out, existing), source.in));
            Node target = nodes.get(to);
            replace(new Node(target.id, target.element, target.out, without(target.in, existing)));
            relationCount--;
            if (hasDangling()) {
                danglingSet().remove(existing);
            }
            return existing;
        }

        private void replace(Node node) {
            if (node.isEmpty()) {
                nodes.remove(node.id);
            } else {
                nodes.put(node.id, node);
            }
        }

        private boolean hasDangling() {
            return dangling != null ? !dangling.isEmpty() : !baseDangling.isEmpty();
        }

        private TreeSet<Relation> danglingSet() {
            if (dangling == null) {
                dangling = new TreeSet<>(DANGLING_ORDER);
                dangling.addAll(baseDangling);
            }
            return dangling;
        }

        public ModelIndex build(long revision) {
            return new ModelIndex(revision, nodes.buildSorted(), nodes.byId.build(), elementCount, relationCount,
                    dangling == null ? baseDangling : List.copyOf(dangling), strings);
        }

        /**
         * Both maps of nodes, changed together; lookups go to the hash map. New ids reach the sorted
         * map at {@link #build()}, in order, so that a bulk load appends instead of searching.
         */
        private static final class NodeEditor {
            private final SortedChunks.Editor<String> sorted;
            private final HashChunks.Editor<Node> byId;
            private final List<String> added = new ArrayList<>();

            NodeEditor(SortedChunks.Editor<String> sorted, HashChunks.Editor<Node> byId) {
                this.sorted = sorted;
                this.byId = byId;
            }

            Node get(String id) {
                return byId.get(id);
            }

            /** Replacing a node (new relations, a new element version) leaves the sorted ids alone. */
            void put(String id, Node node) {
                if (byId.put(id, node) == null) {
                    added.add(id);
                }
            }

            void remove(String id) {
                byId.remove(id);
                sorted.remove(id); // an id added in this edit is not there yet; build() skips it
            }

            SortedChunks<String> buildSorted() {
                added.sort(null);
                String previous = null;
                for (String id : added) {
                    if (!id.equals(previous) && byId.get(id) != null) {
                        sorted.put(id, id);
                    }
                    previous = id;
                }
                added.clear();
                return sorted.build();
            }
        }

        private static Relation[] with(Relation[] relations, Relation relation, Comparator<Relation> order) {
            int at = Arrays.binarySearch(relations, relation, order);
            at = at >= 0 ? at : -at - 1;
            Relation[] copy = new Relation[relations.length + 1];
            System.arraycopy(relations, 0, copy, 0, at);
            copy[at] = relation;
            System.arraycopy(relations, at, copy, at + 1, relations.length - at);
            return copy;
        }

        private static Relation[] without(Relation[] relations, Relation relation) {
            for (int i = 0; i < relations.length; i++) {
                if (relations[i] == relation) {
                    if (relations.length == 1) {
                        return NONE;
                    }
                    Relation[] copy = new Relation[relations.length - 1];
                    System.arraycopy(relations, 0, copy, 0, i);
                    System.arraycopy(relations, i + 1, copy, i, relations.length - i - 1);
                    return copy;
                }
            }
            return relations;
        }
    }
}
