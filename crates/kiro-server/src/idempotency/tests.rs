use super::*;

fn hash(method: Method, uri: &str, workspace: Option<&'static str>, body: &[u8]) -> String {
    let uri: Uri = uri.parse().unwrap_or_default();
    let workspace = workspace.map(HeaderValue::from_static);
    request_hash(&method, &uri, workspace.as_ref(), body)
}

#[test]
fn requests_hash_the_same_only_when_everything_matches() {
    let base = hash(Method::POST, "/v1/workspaces?a=1", None, b"{}");
    assert_eq!(base.len(), 64);
    assert_eq!(base, hash(Method::POST, "/v1/workspaces?a=1", None, b"{}"));
    for other in [
        hash(Method::PUT, "/v1/workspaces?a=1", None, b"{}"),
        hash(Method::POST, "/v1/workspace?a=1", None, b"{}"),
        hash(Method::POST, "/v1/workspaces?a=2", None, b"{}"),
        hash(Method::POST, "/v1/workspaces?a=1", Some("ws"), b"{}"),
        hash(Method::POST, "/v1/workspaces?a=1", None, b"{ }"),
    ] {
        assert_ne!(base, other);
    }
    // Parts do not run together.
    assert_ne!(
        hash(Method::POST, "/v1/x?ab", None, b""),
        hash(Method::POST, "/v1/x?a", None, b"b")
    );
}

#[test]
fn the_key_header_must_be_single_and_visible_ascii() {
    let mut headers = HeaderMap::new();
    headers.insert(IDEMPOTENCY_KEY, HeaderValue::from_static("abc-123"));
    assert_eq!(idempotency_key(&headers).ok().as_deref(), Some("abc-123"));
    headers.append(IDEMPOTENCY_KEY, HeaderValue::from_static("again"));
    assert!(idempotency_key(&headers).is_err());
    headers.insert(IDEMPOTENCY_KEY, HeaderValue::from_static("has space"));
    assert!(idempotency_key(&headers).is_err());
    headers.insert(IDEMPOTENCY_KEY, HeaderValue::from_static(""));
    assert!(idempotency_key(&headers).is_err());
}

#[test]
fn only_headers_worth_replaying_are_kept() {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(
        header::LOCATION,
        HeaderValue::from_static("/v1/workspaces/1"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from_static("2"));
    headers.insert("x-request-id", HeaderValue::from_static("req-1"));
    assert_eq!(
        replayed_headers(&headers),
        vec![
            ("content-type".to_owned(), "application/json".to_owned()),
            ("location".to_owned(), "/v1/workspaces/1".to_owned()),
        ]
    );
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused() {
    let refused = read_body(Body::from(vec![0u8; 11]), 10).await;
    assert!(refused.is_err_and(|e| e.code == ErrorCode::RequestPayloadTooLarge));
    let read = read_body(Body::from(vec![1u8; 10]), 10).await;
    assert!(read.is_ok_and(|b| b.len() == 10));
}

/// The middleware over a tiny router on a real (SQLite) state, counting handler runs.
mod middleware {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use axum::Router;
    use axum::routing::post;
    use kiro_core::StoreError;
    use kiro_core::SystemClock;
    use kiro_types::UserId;
    use tower::ServiceExt;

    use super::*;
    use crate::config::Config;

    struct Fixture {
        state: AppState,
        router: Router,
        runs: Arc<AtomicUsize>,
        principal: Principal,
        _dir: tempfile::TempDir,
    }

    async fn fixture() -> anyhow::Result<Fixture> {
        let dir = tempfile::tempdir()?;
        let mut config = Config::default();
        config.server.data_dir = dir.path().display().to_string();
        config.database.url = format!("sqlite://{}", dir.path().join("kiro.db").display());
        let state = AppState::build(config, Arc::new(SystemClock)).await?;
        let runs = Arc::new(AtomicUsize::new(0));
        let counted = |status: StatusCode| {
            let runs = runs.clone();
            move || async move {
                runs.fetch_add(1, Ordering::SeqCst);
                (status, "ran")
            }
        };
        let router = Router::new()
            .route("/created", post(counted(StatusCode::CREATED)))
            .route("/failed", post(counted(StatusCode::INTERNAL_SERVER_ERROR)))
            .route("/hangs", post(std::future::pending::<StatusCode>))
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                idempotency,
            ));
        Ok(Fixture {
            state,
            router,
            runs,
            principal: Principal::User {
                user_id: UserId::new(),
                session_id: None,
                default_workspace: None,
            },
            _dir: dir,
        })
    }

    impl Fixture {
        async fn post(&self, path: &str, key: &str) -> anyhow::Result<Response> {
            Ok(self
                .router
                .clone()
                .oneshot(self.request(path, key)?)
                .await?)
        }

        fn request(&self, path: &str, key: &str) -> anyhow::Result<Request> {
            let mut request = axum::http::Request::builder()
                .method(Method::POST)
                .uri(path)
                .header(IDEMPOTENCY_KEY, key)
                .body(Body::from("{}"))?;
            request
                .extensions_mut()
                .insert(Authenticated(self.principal.clone()));
            Ok(request)
        }

        async fn held(&self, key: &str) -> anyhow::Result<bool> {
            let found = self
                .state
                .store
                .get_idempotency_key(&self.principal.key(), key, chrono::Utc::now())
                .await;
            match found {
                Ok(_) => Ok(true),
                Err(StoreError::NotFound) => Ok(false),
                Err(e) => Err(e.into()),
            }
        }
    }

    #[tokio::test]
    async fn a_success_runs_once_and_is_replayed() -> anyhow::Result<()> {
        let f = fixture().await?;

        let first = f.post("/created", "k1").await?;
        let second = f.post("/created", "k1").await?;

        assert_eq!(f.runs.load(Ordering::SeqCst), 1);
        assert_eq!(first.status(), StatusCode::CREATED);
        assert_eq!(second.status(), StatusCode::CREATED);
        assert!(first.headers().get(&IDEMPOTENCY_REPLAYED).is_none());
        assert_eq!(second.headers()[&IDEMPOTENCY_REPLAYED], "true");
        assert!(second.extensions().get::<Rendered>().is_some());
        let body = second.into_body().collect().await?.to_bytes();
        assert_eq!(&body[..], b"ran");
        Ok(())
    }

    #[tokio::test]
    async fn a_server_error_is_not_stored_and_a_retry_runs_again() -> anyhow::Result<()> {
        let f = fixture().await?;

        let first = f.post("/failed", "k2").await?;
        assert!(!f.held("k2").await?, "the key is released");
        let retry = f.post("/failed", "k2").await?;

        assert_eq!(first.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(retry.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(retry.headers().get(&IDEMPOTENCY_REPLAYED).is_none());
        assert_eq!(f.runs.load(Ordering::SeqCst), 2);
        Ok(())
    }

    #[tokio::test]
    async fn an_abandoned_request_gives_its_key_up() -> anyhow::Result<()> {
        let f = fixture().await?;
        let running = tokio::spawn(f.router.clone().oneshot(f.request("/hangs", "k3")?));
        while !f.held("k3").await? {
            tokio::task::yield_now().await;
        }

        // A timeout or a client that goes away drops the request midway.
        running.abort();
        assert!(running.await.is_err_and(|e| e.is_cancelled()));

        // Dropping the request spawns the release; poll for it against a
        // generous deadline, since a loaded CI machine can be slow to run it.
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
        while tokio::time::Instant::now() < deadline {
            if !f.held("k3").await? {
                return Ok(());
            }
            tokio::task::yield_now().await;
        }
        anyhow::bail!("the abandoned request still holds its key")
    }
}
