//! The keyset half of pagination that every paged list shares: where a page starts.
//!
//! Each list's query filters with a row-value comparison on its two sort columns,
//! `(time, id) > ($n, $m)` ascending or `(time, id) < ($n, $m)` descending (both backends
//! evaluate it, and it matches the list's `ORDER BY`), fetches `limit + 1` rows, and hands
//! them to [`kiro_core::Paged::from_rows`]. Binding a bound on every page, the first one
//! included, keeps each list to one static statement.

use kiro_core::{PageRequest, SortKey};

/// The direction a list is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    /// Oldest first: the query keeps rows after the bound.
    Ascending,
    /// Newest first: the query keeps rows before the bound.
    Descending,
}

/// The `(time, id)` bound a page starts after: the request's key, or for a first page a key
/// beyond every stored row in the list's direction.
pub(crate) fn start_after(page: &PageRequest, order: Order) -> (i64, String) {
    match (&page.after, order) {
        (Some(SortKey { at_ms, id }), _) => (*at_ms, id.clone()),
        (None, Order::Ascending) => (i64::MIN, String::new()),
        (None, Order::Descending) => (i64::MAX, String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_page_starts_beyond_every_row() {
        let first = PageRequest::first(10);
        assert_eq!(start_after(&first, Order::Ascending).0, i64::MIN);
        assert_eq!(start_after(&first, Order::Descending).0, i64::MAX);
        let later = PageRequest {
            limit: 10,
            after: Some(SortKey {
                at_ms: 5,
                id: "x".into(),
            }),
        };
        assert_eq!(start_after(&later, Order::Descending), (5, "x".to_owned()));
    }
}
