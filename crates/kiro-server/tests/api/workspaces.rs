//! Workspaces and members: CRUD, roles, the last owner, optimistic renames, and isolation
//! between tenants (another workspace's ids answer 404, never 403).

use kiro_testkit::{TestServer, on_both_backends};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::assert_error_snapshot;
use crate::helpers::{Reply, call, http, new_user};

async fn personal_id(server: &TestServer, token: &str) -> String {
    let me = call(server, Method::GET, "/v1/auth/me", Some(token), None).await;
    me.body["workspaces"][0]["id"].as_str().unwrap().to_owned()
}

async fn a_second_user_sees_nothing_of_the_first(server: TestServer) -> anyhow::Result<()> {
    let (alice, _, _) = new_user(&server, "Alice").await;
    let (bob, _, _) = new_user(&server, "Bob").await;
    let team = call(
        &server,
        Method::POST,
        "/v1/workspaces",
        Some(&alice),
        Some(json!({ "name": "Alice's team" })),
    )
    .await;
    assert_eq!(team.status, StatusCode::CREATED);
    let team_id = team.body["id"].as_str().unwrap().to_owned();
    let alice_personal = personal_id(&server, &alice).await;
    call(
        &server,
        Method::POST,
        "/v1/auth/api-keys",
        Some(&alice),
        Some(json!({ "name": "k" })),
    )
    .await;

    let listed = call(&server, Method::GET, "/v1/workspaces", Some(&bob), None).await;
    let text = listed.body.to_string();
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
    assert!(!text.contains(&team_id) && !text.contains(&alice_personal));

    for path in [
        format!("/v1/workspaces/{team_id}"),
        format!("/v1/workspaces/{alice_personal}/members"),
    ] {
        let reply = call(&server, Method::GET, &path, Some(&bob), None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(reply.code(), "workspace.not_found");
    }
    let rename = call(
        &server,
        Method::PATCH,
        &format!("/v1/workspaces/{team_id}"),
        Some(&bob),
        Some(json!({ "name": "mine now" })),
    )
    .await;
    assert_eq!(rename.status, StatusCode::NOT_FOUND);
    let keys = Reply::from(
        http()
            .get(server.url("/v1/auth/api-keys"))
            .bearer_auth(&bob)
            .header("X-Kiro-Workspace", &alice_personal)
            .send()
            .await?,
    )
    .await;
    assert_eq!(keys.status, StatusCode::NOT_FOUND);
    assert_error_snapshot!("foreign_workspace", &keys.body);
    Ok(())
}

async fn workspaces_are_created_renamed_and_deleted(server: TestServer) -> anyhow::Result<()> {
    let (owner, _, _) = new_user(&server, "Owner").await;
    let created = call(
        &server,
        Method::POST,
        "/v1/workspaces",
        Some(&owner),
        Some(json!({ "name": "  Biology 101  " })),
    )
    .await;
    assert_eq!(created.body["name"], "Biology 101");
    assert_eq!(created.body["version"], 1);
    let id = created.body["id"].as_str().unwrap().to_owned();
    let path = format!("/v1/workspaces/{id}");

    let renamed = Reply::from(
        http()
            .patch(server.url(&path))
            .bearer_auth(&owner)
            .header("If-Match", "\"1\"")
            .json(&json!({ "name": "Biology 102" }))
            .send()
            .await?,
    )
    .await;
    assert_eq!(renamed.status, StatusCode::OK, "{:?}", renamed.body);
    assert_eq!(renamed.body["version"], 2);
    let stale = Reply::from(
        http()
            .patch(server.url(&path))
            .bearer_auth(&owner)
            .header("If-Match", "\"1\"")
            .json(&json!({ "name": "Lost update" }))
            .send()
            .await?,
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(
        stale.body["error"]["details"]["current"]["name"],
        "Biology 102"
    );

    let personal = personal_id(&server, &owner).await;
    let refused = call(
        &server,
        Method::DELETE,
        &format!("/v1/workspaces/{personal}"),
        Some(&owner),
        None,
    )
    .await;
    assert_eq!(refused.code(), "workspace.personal");
    let deleted = call(&server, Method::DELETE, &path, Some(&owner), None).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(
        call(&server, Method::GET, &path, Some(&owner), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    Ok(())
}

async fn members_and_roles_follow_the_rules(server: TestServer) -> anyhow::Result<()> {
    let (owner, _, _) = new_user(&server, "Own").await;
    let (member, _, member_email) = new_user(&server, "Mem").await;
    let ws = call(
        &server,
        Method::POST,
        "/v1/workspaces",
        Some(&owner),
        Some(json!({ "name": "Team" })),
    )
    .await;
    let ws = ws.body["id"].as_str().unwrap().to_owned();
    let members = format!("/v1/workspaces/{ws}/members");

    let added = call(
        &server,
        Method::POST,
        &members,
        Some(&owner),
        Some(json!({ "email": member_email.to_uppercase(), "role": "member" })),
    )
    .await;
    assert_eq!(added.status, StatusCode::CREATED, "{:?}", added.body);
    let member_id = added.body["userId"].as_str().unwrap().to_owned();
    let again = call(
        &server,
        Method::POST,
        &members,
        Some(&owner),
        Some(json!({ "email": member_email, "role": "viewer" })),
    )
    .await;
    assert_eq!(again.code(), "workspace.member.exists");
    let nobody = call(
        &server,
        Method::POST,
        &members,
        Some(&owner),
        Some(json!({ "email": "ghost@example.com", "role": "viewer" })),
    )
    .await;
    assert_eq!(nobody.code(), "user.not_found");

    // A member cannot add people; the workspace list now needs a header for them.
    let by_member = call(
        &server,
        Method::POST,
        &members,
        Some(&member),
        Some(json!({ "email": "x@example.com", "role": "viewer" })),
    )
    .await;
    assert_eq!(by_member.status, StatusCode::FORBIDDEN);
    let ambiguous = call(
        &server,
        Method::GET,
        "/v1/auth/api-keys",
        Some(&member),
        None,
    )
    .await;
    // The member's token names their personal workspace (issued before they joined).
    assert_eq!(ambiguous.status, StatusCode::OK);

    let owner_id = call(&server, Method::GET, "/v1/auth/me", Some(&owner), None)
        .await
        .body["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let demote_last = call(
        &server,
        Method::PATCH,
        &format!("{members}/{owner_id}"),
        Some(&owner),
        Some(json!({ "role": "admin" })),
    )
    .await;
    assert_eq!(demote_last.status, StatusCode::CONFLICT);
    assert_error_snapshot!("last_owner", &demote_last.body);
    let leave_last = call(
        &server,
        Method::DELETE,
        &format!("{members}/{owner_id}"),
        Some(&owner),
        None,
    )
    .await;
    assert_eq!(leave_last.code(), "workspace.last_owner");

    let promoted = call(
        &server,
        Method::PATCH,
        &format!("{members}/{member_id}"),
        Some(&owner),
        Some(json!({ "role": "owner" })),
    )
    .await;
    assert_eq!(promoted.body["role"], "owner");
    let leave = call(
        &server,
        Method::DELETE,
        &format!("{members}/{owner_id}"),
        Some(&owner),
        None,
    )
    .await;
    assert_eq!(leave.status, StatusCode::NO_CONTENT);
    let list = call(&server, Method::GET, &members, Some(&member), None).await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    Ok(())
}

async fn several_workspaces_need_a_header(server: TestServer) -> anyhow::Result<()> {
    let (_, _, email) = new_user(&server, "Multi").await;
    // A second workspace makes the default ambiguous for tokens issued from now on.
    let first = crate::helpers::login(&server, &email, "a-good-password").await;
    let access = first["access_token"].as_str().unwrap();
    call(
        &server,
        Method::POST,
        "/v1/workspaces",
        Some(access),
        Some(json!({ "name": "Second" })),
    )
    .await;
    let fresh = crate::helpers::login(&server, &email, "a-good-password").await;
    let fresh = fresh["access_token"].as_str().unwrap();
    let reply = call(&server, Method::GET, "/v1/auth/api-keys", Some(fresh), None).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_error_snapshot!("workspace_required", &reply.body);
    let ws = personal_id(&server, fresh).await;
    let chosen = Reply::from(
        http()
            .get(server.url("/v1/auth/api-keys"))
            .bearer_auth(fresh)
            .header("X-Kiro-Workspace", &ws)
            .send()
            .await?,
    )
    .await;
    assert_eq!(chosen.status, StatusCode::OK);
    let garbage = Reply::from(
        http()
            .get(server.url("/v1/auth/api-keys"))
            .bearer_auth(fresh)
            .header("X-Kiro-Workspace", "not-a-uuid")
            .send()
            .await?,
    )
    .await;
    assert_eq!(garbage.code(), "request.invalid_header");
    Ok(())
}

on_both_backends!(
    a_second_user_sees_nothing_of_the_first,
    workspaces_are_created_renamed_and_deleted,
    members_and_roles_follow_the_rules,
    several_workspaces_need_a_header,
);
