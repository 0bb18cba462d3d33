package dev.mandate.kernel.rest.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import dev.mandate.api.intent.ElementOwnership;
import dev.mandate.api.intent.IntentService;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ElementPage;
import dev.mandate.api.model.ElementQuery;
import dev.mandate.api.model.ModelSnapshot;

/**
 * Owner queries by the accountable owner (IOM §7): the team the {@code Ownership} rules in force
 * name for an element, else the owner its connector reported; none when neither is set. The
 * model's own query filters by the reported owner only, so owner queries are answered here by
 * paging through the other filters.
 */
final class AccountableOwners {
    /** Page size of the scans below the owner filter. */
    private static final int SCAN_PAGE = 1000;

    private AccountableOwners() {
    }

    /** The accountable owner of {@code element}, or null when it has none. */
    static String of(IntentService intent, Element element) {
        String owner = intent.ownership(element).map(ElementOwnership::accountable).orElse(element.owner());
        return owner == null || owner.isBlank() ? null : owner;
    }

    /**
     * Whether {@code element}'s accountable owner is {@code owner}: a team id, {@link ElementQuery#NO_OWNER}
     * for none, or null for any.
     */
    static boolean matches(IntentService intent, String owner, Element element) {
        if (owner == null) {
            return true;
        }
        String accountable = of(intent, element);
        return ElementQuery.NO_OWNER.equals(owner) ? accountable == null : owner.equals(accountable);
    }

    /**
     * {@code query} on {@code snapshot} with its owner condition ({@link ElementQuery#NO_OWNER} or a
     * team id) applied to accountable owners; pages and cursors as the model's own query gives them.
     */
    static ElementPage query(ModelSnapshot snapshot, IntentService intent, ElementQuery query) {
        if (query.owner() == null) {
            return snapshot.query(query);
        }
        Predicate<Element> owned = element -> matches(intent, query.owner(), element);
        List<Element> items = new ArrayList<>();
        String next = null;
        String pageStart = query.cursor();
        scan:
        while (true) {
            ElementPage page = snapshot.query(withoutOwner(query, pageStart, SCAN_PAGE));
            List<Element> found = page.items();
            for (int at = 0; at < found.size(); at++) {
                if (!owned.test(found.get(at))) {
                    continue;
                }
                if (items.size() == query.limit()) {
                    next = cursorAfter(snapshot, query, pageStart, found, items.get(items.size() - 1));
                    break scan;
                }
                items.add(found.get(at));
            }
            if (page.nextCursor() == null) {
                break;
            }
            pageStart = page.nextCursor();
        }
        return new ElementPage(snapshot.revision(), items, count(snapshot, query, owned), next);
    }

    /** How many elements of {@code snapshot} have no accountable owner. */
    static int countUnowned(ModelSnapshot snapshot, IntentService intent) {
        return count(snapshot, ElementQuery.all(SCAN_PAGE), element -> of(intent, element) == null);
    }

    private static int count(ModelSnapshot snapshot, ElementQuery query, Predicate<Element> owned) {
        int count = 0;
        String cursor = null;
        do {
            ElementPage page = snapshot.query(withoutOwner(query, cursor, SCAN_PAGE));
            for (Element element : page.items()) {
                if (owned.test(element)) {
                    count++;
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return count;
    }

    /**
     * The model's cursor after {@code last}, an element of the page read from {@code pageStart}:
     * that page read again, up to and including {@code last}, ends with it.
     */
    private static String cursorAfter(ModelSnapshot snapshot, ElementQuery query, String pageStart,
            List<Element> page, Element last) {
        int position = page.indexOf(last);
        if (position < 0) {
            // last was on an earlier page, whose end is pageStart
            return pageStart;
        }
        return snapshot.query(withoutOwner(query, pageStart, position + 1)).nextCursor();
    }

    private static ElementQuery withoutOwner(ElementQuery query, String cursor, int limit) {
        return new ElementQuery(query.kind(), query.provider(), null, query.environment(), query.trustZone(),
                query.text(), cursor, limit, query.labels(), query.attributes());
    }
}
