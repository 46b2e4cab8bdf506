//! Tenancy: which workspace a request acts in and with what role, and the workspace and
//! member management rules (roles, the last owner, personal workspaces). Every service
//! receives a [`Tenant`] and scopes its queries by `tenant.workspace_id`.

mod error;
pub mod members;
mod tenant;
mod workspaces;

use std::sync::Arc;

pub use error::TenancyError;
pub use members::MemberRef;
pub use tenant::{Access, Tenant, scopes_allow};

use crate::clock::Clock;
use crate::store::Store;

/// Workspaces, memberships and access resolution.
pub struct TenancyService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl TenancyService {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }
}
