//! ConceptPulse end to end: `conceptpulse up` started in-process on free ports, driven over
//! HTTP like a browser with JavaScript off (web), by the real binary (cli, and assess_cli for
//! the learning loop, exec and exec_jobs for sandboxed runs, plan_cli for planning), and by
//! Debian's Chromium through chromiumoxide (browser); the planning pages by HTTP (plan_web,
//! plan_views) and by two browsers (browser_plan).

#![allow(clippy::panic, reason = "a failing case panics, as a test does")]

mod assess_cli;
mod browser;
mod browser_jobs;
mod browser_learn;
mod browser_plan;
mod cli;
mod exec;
mod exec_jobs;
mod learn;
mod plan_cli;
mod plan_views;
mod plan_web;
mod web;

use kiro_store::testing::TestDatabase;
use kiro_testkit::Backend;

use conceptpulse::up::Up;

/// A running `conceptpulse up` with its database and data directory.
pub struct App {
    pub up: Up,
    _database: TestDatabase,
    _data_dir: tempfile::TempDir,
}

impl App {
    /// `up` on free ports over a fresh `backend` database; `None` for PostgreSQL when
    /// `KIRO_TEST_DATABASE_URL` is unset.
    pub async fn start(backend: Backend) -> anyhow::Result<Option<Self>> {
        let database = match backend {
            Backend::Sqlite => TestDatabase::sqlite()?,
            Backend::Postgres => match TestDatabase::postgres()? {
                Some(database) => database,
                None => return Ok(None),
            },
        };
        let data_dir = tempfile::tempdir()?;
        let mut config = kiro_testkit::test_config(data_dir.path(), database.url());
        config.server.shutdown_grace_secs = 1;
        let up = Up::start(config, "127.0.0.1:0").await?;
        Ok(Some(Self {
            up,
            _database: database,
            _data_dir: data_dir,
        }))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.up.web_url())
    }
}

/// Runs `case` on an app over each backend (PostgreSQL only when configured).
#[macro_export]
macro_rules! on_both_backends {
    ($($case:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    $crate::run($crate::Backend::Sqlite, super::$case).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    $crate::run($crate::Backend::Postgres, super::$case).await;
                }
            )+
        }
    };
}

pub async fn run<F, Fut>(backend: Backend, case: F)
where
    F: FnOnce(App) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    match App::start(backend).await {
        Ok(Some(app)) => {
            if let Err(e) = case(app).await {
                panic!("{backend:?}: {e:#}");
            }
        }
        Ok(None) => eprintln!("skipped on PostgreSQL: KIRO_TEST_DATABASE_URL is not set"),
        Err(e) => panic!("cannot start conceptpulse up on {backend:?}: {e:#}"),
    }
}
