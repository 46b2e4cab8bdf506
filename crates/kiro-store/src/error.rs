//! The one mapping from sqlx's errors to [`StoreError`], and the error for a stored value
//! that does not decode.
//!
//! `RowNotFound` becomes `NotFound`; a unique or foreign-key violation becomes `Conflict`
//! naming the constraint (PostgreSQL's constraint name such as `users_email_key`, or the
//! `table.column` list SQLite reports such as `users.email`); everything else is `Backend`.
//! Store modules use [`SqlxResultExt::store`] on every sqlx call and nothing else.

use kiro_core::StoreError;

/// Maps a sqlx error to the store's error.
pub fn map_sqlx_error(error: sqlx::Error) -> StoreError {
    match error {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) if db.is_unique_violation() || db.is_foreign_key_violation() => {
            StoreError::Conflict {
                constraint: constraint_name(db.constraint(), db.message()),
            }
        }
        other => StoreError::Backend(Box::new(other)),
    }
}

/// The constraint a violation names: the database's own name when it gives one, else what
/// follows `constraint failed:` in SQLite's message, else the message itself.
fn constraint_name(named: Option<&str>, message: &str) -> String {
    if let Some(name) = named {
        return name.to_owned();
    }
    match message.split_once("constraint failed:") {
        Some((_, columns)) if !columns.trim().is_empty() => columns.trim().to_owned(),
        // SQLite's foreign-key message names nothing.
        _ if message.starts_with("FOREIGN KEY") => "foreign_key".to_owned(),
        _ => message.to_owned(),
    }
}

/// A stored value that cannot become the record's type (a corrupt or foreign row).
pub fn bad_value(what: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!("bad stored value: {what}").into())
}

/// `.store()` on the result of a sqlx call maps its error through [`map_sqlx_error`].
pub trait SqlxResultExt<T> {
    fn store(self) -> Result<T, StoreError>;
}

impl<T> SqlxResultExt<T> for Result<T, sqlx::Error> {
    fn store(self) -> Result<T, StoreError> {
        self.map_err(map_sqlx_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_not_found_is_not_found() {
        assert!(matches!(
            map_sqlx_error(sqlx::Error::RowNotFound),
            StoreError::NotFound
        ));
    }

    #[test]
    fn other_errors_are_backend() {
        assert!(matches!(
            map_sqlx_error(sqlx::Error::PoolTimedOut),
            StoreError::Backend(_)
        ));
    }

    #[test]
    fn constraint_names_come_from_the_database_or_sqlite_message() {
        assert_eq!(
            constraint_name(Some("users_email_key"), "duplicate key"),
            "users_email_key"
        );
        assert_eq!(
            constraint_name(None, "UNIQUE constraint failed: users.email"),
            "users.email"
        );
        assert_eq!(
            constraint_name(None, "FOREIGN KEY constraint failed"),
            "foreign_key"
        );
    }
}
