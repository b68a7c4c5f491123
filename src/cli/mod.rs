//! The `hotline` command line: subcommands and their glue. Each subcommand lives in its own
//! file and returns `anyhow::Result`, so errors print as one readable line.

mod agents;
mod flows;
mod models;
mod recordings;
mod say;
mod serve;
mod serve_speech;
mod speech;
mod transcribe;
mod understand;
mod users;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Default config file, relative to the working directory.
pub const DEFAULT_CONFIG: &str = "sip-config/hotline.toml";
/// Default data directory, relative to the working directory.
pub const DEFAULT_DATA: &str = "data";
/// Default voice model directory, relative to the working directory.
pub const DEFAULT_MODELS: &str = "voice-models";

/// Hotline: a self-hosted voice IVR and contact-center server.
#[derive(Debug, Parser)]
#[command(name = "hotline", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server.
    Serve(serve::ServeArguments),
    /// Print one JSON line per audio file with the recognised speech.
    Transcribe(transcribe::TranscribeArguments),
    /// Synthesize text to a WAV file with the configured voice.
    Say(say::SayArguments),
    /// Classify text against a flow's intents; one JSON line per text.
    Understand(understand::UnderstandArguments),
    /// Work with IVR flow files.
    Flows {
        #[command(subcommand)]
        command: FlowsCommand,
    },
    /// Check the voice models, and fetch and convert any that are missing.
    Models(models::ModelsArguments),
    /// Work with agents' credentials.
    Agents {
        #[command(subcommand)]
        command: AgentsCommand,
    },
    /// Manage the people who use the pages and APIs.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Check recordings.
    Recordings {
        #[command(subcommand)]
        command: RecordingsCommand,
    },
}

#[derive(Debug, Subcommand)]
enum UsersCommand {
    /// Add a user with a role and print a new API token for them.
    Add(users::AddArguments),
}

#[derive(Debug, Subcommand)]
enum RecordingsCommand {
    /// Check the chain of manifests, every recording and the audit log; exit 1 on any break.
    Verify(recordings::VerifyArguments),
}

#[derive(Debug, Subcommand)]
enum AgentsCommand {
    /// Print the `password_ha1` line for an agent; the password is read from standard input.
    Password(agents::PasswordArguments),
}

#[derive(Debug, Subcommand)]
enum FlowsCommand {
    /// Validate every flow under DIR; prints `file:line: message` per problem.
    Check {
        /// Directory searched recursively for `*.flow.toml` files.
        #[arg(default_value = "prompts")]
        directory: PathBuf,
    },
}

/// The first line of standard input, without its line ending; an empty one is an error.
fn password_from_stdin() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::stdin().lock(), &mut line).map_err(|error| {
        anyhow::anyhow!("cannot read the password from standard input: {error}")
    })?;
    let password = line.trim_end_matches(['\r', '\n']);
    anyhow::ensure!(!password.is_empty(), "no password on standard input");
    Ok(password.to_string())
}

impl Cli {
    /// Runs the chosen subcommand; returns the process exit code.
    pub fn run(self) -> anyhow::Result<std::process::ExitCode> {
        match self.command {
            Command::Serve(arguments) => serve::run(arguments),
            Command::Transcribe(arguments) => transcribe::run(arguments),
            Command::Say(arguments) => say::run(arguments),
            Command::Understand(arguments) => understand::run(arguments),
            Command::Flows {
                command: FlowsCommand::Check { directory },
            } => Ok(flows::check(&directory)),
            Command::Models(arguments) => models::run(&arguments),
            Command::Agents {
                command: AgentsCommand::Password(arguments),
            } => agents::password(arguments),
            Command::Users {
                command: UsersCommand::Add(arguments),
            } => users::add(arguments),
            Command::Recordings {
                command: RecordingsCommand::Verify(arguments),
            } => recordings::verify_command(arguments),
        }
    }
}
