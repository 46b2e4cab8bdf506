//! The committed `openapi.json` must match what the handlers generate; regenerate it with
//! `cargo run -p kiro-server -- openapi > openapi.json`.

use kiro_testkit::spawn_server;

const COMMITTED: &str = include_str!("../../../../openapi.json");

#[test]
fn the_committed_openapi_document_matches_the_code() {
    let generated = serde_json::to_string_pretty(&kiro_server::routes::openapi()).unwrap();
    assert!(
        generated.trim() == COMMITTED.trim(),
        "openapi.json is out of date: run `cargo run -p kiro-server -- openapi > openapi.json`"
    );
    let doc: serde_json::Value = serde_json::from_str(COMMITTED).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/v1/auth/token",
        "/v1/auth/register",
        "/v1/workspaces/{id}/members",
        "/v1/health/ready",
        "/v1/batch",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is documented");
    }
}

#[tokio::test]
async fn the_server_serves_the_same_document() {
    let server = spawn_server().await.unwrap();
    let served: serde_json::Value = crate::helpers::http()
        .get(server.url("/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let generated = serde_json::to_value(kiro_server::routes::openapi()).unwrap();
    assert_eq!(served, generated);
}
