//! A throw-away PostgreSQL database for a benchmark, made and removed with the
//! `psql` client (no database driver in this crate).
//!
//! `--postgres-url` names a server and a database to connect to for
//! administration (e.g. `postgres://postgres@127.0.0.1:5432/postgres`); the
//! benchmark creates `kiro_bench_<random>` there, hands its URL to the work,
//! and drops it afterwards `WITH (FORCE)`, on success and on error.

use std::hash::{BuildHasher, RandomState};
use std::process::Stdio;

use anyhow::{Context, bail};
use tokio::process::Command;

/// Creates a fresh database, runs `work` with its URL, then drops it.
pub async fn with_database<T>(
    server_url: &str,
    work: impl AsyncFnOnce(&str) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let name = format!("kiro_bench_{:016x}", RandomState::new().hash_one(0u8));
    let database_url = url_of_database(server_url, &name)?;
    psql(server_url, &format!("CREATE DATABASE {name}")).await?;
    eprintln!("created PostgreSQL database {name}");
    let outcome = work(&database_url).await;
    let dropped = psql(
        server_url,
        &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    )
    .await;
    let value = outcome?;
    dropped?;
    eprintln!("dropped PostgreSQL database {name}");
    Ok(value)
}

/// `server_url` with its path replaced by `/<name>` (user, host, port and
/// query parameters kept).
fn url_of_database(server_url: &str, name: &str) -> anyhow::Result<String> {
    let mut url = reqwest::Url::parse(server_url)
        .with_context(|| format!("--postgres-url `{server_url}` is not a URL"))?;
    if !matches!(url.scheme(), "postgres" | "postgresql") {
        bail!("--postgres-url must start with postgres:// (got `{server_url}`)");
    }
    url.set_path(&format!("/{name}"));
    Ok(url.to_string())
}

/// Runs one SQL command with `psql`; an error quotes what psql printed.
async fn psql(url: &str, sql: &str) -> anyhow::Result<()> {
    let output = Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .arg(format!("--dbname={url}"))
        .stdin(Stdio::null())
        .output()
        .await
        .context("running psql (install the PostgreSQL client, e.g. `apt-get install postgresql-client`)")?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        bail!("psql `{sql}` failed ({}): {}", output.status, stderr.trim());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_replaces_the_path_only() {
        let url = url_of_database(
            "postgres://postgres@127.0.0.1:5432/postgres",
            "kiro_bench_1",
        );
        assert_eq!(
            url.ok().as_deref(),
            Some("postgres://postgres@127.0.0.1:5432/kiro_bench_1")
        );
        let url = url_of_database("postgresql://u:p@db/admin?sslmode=disable", "x");
        assert_eq!(
            url.ok().as_deref(),
            Some("postgresql://u:p@db/x?sslmode=disable")
        );
        assert!(url_of_database("mysql://db/x", "y").is_err());
    }
}
