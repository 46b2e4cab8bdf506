//! Property 2, auth flow integrity: for generated interleavings of sign-in (as one of two
//! users), token expiry (the server's clock moved past the 15-minute access token),
//! concurrent requests and logout, every request either succeeds as the user signed in or
//! fails with an authentication error; concurrent requests on an expired token share exactly
//! one refresh; after logout the old tokens get nothing. One server per backend serves all
//! 100 cases.

use std::time::Duration;

use kiro_core::auth::NewUser;
use kiro_sdk::kiro_types::ErrorType;
use kiro_sdk::{Credentials, KiroClient, KiroError, TokenStore};
use kiro_testkit::{Backend, TestServer, spawn_server_on};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestRunner};

use crate::{admin, fast_config};

#[derive(Debug, Clone)]
enum Op {
    SignIn(usize),
    Expire,
    Requests(usize),
    Logout,
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    let op = prop_oneof![
        2 => (0usize..2).prop_map(Op::SignIn),
        2 => Just(Op::Expire),
        4 => (1usize..12).prop_map(Op::Requests),
        1 => Just(Op::Logout),
    ];
    proptest::collection::vec(op, 1..10)
}

struct World {
    server: TestServer,
    users: [Credentials; 2],
    dir: tempfile::TempDir,
}

fn email(credentials: &Credentials) -> Option<&str> {
    match credentials {
        Credentials::Password { email, .. } => Some(email),
        _ => None,
    }
}

fn is_auth_error(error: &KiroError) -> bool {
    matches!(error, KiroError::Api(api) if api.error_type == ErrorType::AuthenticationError)
}

async fn run_case(world: &World, number: usize, ops: &[Op]) -> anyhow::Result<()> {
    let file = world.dir.path().join(format!("tokens-{number}.json"));
    let mut config = fast_config(&world.server.base_url);
    config.token_file = Some(file.clone());
    let client = KiroClient::connect(config).await?;
    let mut signed_in: Option<usize> = None;
    let mut expired = false;
    for op in ops {
        match op {
            Op::SignIn(user) => {
                client.authenticate(world.users[*user].clone()).await?;
                signed_in = Some(*user);
                expired = false;
            }
            Op::Expire => {
                world.server.clock.advance(chrono::Duration::minutes(16));
                expired = signed_in.is_some();
            }
            Op::Requests(n) => {
                let refreshes = client.refresh_count();
                let mut calls = tokio::task::JoinSet::new();
                for _ in 0..*n {
                    let client = client.clone();
                    calls.spawn(async move { client.me().await });
                }
                while let Some(joined) = calls.join_next().await {
                    match (joined?, signed_in) {
                        (Ok(me), Some(user)) => {
                            let who = me.user.map(|u| u.email);
                            anyhow::ensure!(
                                who.as_deref() == email(&world.users[user]),
                                "answered as {who:?}, signed in as user {user}"
                            );
                        }
                        (Ok(me), None) => anyhow::bail!("succeeded signed out: {me:?}"),
                        (Err(e), _) if is_auth_error(&e) && signed_in.is_none() => {}
                        (Err(e), _) => anyhow::bail!("unexpected failure: {e}"),
                    }
                }
                let refreshed = client.refresh_count() - refreshes;
                let want = u64::from(expired && signed_in.is_some());
                anyhow::ensure!(refreshed == want, "{refreshed} refreshes, want {want}");
                expired = false;
            }
            Op::Logout => {
                let Some(_) = signed_in else { continue };
                let old = TokenStore::new(&file)
                    .load()?
                    .ok_or_else(|| anyhow::anyhow!("no tokens while signed in"))?;
                client.logout().await?;
                signed_in = None;
                expired = false;
                let copy = world.dir.path().join(format!("old-{number}.json"));
                TokenStore::new(&copy).save(&old)?;
                let mut config = fast_config(&world.server.base_url);
                config.token_file = Some(copy);
                let stale = KiroClient::connect(config).await?;
                anyhow::ensure!(stale.authenticate_from_store().await?);
                match stale.me().await {
                    Err(e) if is_auth_error(&e) => {}
                    other => anyhow::bail!("old tokens after logout: {other:?}"),
                }
            }
        }
    }
    Ok(())
}

fn property_on(backend: Backend) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let Some(world) = runtime.block_on(async {
        let Some(server) = spawn_server_on(backend).await? else {
            return anyhow::Ok(None);
        };
        let second = NewUser {
            email: "second@kiro.test".into(),
            password: format!("second-{}", uuid::Uuid::now_v7().simple()),
            name: "Second".into(),
        };
        let credentials = Credentials::Password {
            email: second.email.clone(),
            password: second.password.clone(),
        };
        server
            .state
            .auth
            .create_user(second, false)
            .await
            .map_err(|e| anyhow::anyhow!("cannot create the second user: {e}"))?;
        Ok(Some(World {
            users: [admin(&server), credentials],
            server,
            dir: tempfile::tempdir()?,
        }))
    })?
    else {
        eprintln!("skipped on PostgreSQL: KIRO_TEST_DATABASE_URL is not set");
        return Ok(());
    };
    let config = ProptestConfig {
        cases: 100,
        max_shrink_iters: 64,
        ..ProptestConfig::default()
    };
    let number = std::cell::Cell::new(0);
    let result = TestRunner::new(config).run(&ops(), |ops| {
        number.set(number.get() + 1);
        runtime
            .block_on(async {
                let case = run_case(&world, number.get(), &ops);
                tokio::time::timeout(Duration::from_secs(20), case).await
            })
            .map_err(|_| TestCaseError::fail("case timed out"))?
            .map_err(|e| TestCaseError::fail(format!("{e:#}")))
    });
    result.map_err(|e| anyhow::anyhow!("{backend:?}: {e}"))
}

#[test]
fn property_2_auth_flow_integrity_sqlite() -> anyhow::Result<()> {
    property_on(Backend::Sqlite)
}

#[test]
fn property_2_auth_flow_integrity_postgres() -> anyhow::Result<()> {
    property_on(Backend::Postgres)
}
