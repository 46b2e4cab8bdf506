//! `client.paginate()`: a list endpoint's items as a `Stream`, following the `nextCursor` of
//! the page envelope `{items, nextCursor}` (DESIGN.md §3). Lazy: one request per page, sent
//! when the items of the previous page have been taken. An error is yielded once and ends
//! the stream.

use std::collections::VecDeque;

use futures::Stream;
use kiro_types::Page;
use serde::de::DeserializeOwned;

use crate::client::KiroClient;
use crate::error::KiroError;

/// Where the stream is.
enum Cursor {
    First,
    Next(String),
    Done,
}

struct State<T> {
    client: KiroClient,
    path: String,
    buffered: VecDeque<T>,
    cursor: Cursor,
}

impl KiroClient {
    /// The items of the list at `path` (e.g. `/v1/workspaces?limit=20`), page after page.
    pub fn paginate<T>(
        &self,
        path: &str,
    ) -> impl Stream<Item = Result<T, KiroError>> + Send + 'static + use<T>
    where
        T: DeserializeOwned + Send + 'static,
    {
        let state = State {
            client: self.clone(),
            path: path.to_owned(),
            buffered: VecDeque::new(),
            cursor: Cursor::First,
        };
        futures::stream::unfold(state, |mut state| async move {
            loop {
                if let Some(item) = state.buffered.pop_front() {
                    return Some((Ok(item), state));
                }
                let path = match std::mem::replace(&mut state.cursor, Cursor::Done) {
                    Cursor::Done => return None,
                    Cursor::First => state.path.clone(),
                    Cursor::Next(cursor) => with_cursor(&state.path, &cursor),
                };
                match state
                    .client
                    .request::<Page<T>>(reqwest::Method::GET, &path, None)
                    .await
                {
                    Ok(page) => {
                        state.buffered.extend(page.items);
                        if let Some(next) = page.next_cursor {
                            state.cursor = Cursor::Next(next);
                        }
                    }
                    Err(error) => return Some((Err(error), state)),
                }
            }
        })
    }
}

/// `path` with its `cursor` query parameter set to `cursor` (percent-encoded).
fn with_cursor(path: &str, cursor: &str) -> String {
    let (base, query) = path.split_once('?').unwrap_or((path, ""));
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("cursor="))
        .map(str::to_owned)
        .collect();
    pairs.push(format!("cursor={}", encode(cursor)));
    format!("{base}?{}", pairs.join("&"))
}

fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cursor_replaces_any_previous_one() {
        assert_eq!(
            with_cursor("/v1/workspaces", "abc"),
            "/v1/workspaces?cursor=abc"
        );
        assert_eq!(
            with_cursor("/v1/workspaces?limit=2&cursor=old", "a+b/="),
            "/v1/workspaces?limit=2&cursor=a%2Bb%2F%3D"
        );
    }
}
