//! `conceptpulse login` and `logout`: the password grant through kiro-sdk, with the tokens
//! kept in the CLI's token file (mode 0600) so later commands are signed in; sign-out
//! revokes the session on the server and removes the file.

use std::io::Read;

use kiro_sdk::{ClientConfig, Credentials, KiroClient};
use serde_json::json;

use super::exit;
use super::output::Output;
use super::progress::spinner;

/// `conceptpulse login --email E` (password from `CONCEPTPULSE_PASSWORD` or stdin).
pub async fn login(config: ClientConfig, out: Output, email: &str, password_stdin: bool) -> u8 {
    let config_url = config.server_url.clone();
    let password = match read_password(password_stdin) {
        Ok(password) => password,
        Err(message) => return out.fail_message(exit::USAGE, &message),
    };
    let waiting = spinner(out.format, format!("Connecting to Kiro at {config_url}"));
    let connected = KiroClient::connect(config).await;
    waiting.finish_and_clear();
    let client = match connected {
        Ok(client) => client,
        Err(e) => return out.fail(&e),
    };
    let credentials = Credentials::Password {
        email: email.to_owned(),
        password,
    };
    if let Err(e) = client.authenticate(credentials).await {
        return out.fail(&e);
    }
    match client.me().await {
        Ok(me) => {
            let name = me
                .user
                .as_ref()
                .map_or(email, |u| u.name.as_str())
                .to_owned();
            let value = json!({
                "signedIn": true, "email": email, "name": name,
                "server": config_url,
            });
            out.emit(&value, |_| {
                format!("Signed in to {} as {name} <{email}>.", config_url)
            });
            exit::OK
        }
        Err(e) => out.fail(&e),
    }
}

/// `conceptpulse logout`.
pub async fn logout(config: ClientConfig, out: Output) -> u8 {
    let client = match KiroClient::new(config) {
        Ok(client) => client,
        Err(e) => return out.fail(&e),
    };
    match client.authenticate_from_store().await {
        Ok(true) => {}
        Ok(false) => {
            let value = json!({ "signedIn": false, "revoked": false });
            out.emit(&value, |_| "You were not signed in.".to_owned());
            return exit::OK;
        }
        Err(e) => return out.fail(&e),
    }
    match client.logout().await {
        Ok(()) => {
            let value = json!({ "signedIn": false, "revoked": true });
            out.emit(&value, |_| {
                "Signed out; the Kiro session is revoked.".to_owned()
            });
            exit::OK
        }
        Err(e) => out.fail(&e),
    }
}

fn read_password(from_stdin: bool) -> Result<String, String> {
    if from_stdin {
        let mut password = String::new();
        std::io::stdin()
            .read_to_string(&mut password)
            .map_err(|e| format!("cannot read the password from stdin: {e}"))?;
        let password = password.trim_end_matches(['\r', '\n']).to_owned();
        if password.is_empty() {
            return Err("the password on stdin is empty".into());
        }
        return Ok(password);
    }
    std::env::var("CONCEPTPULSE_PASSWORD")
        .map_err(|_| "no password: set CONCEPTPULSE_PASSWORD or pass --password-stdin".to_owned())
}
