//! Exit codes scripts can rely on. Each failure maps to one code by its cause, so a script
//! can tell "not signed in" from "server down" without parsing messages.

use std::process::ExitCode;

use kiro_sdk::KiroError;

/// Success.
pub const OK: u8 = 0;
/// Any other failure.
pub const FAILURE: u8 = 1;
/// Bad usage or configuration (clap also exits with 2).
pub const USAGE: u8 = 2;
/// Not signed in, or the credentials were refused.
pub const AUTH: u8 = 3;
/// The Kiro server cannot be reached, or timed out.
pub const UNREACHABLE: u8 = 4;
/// The server refused the request (a 4xx other than auth) or failed (5xx).
pub const API: u8 = 5;
/// The server speaks an API version this client does not.
pub const INCOMPATIBLE: u8 = 6;
/// The program `exec run` ran was not accepted (its verdict says why).
pub const REJECTED: u8 = 7;
/// Ctrl-C stopped the command (and cancelled the job it was following), as a shell's 128 + SIGINT.
pub const INTERRUPTED: u8 = 130;

/// The exit code for `error`.
pub fn for_error(error: &KiroError) -> u8 {
    match error {
        KiroError::Connection(_) | KiroError::Timeout => UNREACHABLE,
        KiroError::Incompatible { .. } => INCOMPATIBLE,
        KiroError::Api(api) if api.status == 401 || api.code.starts_with("oauth.") => AUTH,
        KiroError::Api(_) => API,
        KiroError::Decode(_) | KiroError::Storage(_) | KiroError::Offline(_) => FAILURE,
    }
}

pub fn code(code: u8) -> ExitCode {
    ExitCode::from(code)
}
