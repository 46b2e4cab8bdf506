//! Records → wire DTOs, in one place so every route shows a resource the same way.

use kiro_core::model::{ApiKey, Member, OAuthClient, User, Workspace};
use kiro_types::auth::{ApiKeyOut, ClientOut, UserOut};
use kiro_types::workspace::{MemberOut, Role, WorkspaceOut};

pub fn user_out(user: &User) -> UserOut {
    UserOut {
        id: user.id,
        email: user.email.clone(),
        name: user.name.clone(),
        is_admin: user.is_admin,
        created_at: user.created_at,
    }
}

pub fn workspace_out(workspace: &Workspace, role: Role) -> WorkspaceOut {
    WorkspaceOut {
        id: workspace.id,
        name: workspace.name.clone(),
        personal: workspace.personal,
        role,
        version: workspace.version,
        created_at: workspace.created_at,
        updated_at: workspace.updated_at,
    }
}

pub fn member_out(member: &Member) -> MemberOut {
    MemberOut {
        user_id: member.user_id,
        email: member.email.clone(),
        name: member.name.clone(),
        role: member.role,
        joined_at: member.joined_at,
    }
}

pub fn api_key_out(key: &ApiKey) -> ApiKeyOut {
    ApiKeyOut {
        id: key.id,
        name: key.name.clone(),
        prefix: key.prefix.clone(),
        scopes: key.scopes.clone(),
        workspace_id: key.workspace_id,
        created_by: key.created_by,
        created_at: key.created_at,
        expires_at: key.expires_at,
        last_used_at: key.last_used_at,
        revoked_at: key.revoked_at,
    }
}

pub fn client_out(client: &OAuthClient) -> ClientOut {
    ClientOut {
        client_id: client.client_id.clone(),
        name: client.name.clone(),
        confidential: client.secret_digest.is_some(),
        role: client.role,
        workspace_id: client.workspace_id,
        created_at: client.created_at,
        revoked_at: client.revoked_at,
    }
}
