//! People who use Hotline's pages and APIs (besides agents, whose credentials are in the
//! config), their roles, argon2 password hashes, and the SHA-256 of their tokens.
//!
//! Invariants: no password or token is stored, only hashes; a session token lapses at its
//! expiry, an API token when removed.

use super::StorageError;
use super::sqlite::open_with_schema;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Mutex;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    password TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    token_sha256 TEXT PRIMARY KEY,
    user TEXT NOT NULL REFERENCES users(name),
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT
);
";

/// What a person may do. Every page and API names the roles it admits; none is implied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Takes calls; sees only their own.
    Agent,
    /// Watches agents and queues; sees every call.
    Supervisor,
    /// Runs the system.
    Admin,
    /// Reviews and exports recordings; reads the audit log.
    Compliance,
}

impl Role {
    /// The role's name.
    pub fn name(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
            Role::Compliance => "compliance",
        }
    }

    /// Parses a stored name.
    pub fn from_name(name: &str) -> Option<Role> {
        [Role::Agent, Role::Supervisor, Role::Admin, Role::Compliance]
            .into_iter()
            .find(|role| role.name() == name)
    }
}

/// A signed-in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// Their name.
    pub name: String,
    /// Their role.
    pub role: Role,
}

/// Users and tokens in the database.
pub struct UserStore {
    connection: Mutex<Connection>,
}

/// The SHA-256 of a token, hex: what is stored.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A new random token: 32 bytes, hex.
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// An argon2id hash of `password` (PHC string). Slow on purpose: call it off the async runtime.
pub fn hash_password(password: &str) -> Result<String, StorageError> {
    argon2::Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|error| StorageError::Invalid(format!("cannot hash a password: {error}")))
}

/// Whether `password` matches a stored argon2 hash. Slow on purpose.
pub fn password_matches(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

impl UserStore {
    /// Opens (creating if needed) the users in the database at `path`.
    pub fn open(path: &Path) -> Result<UserStore, StorageError> {
        let connection = open_with_schema(path, SCHEMA)?;
        Ok(UserStore {
            connection: Mutex::new(connection),
        })
    }

    fn connection(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Adds a user; fails when the name is taken or not a plain name.
    pub fn add(
        &self,
        name: &str,
        role: Role,
        password_hash: Option<&str>,
    ) -> Result<(), StorageError> {
        let plain = (1..=64).contains(&name.len())
            && name
                .chars()
                .all(|character| character.is_ascii_alphanumeric() || "._-@".contains(character));
        if !plain {
            return Err(StorageError::Invalid(format!(
                "user name {name:?} must be 1-64 letters, digits, '.', '_', '-' or '@'"
            )));
        }
        let added = self.connection().execute(
            "INSERT OR IGNORE INTO users (name, role, password, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![name, role.name(), password_hash, Utc::now().to_rfc3339()],
        )?;
        if added == 0 {
            return Err(StorageError::Invalid(format!("user {name} already exists")));
        }
        Ok(())
    }

    /// The user and their password hash, if there is such a user.
    pub fn user(&self, name: &str) -> Result<Option<(User, Option<String>)>, StorageError> {
        let row = self
            .connection()
            .query_row(
                "SELECT role, password FROM users WHERE name = ?1",
                params![name],
                |row| Ok((row.get::<_, String>(0)?, row.get::<_, Option<String>>(1)?)),
            )
            .optional()?;
        Ok(row.and_then(|(role, password)| {
            Role::from_name(&role).map(|role| {
                (
                    User {
                        name: name.to_string(),
                        role,
                    },
                    password,
                )
            })
        }))
    }

    /// Stores a token (its hash) for `user`, lapsing at `expires_at` if given.
    pub fn add_token(
        &self,
        user: &str,
        token: &str,
        kind: &str,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<(), StorageError> {
        self.connection().execute(
            "INSERT INTO tokens (token_sha256, user, kind, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                token_hash(token),
                user,
                kind,
                Utc::now().to_rfc3339(),
                expires_at.map(|time| time.to_rfc3339())
            ],
        )?;
        Ok(())
    }

    /// The user a token belongs to, if it is known and has not lapsed.
    pub fn token_user(&self, token: &str) -> Result<Option<User>, StorageError> {
        let row = self
            .connection()
            .query_row(
                "SELECT users.name, users.role, tokens.expires_at FROM tokens \
                 JOIN users ON users.name = tokens.user WHERE tokens.token_sha256 = ?1",
                params![token_hash(token)],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, Option<String>>(2)?,
                    ))
                },
            )
            .optional()?;
        let now = Utc::now();
        Ok(row.and_then(|(name, role, expires_at)| {
            let lapsed = expires_at
                .and_then(|text| DateTime::parse_from_rfc3339(&text).ok())
                .is_some_and(|expiry| expiry < now);
            (!lapsed)
                .then(|| Role::from_name(&role).map(|role| User { name, role }))
                .flatten()
        }))
    }

    /// Forgets a token of `kind` (signing out forgets sessions, never API tokens).
    pub fn remove_token_of_kind(&self, token: &str, kind: &str) -> Result<(), StorageError> {
        self.connection().execute(
            "DELETE FROM tokens WHERE token_sha256 = ?1 AND kind = ?2",
            params![token_hash(token), kind],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_sign_in_with_argon2_passwords_and_tokens_lapse() {
        let directory = tempfile::tempdir().expect("temp dir");
        let users = UserStore::open(&directory.path().join("hotline.db")).expect("open");
        let hash = hash_password("correct horse").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        users
            .add("rita", Role::Compliance, Some(&hash))
            .expect("add");
        assert!(users.add("rita", Role::Admin, None).is_err());
        assert!(users.add("bad name", Role::Admin, None).is_err());
        let (user, stored) = users.user("rita").expect("query").expect("present");
        assert_eq!(user.role, Role::Compliance);
        let stored = stored.expect("a password");
        assert!(password_matches("correct horse", &stored));
        assert!(!password_matches("wrong horse", &stored));

        let token = new_token();
        users.add_token("rita", &token, "api", None).expect("token");
        assert_eq!(users.token_user(&token).expect("query"), Some(user));
        assert_eq!(users.token_user("not a token").expect("query"), None);
        let lapsed = new_token();
        let past = Utc::now() - chrono::Duration::seconds(1);
        users
            .add_token("rita", &lapsed, "session", Some(past))
            .expect("token");
        assert_eq!(users.token_user(&lapsed).expect("query"), None);
        users
            .remove_token_of_kind(&token, "session")
            .expect("remove");
        assert!(users.token_user(&token).expect("query").is_some());
        users.remove_token_of_kind(&token, "api").expect("remove");
        assert_eq!(users.token_user(&token).expect("query"), None);
    }
}
