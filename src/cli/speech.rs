//! The speech settings `hotline say` and `hotline transcribe` run with: the `[speech]` section
//! of `--config FILE`, or of the default config file when there is one, else the defaults; a
//! `--models DIR` flag overrides the models directory.

use crate::config::{Config, SpeechConfig};
use std::path::{Path, PathBuf};

/// Flags shared by the subcommands that load a speech model.
#[derive(Debug, clap::Args)]
pub struct SpeechArguments {
    /// Config file whose `[speech]` section names the models and settings; default:
    /// sip-config/hotline.toml when it exists, otherwise the built-in defaults.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Directory of the voice models (holding `models.toml`); overrides the config's
    /// `speech.models_directory`.
    #[arg(long)]
    models: Option<PathBuf>,
}

impl SpeechArguments {
    /// The `[speech]` settings these flags select.
    pub fn speech_config(&self) -> anyhow::Result<SpeechConfig> {
        let default = Path::new(super::DEFAULT_CONFIG);
        let mut speech = match &self.config {
            Some(path) => Config::load(path)?.speech,
            None if default.is_file() => Config::load(default)?.speech,
            None => SpeechConfig::default(),
        };
        if let Some(models) = &self.models {
            speech.models_directory = models.clone();
        }
        Ok(speech)
    }
}
