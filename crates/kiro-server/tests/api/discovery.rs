//! Discovery, health and metrics shapes.

use kiro_testkit::{TestServer, on_both_backends};
use reqwest::{Method, StatusCode};

use crate::helpers::{call, http};

async fn discovery_lists_all_six_services(server: TestServer) -> anyhow::Result<()> {
    let reply = call(&server, Method::GET, "/v1/services", None, None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["apiVersion"], kiro_types::API_VERSION);
    let names: Vec<&str> = reply.body["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "planning",
            "prototyping",
            "documentation",
            "workflow",
            "execution",
            "assessment"
        ]
    );
    for service in reply.body["services"].as_array().unwrap() {
        // A service that has landed is available with its capabilities; the rest say so.
        let landed = service["status"] == "available";
        assert!(landed || service["status"] == "unavailable", "{service}");
        assert_eq!(service["version"], if landed { "1.0" } else { "0.0" });
        assert_eq!(
            service["capabilities"].as_array().unwrap().is_empty(),
            !landed
        );
        assert!(!service["endpoints"].as_array().unwrap().is_empty());
    }
    assert_eq!(reply.body["services"][4]["status"], "available");
    let assessment = &reply.body["services"][5];
    assert_eq!(assessment["status"], "available");
    Ok(())
}

async fn health_reports_dependencies(server: TestServer) -> anyhow::Result<()> {
    let live = call(&server, Method::GET, "/v1/health/live", None, None).await;
    assert_eq!(live.body["status"], "ok");
    let ready = call(&server, Method::GET, "/v1/health/ready", None, None).await;
    assert_eq!(ready.status, StatusCode::OK);
    let health = call(&server, Method::GET, "/v1/health", None, None).await;
    assert_eq!(health.body["status"], "available");
    let checks = health.body["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 2);
    let backend = match server.backend {
        kiro_testkit::Backend::Sqlite => "database (sqlite)",
        kiro_testkit::Backend::Postgres => "database (postgres)",
    };
    assert_eq!(checks[0]["name"], backend);
    assert!(
        checks
            .iter()
            .all(|c| c["status"] == "pass" && c["latencyMs"].as_f64().unwrap() >= 0.0)
    );
    assert_eq!(health.body["services"].as_array().unwrap().len(), 6);
    Ok(())
}

async fn metrics_count_requests_per_route(server: TestServer) -> anyhow::Result<()> {
    call(&server, Method::GET, "/v1/health/live", None, None).await;
    call(&server, Method::GET, "/v1/auth/me", None, None).await;
    let text = http()
        .get(server.url("/metrics"))
        .send()
        .await?
        .text()
        .await?;
    assert!(text.contains("http_requests_total{"), "{text}");
    assert!(text.contains(r#"route="/v1/health/live""#));
    assert!(text.contains(r#"status="401""#));
    assert!(text.contains("http_request_duration_seconds_bucket{"));
    Ok(())
}

on_both_backends!(
    discovery_lists_all_six_services,
    health_reports_dependencies,
    metrics_count_requests_per_route,
);
