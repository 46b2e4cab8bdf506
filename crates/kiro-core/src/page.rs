//! Keyset pagination as services and stores trade it: which page to read ([`PageRequest`])
//! and what came back ([`Paged`]).
//!
//! Every list orders its items by a time then a unique id (ids are UUIDv7, so the two agree),
//! and a page starts strictly after the [`SortKey`] of the last item of the previous page.
//! A position is a value, not an offset: rows inserted or deleted between two page requests
//! never shift, repeat or skip the items that were already there. How a position travels to
//! the client (the opaque cursor) is the server's business, not this module's.

/// Where an item sits in its list's order: its time in unix milliseconds, then its id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SortKey {
    pub at_ms: i64,
    pub id: String,
}

/// One page to read: at most `limit` items, starting after `after` (from the start when
/// `None`). The server checks `limit` against the wire contract's bounds; stores trust it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: u32,
    pub after: Option<SortKey>,
}

impl PageRequest {
    /// The first `limit` items.
    pub fn first(limit: u32) -> Self {
        Self { limit, after: None }
    }

    /// How many rows a store should fetch: one more than `limit`, to learn whether another
    /// page follows without counting.
    pub fn fetch_limit(&self) -> i64 {
        i64::from(self.limit) + 1
    }
}

/// One page of records: the items, and the key to continue after when more follow.
#[derive(Debug, Clone, PartialEq)]
pub struct Paged<T> {
    pub items: Vec<T>,
    /// The sort key of the last item, present only when another page follows.
    pub next: Option<SortKey>,
}

impl<T> Paged<T> {
    /// A page from up to `request.fetch_limit()` rows in list order: the extra row, when
    /// there, is dropped and only says that a next page exists.
    pub fn from_rows(mut rows: Vec<T>, request: &PageRequest, key: impl Fn(&T) -> SortKey) -> Self {
        let limit = usize::try_from(request.limit).unwrap_or(usize::MAX);
        if rows.len() <= limit {
            return Self {
                items: rows,
                next: None,
            };
        }
        rows.truncate(limit);
        let next = rows.last().map(key);
        Self { items: rows, next }
    }

    /// The same page with every item mapped.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Paged<U> {
        Paged {
            items: self.items.into_iter().map(f).collect(),
            next: self.next,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: &i64) -> SortKey {
        SortKey {
            at_ms: *n,
            id: n.to_string(),
        }
    }

    #[test]
    fn the_extra_row_only_says_another_page_follows() {
        let request = PageRequest::first(2);
        assert_eq!(request.fetch_limit(), 3);

        let full = Paged::from_rows(vec![1, 2, 3], &request, key);
        assert_eq!(full.items, vec![1, 2]);
        assert_eq!(full.next, Some(key(&2)));

        let last = Paged::from_rows(vec![1, 2], &request, key);
        assert_eq!(last.items, vec![1, 2]);
        assert_eq!(last.next, None);

        let empty = Paged::from_rows(Vec::<i64>::new(), &request, key);
        assert!(empty.items.is_empty() && empty.next.is_none());
    }

    #[test]
    fn keys_order_by_time_then_id() {
        let a = SortKey {
            at_ms: 1,
            id: "b".into(),
        };
        let b = SortKey {
            at_ms: 2,
            id: "a".into(),
        };
        let c = SortKey {
            at_ms: 2,
            id: "b".into(),
        };
        assert!(a < b && b < c);
    }
}
