//! The signed-in client every Kiro command (`assess`, `exec`, …) works through: discovery
//! (which also checks the server's API version), then the tokens `conceptpulse login`
//! stored.

use kiro_sdk::{ClientConfig, KiroClient};

use crate::cli::exit;
use crate::cli::output::Output;
use crate::cli::progress::spinner;

/// A connected client signed in from the token file, or the exit code of the failure
/// (already reported).
pub async fn signed_in(config: ClientConfig, out: Output) -> Result<KiroClient, u8> {
    let url = config.server_url.clone();
    let waiting = spinner(out.format, format!("Connecting to Kiro at {url}"));
    let connected = KiroClient::connect(config).await;
    waiting.finish_and_clear();
    let client = connected.map_err(|e| out.fail(&e))?;
    match client.authenticate_from_store().await {
        Ok(true) => Ok(client),
        Ok(false) => Err(out.fail_message(
            exit::AUTH,
            &format!(
                "not signed in to {url}. Sign in with `conceptpulse login --email you@example.com`."
            ),
        )),
        Err(e) => Err(out.fail(&e)),
    }
}
