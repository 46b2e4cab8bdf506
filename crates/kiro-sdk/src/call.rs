//! [`Call`], one API request described in full (method, path, JSON body, idempotency key and
//! conditional headers), and [`Reply`], what came back (status, `ETag`, body). The typed
//! calls of [`crate::KiroClient`] are built on these; the offline queue and the cache use them
//! directly, since they need to choose the idempotency key or read the `ETag`.

use reqwest::Method;
use serde::de::DeserializeOwned;

use crate::error::KiroError;

/// One request to the API.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub method: Method,
    /// The path under the server URL, starting with `/v1/`, with any query string.
    pub path: String,
    pub body: Option<serde_json::Value>,
    /// A non-JSON body (a `multipart/form-data` upload), sent instead of `body`.
    pub raw: Option<RawBody>,
    /// The `Idempotency-Key` of a `POST`; generated when `None`. A `POST` keeps one key
    /// across its retries.
    pub idempotency_key: Option<String>,
    /// `If-Match`: the entity tag the write expects (a stale one answers 409).
    pub if_match: Option<String>,
    /// `If-None-Match`: the entity tag held (a current one answers 304).
    pub if_none_match: Option<String>,
}

impl Call {
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            body: None,
            raw: None,
            idempotency_key: None,
            if_match: None,
            if_none_match: None,
        }
    }

    pub fn get(path: impl Into<String>) -> Self {
        Self::new(Method::GET, path)
    }

    pub fn post(path: impl Into<String>) -> Self {
        Self::new(Method::POST, path)
    }

    pub fn patch(path: impl Into<String>) -> Self {
        Self::new(Method::PATCH, path)
    }

    pub fn put(path: impl Into<String>) -> Self {
        Self::new(Method::PUT, path)
    }

    pub fn delete(path: impl Into<String>) -> Self {
        Self::new(Method::DELETE, path)
    }

    #[must_use]
    pub fn json(mut self, body: serde_json::Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Sends `raw` as the body, with its content type.
    #[must_use]
    pub fn raw(mut self, raw: RawBody) -> Self {
        self.raw = Some(raw);
        self
    }

    #[must_use]
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    #[must_use]
    pub fn if_match(mut self, etag: impl Into<String>) -> Self {
        self.if_match = Some(etag.into());
        self
    }

    #[must_use]
    pub fn if_none_match(mut self, etag: impl Into<String>) -> Self {
        self.if_none_match = Some(etag.into());
        self
    }
}

/// A body sent as bytes with its own content type. Built once, so every retry of a `POST`
/// sends the same bytes under the same `Idempotency-Key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawBody {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormPart {
    pub name: String,
    /// Set for file parts.
    pub filename: Option<String>,
    pub bytes: Vec<u8>,
}

impl RawBody {
    /// A `multipart/form-data` body of `parts` (RFC 7578). The boundary is random and
    /// checked not to occur in any part.
    pub fn multipart(parts: &[FormPart]) -> RawBody {
        let mut boundary = format!("kiro-{}", uuid::Uuid::new_v4().simple());
        while parts.iter().any(|p| {
            p.bytes
                .windows(boundary.len())
                .any(|w| w == boundary.as_bytes())
        }) {
            boundary = format!("kiro-{}", uuid::Uuid::new_v4().simple());
        }
        let mut bytes = Vec::new();
        for part in parts {
            bytes.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let name = quote(&part.name);
            let disposition = match &part.filename {
                Some(file) => format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n",
                    quote(file)
                ),
                None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n"),
            };
            bytes.extend_from_slice(disposition.as_bytes());
            bytes.extend_from_slice(&part.bytes);
            bytes.extend_from_slice(b"\r\n");
        }
        bytes.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        RawBody {
            content_type: format!("multipart/form-data; boundary={boundary}"),
            bytes,
        }
    }
}

/// A header parameter value with quotes and line breaks escaped (as browsers do).
fn quote(value: &str) -> String {
    value
        .replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A successful answer (2xx, or 304 to a conditional `GET`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    /// The `ETag` header, quotes included, when the resource is versioned.
    pub etag: Option<String>,
    pub body: Vec<u8>,
}

impl Reply {
    /// The body decoded as `T` (`()` for an empty body).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, KiroError> {
        decode(&self.body)
    }

    /// 304 Not Modified: the entity tag sent is still current.
    pub fn not_modified(&self) -> bool {
        self.status == 304
    }
}

pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, KiroError> {
    let bytes = if bytes.is_empty() { b"null" } else { bytes };
    serde_json::from_slice(bytes).map_err(|e| KiroError::Decode(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_body_decodes_as_unit() {
        let reply = Reply {
            status: 204,
            etag: None,
            body: Vec::new(),
        };
        assert!(reply.json::<()>().is_ok());
        assert!(reply.json::<u32>().is_err());
    }

    #[test]
    fn builders_set_their_headers() {
        let call = Call::patch("/v1/workspaces/w")
            .json(serde_json::json!({"name": "x"}))
            .if_match("\"3\"")
            .idempotency_key("k");
        assert_eq!(call.method, Method::PATCH);
        assert_eq!(call.if_match.as_deref(), Some("\"3\""));
        assert_eq!(call.idempotency_key.as_deref(), Some("k"));
        assert!(call.if_none_match.is_none());
    }
}
