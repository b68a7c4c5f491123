//! `hotline models [--models DIR]`: checks every entry of `DIR/models.toml` and provisions the
//! missing ones, then puts the espeak-ng data this binary was built with into
//! `DIR/espeak-ng-data` (so a copied binary can phonemize); exit 1 when anything is still
//! missing, with one line per problem saying how to fix it.

use crate::models::{ESPEAK_DATA_DIRECTORY, Outcome, Registry, provision, provision_espeak_data};
use crate::tts::default_espeak_data_directory;
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

fn verb(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::AlreadyPresent => "present",
        Outcome::Provisioned => "provisioned",
    }
}

/// Provisions every registry entry and the espeak-ng data; reports each one.
pub fn run(arguments: &ModelsArguments) -> anyhow::Result<ExitCode> {
    let registry = Registry::in_directory(&arguments.directory)?;
    let mut missing = 0;
    for entry in &registry.models {
        let label = format!("{} {} ({})", entry.kind, entry.name, entry.language);
        let started = Instant::now();
        let mut progress = |step: &str| eprintln!("  {label}: {step}");
        match provision(&arguments.directory, entry, &mut progress) {
            Ok(outcome) => {
                let outputs: Vec<&str> =
                    entry.outputs().into_iter().map(|(path, _)| path).collect();
                println!(
                    "ok {label}: {} {} ({:.1} s)",
                    verb(outcome),
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
    let built = default_espeak_data_directory();
    let espeak_missing = match provision_espeak_data(&arguments.directory, &built) {
        Ok(outcome) => {
            println!(
                "ok espeak-ng data: {} {ESPEAK_DATA_DIRECTORY}/ (built with hotline: {})",
                verb(outcome),
                built.display()
            );
            false
        }
        Err(error) => {
            println!("MISSING espeak-ng data: {error}");
            true
        }
    };
    if missing > 0 {
        eprintln!(
            "{missing} of {} voice model(s) missing under {}",
            registry.models.len(),
            arguments.directory.display()
        );
    }
    Ok(if missing > 0 || espeak_missing {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
