//! `hotline users add NAME --role ROLE`: creates a user of the pages and APIs and prints a new
//! API token for them. With `--password-stdin` the first line of standard input becomes their
//! password (argon2-hashed) for signing in at the pages.

use crate::storage::{Role, UserStore, hash_password, new_token};
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

/// Flags of `hotline users add`.
#[derive(Debug, clap::Args)]
pub struct AddArguments {
    /// The user's name.
    name: String,
    /// What they may do.
    #[arg(long, value_enum)]
    role: Role,
    /// Read a password from the first line of standard input.
    #[arg(long)]
    password_stdin: bool,
    /// Data directory.
    #[arg(long, default_value = super::DEFAULT_DATA)]
    data: PathBuf,
}

/// Shortest password accepted.
const MINIMUM_PASSWORD: usize = 8;

/// Adds the user and prints their token.
pub fn add(arguments: AddArguments) -> anyhow::Result<ExitCode> {
    let password_hash = if arguments.password_stdin {
        let password = super::password_from_stdin()?;
        anyhow::ensure!(
            password.chars().count() >= MINIMUM_PASSWORD,
            "a password needs at least {MINIMUM_PASSWORD} characters"
        );
        Some(hash_password(&password)?)
    } else {
        None
    };
    std::fs::create_dir_all(&arguments.data)
        .with_context(|| format!("cannot create data directory {}", arguments.data.display()))?;
    let users = UserStore::open(&arguments.data.join("hotline.db"))?;
    users.add(&arguments.name, arguments.role, password_hash.as_deref())?;
    let token = new_token();
    users.add_token(&arguments.name, &token, "api", None)?;
    println!("{token}");
    eprintln!(
        "user {} ({}) added; the token above is shown once: send it as `Authorization: Bearer TOKEN`",
        arguments.name,
        arguments.role.name()
    );
    Ok(ExitCode::SUCCESS)
}
