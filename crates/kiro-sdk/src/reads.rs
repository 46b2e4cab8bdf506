//! `client.get()`: a GET through the `ETag` cache. A cached entry is sent as
//! `If-None-Match` and its body reused on 304; a fresh answer with an `ETag` is cached; when
//! the server cannot be reached (after the retries of the request path) or answers that it
//! is unavailable (502/503/504), a cached body is served marked [`Source::Stale`] — the
//! degraded mode of DESIGN.md §7 — instead of the error.

use serde::de::DeserializeOwned;

use crate::cache::{Fetched, Source};
use crate::call::{Call, decode};
use crate::client::KiroClient;
use crate::error::KiroError;

/// Whether a cached body may stand in for the answer that failed with `error`.
fn serves_stale(error: &KiroError) -> bool {
    match error {
        KiroError::Connection(_) | KiroError::Timeout => true,
        KiroError::Api(api) => matches!(api.status, 502..=504),
        _ => false,
    }
}

impl KiroClient {
    /// `GET path` (e.g. `/v1/workspaces/{id}`) decoded as `T`, through the cache: see the
    /// module documentation. [`Fetched::source`] says where the value came from.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<Fetched<T>, KiroError> {
        let cache = &self.inner.cache;
        let cached = cache.lookup(path);
        let mut call = Call::get(path);
        call.if_none_match = cached.as_ref().map(|entry| entry.etag.clone());
        match self.call(call).await {
            Ok(reply) if reply.not_modified() => {
                let Some(entry) = cached else {
                    return Err(KiroError::Decode(
                        "304 Not Modified to a request without If-None-Match".into(),
                    ));
                };
                cache.count_revalidated();
                Ok(Fetched {
                    value: decode(&entry.body)?,
                    source: Source::Revalidated,
                    etag: Some(entry.etag),
                })
            }
            Ok(reply) => {
                let value = reply.json()?;
                match &reply.etag {
                    Some(etag) => cache.store(path, etag.clone(), reply.body),
                    None => cache.forget(path),
                }
                Ok(Fetched {
                    value,
                    source: Source::Network,
                    etag: reply.etag,
                })
            }
            Err(error) if serves_stale(&error) => match cached {
                Some(entry) => {
                    cache.count_stale();
                    Ok(Fetched {
                        value: decode(&entry.body)?,
                        source: Source::Stale,
                        etag: Some(entry.etag),
                    })
                }
                None => Err(error),
            },
            Err(error) => {
                if matches!(error.status(), Some(404 | 410)) {
                    cache.forget(path);
                }
                Err(error)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unreachable_or_unavailable_servers_serve_stale() {
        assert!(serves_stale(&KiroError::Timeout));
        assert!(serves_stale(&KiroError::Connection("refused".into())));
        assert!(serves_stale(&KiroError::from_response(503, None, b"")));
        assert!(!serves_stale(&KiroError::from_response(500, None, b"")));
        assert!(!serves_stale(&KiroError::from_response(404, None, b"")));
        assert!(!serves_stale(&KiroError::Decode("x".into())));
    }
}
