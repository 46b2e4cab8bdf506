//! Paging on the wire: the query parameters every list endpoint takes (`?limit=&cursor=`)
//! and the list envelope `{items, nextCursor}` it answers with.

use serde::{Deserialize, Serialize};

/// The page size when a request gives no `limit`.
pub const DEFAULT_PAGE_LIMIT: u32 = 50;

/// The largest `limit` a list accepts.
pub const MAX_PAGE_LIMIT: u32 = 200;

/// Which page of a list to return.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "schema", into_params(parameter_in = Query))]
pub struct PageParams {
    /// How many items to return, from 1 to 200 (default 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", param(minimum = 1, maximum = 200, default = 50))]
    pub limit: Option<u32>,
    /// The `nextCursor` of the previous page; omit it for the first page. Cursors are
    /// opaque and only valid for the list that returned them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass back as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}
