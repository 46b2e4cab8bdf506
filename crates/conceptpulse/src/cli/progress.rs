//! Progress for work a person waits on (connecting to a server that is slow or still
//! starting, while the SDK retries): a spinner on stderr, drawn only for people at a
//! terminal, never in `--output json` and never into a pipe.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::OutputFormat;

/// A spinner saying `message` until dropped (or finished); hidden when nobody watches.
pub fn spinner(format: OutputFormat, message: impl Into<String>) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(
        None,
        if watched(format) {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
        bar.set_style(style);
    }
    bar.set_message(message.into());
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

/// Whether a person watches stderr: human output to a terminal.
pub fn watched(format: OutputFormat) -> bool {
    format == OutputFormat::Human && std::io::stderr().is_terminal()
}
