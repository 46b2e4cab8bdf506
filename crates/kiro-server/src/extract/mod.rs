//! Request extractors that reject in the wire error format: JSON and form bodies with
//! validation, path and query parameters, paging, and the caller's identity and workspace.

mod auth;
mod form;
mod json;
mod page;
mod path;
mod query;

pub use auth::{
    Authenticated, ClientIp, WORKSPACE_HEADER, WorkspaceScope, credential_from_headers,
};
pub use form::OAuthForm;
pub use json::ValidJson;
pub use page::{Listing, PageQuery, lists};
pub use path::IdPath;
pub use query::ValidQuery;

/// `snake_case` → `camelCase`, for naming fields as the wire spells them.
pub(crate) fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}
