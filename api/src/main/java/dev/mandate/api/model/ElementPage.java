package dev.mandate.api.model;

import java.util.List;

/**
 * One page of a query, in id order.
 *
 * @param revision   the model revision the page was read from
 * @param items      the elements on this page
 * @param total      how many elements match the query in that revision
 * @param nextCursor the cursor for the next page, or {@code null} on the last page
 */
public record ElementPage(long revision, List<Element> items, int total, String nextCursor) {
    public ElementPage {
        items = Immutables.list(items);
    }
}
