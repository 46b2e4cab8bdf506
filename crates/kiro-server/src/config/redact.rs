//! Hiding secrets before configuration values are printed or put into error
//! messages: the password of a database URL (in its userinfo or in a
//! `password=` query parameter). Pure string work, no I/O.

/// What a secret is replaced by in `print-config`.
pub(crate) const REDACTED: &str = "<redacted>";

/// What a password inside a URL is replaced by.
const MASK: &str = "***";

/// Query parameters whose values are passwords.
const SECRET_PARAMS: [&str; 3] = ["password", "pass", "sslpassword"];

/// `url` with its password replaced by `***`:
/// `postgres://user:pw@host/db` becomes `postgres://user:***@host/db`.
/// URLs without a password come back unchanged.
pub(crate) fn database_url(url: &str) -> String {
    let (body, query) = match url.split_once('?') {
        Some((body, query)) => (body, Some(query)),
        None => (url, None),
    };
    let mut out = redact_userinfo(body);
    if let Some(query) = query {
        out.push('?');
        out.push_str(&redact_query(query));
    }
    out
}

/// Masks the password in `scheme://user:password@host…` (the last `@`
/// before the query ends the userinfo, so an unescaped `@` or `/` in the
/// password is still covered).
fn redact_userinfo(body: &str) -> String {
    let Some(scheme_end) = body.find("://") else {
        return body.to_owned();
    };
    let rest_start = scheme_end + 3;
    let rest = &body[rest_start..];
    let Some(at) = rest.rfind('@') else {
        return body.to_owned();
    };
    let userinfo = &rest[..at];
    let Some(colon) = userinfo.find(':') else {
        return body.to_owned();
    };
    format!(
        "{}{}:{MASK}{}",
        &body[..rest_start],
        &userinfo[..colon],
        &rest[at..]
    )
}

/// Masks the values of password-like query parameters.
fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if SECRET_PARAMS.contains(&name.to_ascii_lowercase().as_str()) => {
                format!("{name}={MASK}")
            }
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_userinfo_password_is_masked() {
        assert_eq!(
            database_url("postgres://user:secret@host/db"),
            "postgres://user:***@host/db"
        );
        assert_eq!(
            database_url("postgresql://u:p%40ss@host:5432/db?sslmode=require"),
            "postgresql://u:***@host:5432/db?sslmode=require"
        );
    }

    #[test]
    fn an_unescaped_at_or_slash_in_the_password_is_still_masked() {
        assert_eq!(
            database_url("postgres://user:se@cr/et@host/db"),
            "postgres://user:***@host/db"
        );
    }

    #[test]
    fn a_password_query_parameter_is_masked() {
        assert_eq!(
            database_url("postgres://host/db?user=u&Password=secret&sslmode=disable"),
            "postgres://host/db?user=u&Password=***&sslmode=disable"
        );
    }

    #[test]
    fn urls_without_a_password_are_unchanged() {
        for url in [
            "",
            "sqlite://kiro.db?mode=rwc",
            "sqlite::memory:",
            "postgres://user@host/db",
            "postgres://host/db",
        ] {
            assert_eq!(database_url(url), url);
        }
    }
}
