package io.miniflow.shared;

import java.util.List;

/** One page of results with what a pager needs to draw itself. */
public record PageResult<T>(List<T> items, PageRequest request, long total) {

    public int page() {
        return request.page();
    }

    public int totalPages() {
        return (int) Math.max(1, (total + request.size() - 1) / request.size());
    }

    public boolean hasPrevious() {
        return page() > 1;
    }

    public boolean hasNext() {
        return page() < totalPages();
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }
}
