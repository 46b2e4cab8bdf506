//! Shared API mechanics: cursor pagination on every list (`?limit=&cursor=`, stable under
//! inserts, cursors bound to their list) and ETags on versioned resources (`If-None-Match`
//! → 304, `PATCH` answers with the new ETag).

use std::collections::HashSet;

use chrono::Duration;
use kiro_testkit::{TestServer, on_both_backends};
use reqwest::header::{ETAG, IF_MATCH, IF_NONE_MATCH};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::assert_error_snapshot;
use crate::helpers::{Reply, admin_token, call, http, new_user};

/// Creates an API key named `name` in the caller's workspace; returns its id.
async fn create_key(server: &TestServer, token: &str, name: &str) -> String {
    let created = call(
        server,
        Method::POST,
        "/v1/auth/api-keys",
        Some(token),
        Some(json!({ "name": name, "scopes": ["read"] })),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    created.body["id"].as_str().unwrap().to_owned()
}

/// Creates a workspace named `name`; returns its id.
async fn create_workspace(server: &TestServer, token: &str, name: &str) -> String {
    let created = call(
        server,
        Method::POST,
        "/v1/workspaces",
        Some(token),
        Some(json!({ "name": name })),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    created.body["id"].as_str().unwrap().to_owned()
}

/// `GET path` with `limit` and, after the first page, the previous page's cursor.
async fn get_page(
    server: &TestServer,
    token: &str,
    path: &str,
    limit: u32,
    cursor: Option<&str>,
) -> Reply {
    let separator = if path.contains('?') { '&' } else { '?' };
    let mut url = format!("{path}{separator}limit={limit}");
    if let Some(cursor) = cursor {
        url.push_str(&format!("&cursor={cursor}"));
    }
    let reply = call(server, Method::GET, &url, Some(token), None).await;
    assert_eq!(reply.status, StatusCode::OK, "{url}: {:?}", reply.body);
    reply
}

/// Walks a list `limit` at a time, calling `between` after every page that has a successor;
/// returns each page's items.
async fn walk<F, Fut>(
    server: &TestServer,
    token: &str,
    path: &str,
    limit: u32,
    mut between: F,
) -> Vec<Vec<Value>>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let reply = get_page(server, token, path, limit, cursor.as_deref()).await;
        pages.push(reply.body["items"].as_array().unwrap().clone());
        match reply.body.get("nextCursor") {
            Some(next) => cursor = Some(next.as_str().unwrap().to_owned()),
            None => return pages,
        }
        assert!(pages.len() < 50, "the walk of {path} does not end");
        between().await;
    }
}

fn field(items: &[Value], name: &str) -> Vec<String> {
    items
        .iter()
        .map(|item| item[name].as_str().unwrap().to_owned())
        .collect()
}

fn sizes(pages: &[Vec<Value>]) -> Vec<usize> {
    pages.iter().map(Vec::len).collect()
}

async fn api_keys_are_walked_page_by_page_each_exactly_once(
    server: TestServer,
) -> anyhow::Result<()> {
    let (token, _, _) = new_user(&server, "Walker").await;
    let mut created = Vec::new();
    for n in 0..5 {
        created.push(create_key(&server, &token, &format!("key {n}")).await);
        server.clock.advance(Duration::milliseconds(1));
    }

    let pages = walk(&server, &token, "/v1/auth/api-keys", 2, || async {}).await;

    assert_eq!(sizes(&pages), vec![2, 2, 1]);
    let ids = field(&pages.concat(), "id");
    created.reverse();
    assert_eq!(ids, created, "newest first, each key once");
    Ok(())
}

async fn inserts_between_pages_never_repeat_or_skip_an_item(
    server: TestServer,
) -> anyhow::Result<()> {
    let (token, _, _) = new_user(&server, "Busy").await;
    let mut originals = Vec::new();
    for n in 0..5 {
        originals.push(create_key(&server, &token, &format!("original {n}")).await);
    }
    originals.reverse();

    // Newest first: keys created mid-walk sort before the cursor and stay out of it.
    let mut extra = 0;
    let pages = walk(&server, &token, "/v1/auth/api-keys", 2, || {
        extra += 1;
        let (server, token) = (&server, &token);
        async move {
            for m in 0..3 {
                create_key(server, token, &format!("extra {extra}.{m}")).await;
            }
        }
    })
    .await;
    let seen = field(&pages.concat(), "id");
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no key twice: {seen:?}");
    let seen_originals: Vec<String> = seen
        .iter()
        .filter(|id| originals.contains(id))
        .cloned()
        .collect();
    assert_eq!(seen_originals, originals, "every original once, in order");

    // Oldest first: workspaces created mid-walk sort after the cursor and come at the end.
    let mut workspaces = vec![
        call(&server, Method::GET, "/v1/workspaces", Some(&token), None)
            .await
            .body["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned(),
    ];
    for n in 0..4 {
        server.clock.advance(Duration::milliseconds(1));
        workspaces.push(create_workspace(&server, &token, &format!("original {n}")).await);
    }
    let mut made = 0;
    let pages = walk(&server, &token, "/v1/workspaces", 2, || {
        made += 1;
        server.clock.advance(Duration::milliseconds(1));
        let (server, token) = (&server, &token);
        async move {
            create_workspace(server, token, &format!("late {made}")).await;
        }
    })
    .await
    .concat();
    let late: Vec<String> = field(&pages, "name")
        .into_iter()
        .filter(|name| name.starts_with("late "))
        .collect();
    let ids = field(&pages, "id");
    assert_eq!(ids[..5], workspaces[..], "every original once, in order");
    assert!(!late.is_empty(), "workspaces created mid-walk are reached");
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "no workspace twice");
    Ok(())
}

async fn members_clients_and_revoked_filters_page_too(server: TestServer) -> anyhow::Result<()> {
    let admin = admin_token(&server).await;
    for n in 0..3 {
        let created = call(
            &server,
            Method::POST,
            "/v1/auth/clients",
            Some(&admin),
            Some(json!({ "name": format!("app {n}") })),
        )
        .await;
        assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
        server.clock.advance(Duration::milliseconds(1));
    }
    let clients = walk(&server, &admin, "/v1/auth/clients", 2, || async {}).await;
    assert_eq!(sizes(&clients), vec![2, 1]);
    assert_eq!(
        field(&clients.concat(), "name"),
        ["app 2", "app 1", "app 0"]
    );

    let (owner, _, _) = new_user(&server, "Owner").await;
    let team = create_workspace(&server, &owner, "Team").await;
    let mut joined = Vec::new();
    for n in 0..3 {
        server.clock.advance(Duration::milliseconds(1));
        let (_, _, email) = new_user(&server, &format!("Member{n}")).await;
        let added = call(
            &server,
            Method::POST,
            &format!("/v1/workspaces/{team}/members"),
            Some(&owner),
            Some(json!({ "email": email, "role": "viewer" })),
        )
        .await;
        assert_eq!(added.status, StatusCode::CREATED, "{:?}", added.body);
        joined.push(email);
    }
    let members = walk(
        &server,
        &owner,
        &format!("/v1/workspaces/{team}/members"),
        1,
        || async {},
    )
    .await;
    assert_eq!(sizes(&members), vec![1; 4]);
    assert_eq!(field(&members.concat(), "email")[1..], joined[..]);

    let keys = [
        create_key(&server, &owner, "live 0").await,
        create_key(&server, &owner, "dead").await,
        create_key(&server, &owner, "live 1").await,
    ];
    let revoked = call(
        &server,
        Method::DELETE,
        &format!("/v1/auth/api-keys/{}", keys[1]),
        Some(&owner),
        None,
    )
    .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    let live = walk(
        &server,
        &owner,
        "/v1/auth/api-keys?revoked=false",
        1,
        || async {},
    )
    .await;
    assert_eq!(field(&live.concat(), "name"), ["live 1", "live 0"]);
    let dead = walk(
        &server,
        &owner,
        "/v1/auth/api-keys?revoked=true",
        1,
        || async {},
    )
    .await;
    assert_eq!(field(&dead.concat(), "name"), ["dead"]);
    Ok(())
}

async fn bad_limits_and_cursors_are_refused(server: TestServer) -> anyhow::Result<()> {
    let (token, _, _) = new_user(&server, "Careless").await;
    create_key(&server, &token, "one").await;
    create_key(&server, &token, "two").await;

    for limit in ["0", "201", "-1", "ten", "1.5", ""] {
        let path = format!("/v1/auth/api-keys?limit={limit}");
        let reply = call(&server, Method::GET, &path, Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(reply.code(), "request.invalid_query", "{path}");
        let message = reply.body["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("`limit`") && message.contains("1 to 200"),
            "{message}"
        );
        assert_eq!(
            reply.body["error"]["details"]["fields"][0]["field"],
            "limit"
        );
    }
    for limit in ["1", "200"] {
        let path = format!("/v1/auth/api-keys?limit={limit}");
        let reply = call(&server, Method::GET, &path, Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
    }

    for garbage in ["garbage", "eyJsaXN0IjoiYXBpS2V5cyJ9", "%%%"] {
        let path = format!("/v1/auth/api-keys?cursor={garbage}");
        let reply = call(&server, Method::GET, &path, Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path}");
        assert!(
            matches!(
                reply.code(),
                "request.invalid_cursor" | "request.invalid_query"
            ),
            "{path}: {:?}",
            reply.body
        );
    }
    let plain = call(
        &server,
        Method::GET,
        "/v1/auth/api-keys?cursor=garbage",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(plain.code(), "request.invalid_cursor");

    let filter = call(
        &server,
        Method::GET,
        "/v1/auth/api-keys?revoked=maybe",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(filter.code(), "request.invalid_query");

    // A cursor from the workspaces list means nothing to the API-key list.
    create_workspace(&server, &token, "Second").await;
    let workspaces = get_page(&server, &token, "/v1/workspaces", 1, None).await;
    let foreign = workspaces.body["nextCursor"].as_str().unwrap();
    let keys = get_page(&server, &token, "/v1/auth/api-keys", 1, None).await;
    let own = keys.body["nextCursor"].as_str().unwrap();
    assert_ne!(foreign, own);
    let reply = call(
        &server,
        Method::GET,
        &format!("/v1/auth/api-keys?cursor={foreign}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_error_snapshot!("cursor_from_another_list", &reply.body);
    Ok(())
}

/// `GET /v1/workspaces/{id}` with an optional `If-None-Match`.
async fn get_if_none_match(
    server: &TestServer,
    token: &str,
    path: &str,
    tag: Option<&str>,
) -> anyhow::Result<(StatusCode, Option<String>, Vec<u8>)> {
    let mut request = http().get(server.url(path)).bearer_auth(token);
    if let Some(tag) = tag {
        request = request.header(IF_NONE_MATCH, tag);
    }
    let response = request.send().await?;
    let status = response.status();
    let etag = response
        .headers()
        .get(ETAG)
        .map(|v| v.to_str().unwrap().to_owned());
    Ok((status, etag, response.bytes().await?.to_vec()))
}

async fn a_workspace_answers_with_its_version_as_etag(server: TestServer) -> anyhow::Result<()> {
    let (owner, _, _) = new_user(&server, "Tagger").await;
    let (stranger, _, _) = new_user(&server, "Stranger").await;
    let id = create_workspace(&server, &owner, "Tagged").await;
    let path = format!("/v1/workspaces/{id}");

    let (status, etag, body) = get_if_none_match(&server, &owner, &path, None).await?;
    assert_eq!((status, etag.as_deref()), (StatusCode::OK, Some("\"1\"")));
    let body: Value = serde_json::from_slice(&body)?;
    assert_eq!(body["version"], 1);

    for held in ["\"1\"", "W/\"1\"", "\"0\", \"1\"", "*"] {
        let (status, etag, body) = get_if_none_match(&server, &owner, &path, Some(held)).await?;
        assert_eq!(status, StatusCode::NOT_MODIFIED, "{held}");
        assert_eq!(etag.as_deref(), Some("\"1\""), "{held}");
        assert!(body.is_empty(), "{held}: a 304 has no body");
    }
    let (status, _, _) = get_if_none_match(&server, &owner, &path, Some("\"7\"")).await?;
    assert_eq!(status, StatusCode::OK);
    // A workspace the caller cannot see stays a 404, whatever it holds.
    let (status, etag, _) = get_if_none_match(&server, &stranger, &path, Some("*")).await?;
    assert_eq!((status, etag), (StatusCode::NOT_FOUND, None));

    let renamed = http()
        .patch(server.url(&path))
        .bearer_auth(&owner)
        .header(IF_MATCH, "\"1\"")
        .json(&json!({ "name": "Renamed" }))
        .send()
        .await?;
    assert_eq!(renamed.status(), StatusCode::OK);
    assert_eq!(renamed.headers()[ETAG], "\"2\"");
    let renamed = Reply::from(renamed).await;
    assert_eq!(renamed.body["version"], 2);

    let (status, etag, body) = get_if_none_match(&server, &owner, &path, Some("\"1\"")).await?;
    assert_eq!((status, etag.as_deref()), (StatusCode::OK, Some("\"2\"")));
    let body: Value = serde_json::from_slice(&body)?;
    assert_eq!(body["name"], "Renamed");
    let (status, _, _) = get_if_none_match(&server, &owner, &path, Some("\"2\"")).await?;
    assert_eq!(status, StatusCode::NOT_MODIFIED);

    // An unconditional PATCH (and `If-Match: *`) still answers with the new ETag.
    let star = http()
        .patch(server.url(&path))
        .bearer_auth(&owner)
        .header(IF_MATCH, "*")
        .json(&json!({ "name": "Again" }))
        .send()
        .await?;
    assert_eq!(star.status(), StatusCode::OK);
    assert_eq!(star.headers()[ETAG], "\"3\"");
    Ok(())
}

on_both_backends!(
    api_keys_are_walked_page_by_page_each_exactly_once,
    inserts_between_pages_never_repeat_or_skip_an_item,
    members_clients_and_revoked_filters_page_too,
    bad_limits_and_cursors_are_refused,
    a_workspace_answers_with_its_version_as_etag,
);
