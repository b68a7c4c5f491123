//! `hotline models [--models DIR]`: checks every entry of `DIR/models.toml` and provisions the
//! missing ones; exit 1 when any is still missing, with one line per problem saying how to fix it.

use crate::models::{Outcome, REGISTRY_FILE, Registry, provision};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `hotline models`.
#[derive(Debug, clap::Args)]
pub struct ModelsArguments {
    /// The models directory holding `models.toml`.
    #[arg(long = "models", default_value = super::DEFAULT_MODELS)]
    directory: PathBuf,
}

/// Provisions every registry entry; reports each one.
pub fn run(arguments: &ModelsArguments) -> anyhow::Result<ExitCode> {
    let registry = Registry::load(&arguments.directory.join(REGISTRY_FILE))?;
    let mut missing = 0;
    for entry in &registry.models {
        let kind = format!("{:?}", entry.kind).to_lowercase();
        let label = format!("{kind} {} ({})", entry.name, entry.language);
        let started = Instant::now();
        let mut progress = |step: &str| eprintln!("  {label}: {step}");
        match provision(&arguments.directory, entry, &mut progress) {
            Ok(outcome) => {
                let verb = match outcome {
                    Outcome::AlreadyPresent => "present",
                    Outcome::Provisioned => "provisioned",
                };
                let outputs: Vec<&str> =
                    entry.outputs().into_iter().map(|(path, _)| path).collect();
                println!(
                    "ok {label}: {verb} {} ({:.1} s)",
                    outputs.join(", "),
                    started.elapsed().as_secs_f64()
                );
            }
            Err(error) => {
                missing += 1;
                println!("MISSING {label}: {error}");
            }
        }
    }
    if missing > 0 {
        eprintln!(
            "{missing} of {} voice model(s) missing under {}",
            registry.models.len(),
            arguments.directory.display()
        );
        Ok(ExitCode::FAILURE)
    } else {
        Ok(ExitCode::SUCCESS)
    }
}
