//! `hotline agents password NAME`: the HA1 hash to put in an agent's `password_ha1`, so no
//! plaintext password is ever written into the config.

use crate::config::Config;
use std::path::PathBuf;
use std::process::ExitCode;

/// Flags of `hotline agents password`.
#[derive(Debug, clap::Args)]
pub struct PasswordArguments {
    /// The agent's SIP user name.
    name: String,
    /// The digest realm; default: `[acd] realm` of the config file, else "hotline".
    #[arg(long)]
    realm: Option<String>,
    /// Config file whose realm is used.
    #[arg(long, default_value = super::DEFAULT_CONFIG)]
    config: PathBuf,
}

/// Reads the password from the first line of standard input and prints the TOML line.
pub fn password(arguments: PasswordArguments) -> anyhow::Result<ExitCode> {
    let realm = match arguments.realm {
        Some(realm) => realm,
        None if arguments.config.exists() => Config::load(&arguments.config)?.acd.realm,
        None => "hotline".to_string(),
    };
    let password = super::password_from_stdin()?;
    let hash = crate::sip::digest::ha1(&arguments.name, &realm, &password);
    println!("password_ha1 = \"{hash}\"");
    Ok(ExitCode::SUCCESS)
}
