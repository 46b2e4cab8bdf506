//! The web UI over plain HTTP, as a browser with JavaScript off sees it: forms post, pages
//! redirect, errors re-render the form, and sign-out revokes the Kiro session.

use std::time::Duration;

use futures::StreamExt;
use reqwest::StatusCode;
use reqwest::header::{LOCATION, SET_COOKIE};

use crate::App;

/// A browser without JavaScript: keeps cookies, does not follow redirects.
pub fn browser() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?)
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

pub async fn sign_up(
    app: &App,
    web: &reqwest::Client,
    name: &str,
    email: &str,
) -> anyhow::Result<()> {
    let response = web
        .post(app.url("/signup"))
        .form(&[
            ("name", name),
            ("email", email),
            ("password", "correct-horse"),
        ])
        .send()
        .await?;
    anyhow::ensure!(
        response.status() == StatusCode::SEE_OTHER,
        "sign-up answered {}: {}",
        response.status(),
        response.text().await?
    );
    assert_eq!(location(&response), "/onboarding");
    Ok(())
}

async fn sign_up_onboard_and_sign_out(app: App) -> anyhow::Result<()> {
    let web = browser()?;
    sign_up(&app, &web, "Ada", "ada@example.com").await?;

    let onboarding = web.get(app.url("/onboarding")).send().await?.text().await?;
    assert!(onboarding.contains("Welcome, Ada"));
    let started = web
        .post(app.url("/onboarding"))
        .form(&[("subject", "Cell biology")])
        .send()
        .await?;
    assert_eq!(location(&started), "/dashboard");
    let dashboard = web.get(app.url("/dashboard")).send().await?.text().await?;
    assert!(
        dashboard.contains("Cell biology"),
        "the new workspace is listed"
    );
    assert!(dashboard.contains("Diagnose") && dashboard.contains("Track mastery"));
    assert!(dashboard.contains("Kiro connected"));

    let kiro = web.get(app.url("/kiro")).send().await?.text().await?;
    assert!(kiro.contains("All changes are saved on the server."));
    assert!(kiro.contains(r#"data-service="assessment""#));
    assert!(
        kiro.contains("Not available right now"),
        "the fallback panel"
    );

    // Keep the session's tokens to prove the server-side session ends with sign-out.
    let session = app.up.web.sessions.only().await?;
    let tokens = session
        .client
        .tokens()
        .await
        .ok_or_else(|| anyhow::anyhow!("a signed-in session holds tokens"))?;
    let me = app.up.server.base_url() + "/v1/auth/me";
    let before = reqwest::Client::new()
        .get(&me)
        .bearer_auth(&tokens.access_token)
        .send()
        .await?;
    assert_eq!(before.status(), StatusCode::OK);
    let out = web.post(app.url("/signout")).send().await?;
    assert_eq!(location(&out), "/signin?signed_out=1");
    let cleared = out
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .any(|c| c.to_str().is_ok_and(|c| c.starts_with("cp_session=;")));
    assert!(cleared, "the session cookie is removed");
    let revoked: serde_json::Value = reqwest::Client::new()
        .get(&me)
        .bearer_auth(&tokens.access_token)
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(
        revoked["error"]["code"], "auth.session_revoked",
        "the Kiro session is revoked, so even the unexpired access token is refused"
    );
    assert!(app.up.web.sessions.is_empty().await);
    let after = web.get(app.url("/dashboard")).send().await?;
    assert_eq!(location(&after), "/signin");
    Ok(())
}

async fn bad_input_re_renders_the_form_and_changes_nothing(app: App) -> anyhow::Result<()> {
    let web = browser()?;
    let short = web
        .post(app.url("/signup"))
        .form(&[
            ("name", "Bo"),
            ("email", "bo@example.com"),
            ("password", "short"),
        ])
        .send()
        .await?;
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = short.text().await?;
    assert!(page.contains("password"), "names the field: {page}");
    assert!(
        page.contains(r#"value="bo@example.com""#),
        "keeps the email"
    );
    assert!(!page.contains("short\""), "never echoes the password");

    sign_up(&app, &web, "Bo", "bo@example.com").await?;
    let other = browser()?;
    let taken = other
        .post(app.url("/signup"))
        .form(&[
            ("name", "Bo"),
            ("email", "bo@example.com"),
            ("password", "another-pass"),
        ])
        .send()
        .await?;
    assert_eq!(taken.status(), StatusCode::CONFLICT);
    assert!(taken.text().await?.contains("already exists"));

    let wrong = other
        .post(app.url("/signin"))
        .form(&[("email", "bo@example.com"), ("password", "wrong-password")])
        .send()
        .await?;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    assert!(wrong.text().await?.contains("Wrong email or password."));
    let empty = other
        .post(app.url("/signin"))
        .form(&[("email", "")])
        .send()
        .await?;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let blank = web
        .post(app.url("/onboarding"))
        .form(&[("subject", "  ")])
        .send()
        .await?;
    assert_eq!(blank.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let dashboard = web.get(app.url("/dashboard")).send().await?.text().await?;
    assert!(
        dashboard.contains("no study workspace yet"),
        "nothing was created"
    );
    Ok(())
}

async fn pages_need_a_session(app: App) -> anyhow::Result<()> {
    let web = browser()?;
    for path in ["/dashboard", "/kiro", "/onboarding", "/live"] {
        let response = web.get(app.url(path)).send().await?;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&response), "/signin", "{path}");
    }
    let missing = web.get(app.url("/no/such/page")).send().await?;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing.text().await?.contains("This page does not exist"));
    let css = web.get(app.url("/assets/app.css")).send().await?;
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    Ok(())
}

/// Reads the event stream until an event of `kind` whose data contains `needle`.
pub async fn await_event<B: AsRef<[u8]>>(
    stream: &mut (impl futures::Stream<Item = reqwest::Result<B>> + Unpin),
    buffer: &mut String,
    kind: &str,
    needle: &str,
) -> anyhow::Result<()> {
    let wanted = format!("event: {kind}\n");
    tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            while let Some(end) = buffer.find("\n\n") {
                let event: String = buffer.drain(..end + 2).collect();
                if event.starts_with(&wanted) && event.contains(needle) {
                    return Ok(());
                }
            }
            match stream.next().await {
                Some(chunk) => buffer.push_str(&String::from_utf8_lossy(chunk?.as_ref())),
                None => anyhow::bail!("the event stream ended"),
            }
        }
    })
    .await?
}

async fn the_badge_follows_the_api_when_it_stops_and_returns(mut app: App) -> anyhow::Result<()> {
    let web = browser()?;
    sign_up(&app, &web, "Cy", "cy@example.com").await?;
    let mut stream = web.get(app.url("/live")).send().await?.bytes_stream();
    let mut buffer = String::new();
    await_event(&mut stream, &mut buffer, "status", "\"connected\"").await?;

    app.up.server.halt().await?;
    await_event(&mut stream, &mut buffer, "status", "\"offline\"").await?;
    let kiro = web.get(app.url("/kiro")).send().await?.text().await?;
    assert!(
        kiro.contains("badge-offline"),
        "a fresh render says offline too"
    );
    let refused = browser()?
        .post(app.url("/signin"))
        .form(&[("email", "cy@example.com"), ("password", "correct-horse")])
        .send()
        .await?;
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(refused.text().await?.contains("cannot be reached"));

    app.up.server.resume().await?;
    await_event(&mut stream, &mut buffer, "status", "\"connected\"").await?;
    Ok(())
}

async fn a_change_made_offline_waits_and_lands_once_when_kiro_returns(
    mut app: App,
) -> anyhow::Result<()> {
    let web = browser()?;
    sign_up(&app, &web, "Di", "di@example.com").await?;
    let mut stream = web.get(app.url("/live")).send().await?.bytes_stream();
    let mut buffer = String::new();
    await_event(&mut stream, &mut buffer, "status", "\"connected\"").await?;

    app.up.server.halt().await?;
    await_event(&mut stream, &mut buffer, "status", "\"offline\"").await?;
    let queued = web
        .post(app.url("/onboarding"))
        .form(&[("subject", "Organic chemistry")])
        .send()
        .await?;
    assert_eq!(location(&queued), "/dashboard?queued=1");
    let dashboard = web
        .get(app.url("/dashboard?queued=1"))
        .send()
        .await?
        .text()
        .await?;
    assert!(
        dashboard.contains("1 change(s) wait for Kiro"),
        "{dashboard}"
    );
    await_event(&mut stream, &mut buffer, "sync", "\"pending\":1").await?;

    app.up.server.resume().await?;
    await_event(&mut stream, &mut buffer, "sync", "\"pending\":0").await?;
    let dashboard = web.get(app.url("/dashboard")).send().await?.text().await?;
    assert_eq!(
        dashboard
            .matches(r#"<span class="chip">Organic chemistry</span>"#)
            .count(),
        1,
        "the queued workspace landed exactly once"
    );
    assert!(
        dashboard.contains(r#"<form method="post" action="/learn/workspace""#),
        "with two workspaces the dashboard offers to switch"
    );
    Ok(())
}

crate::on_both_backends!(
    a_change_made_offline_waits_and_lands_once_when_kiro_returns,
    sign_up_onboard_and_sign_out,
    bad_input_re_renders_the_form_and_changes_nothing,
    pages_need_a_session,
    the_badge_follows_the_api_when_it_stops_and_returns,
);
