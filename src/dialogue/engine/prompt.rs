//! What the engine plays: prompt files and text to speak share one queue, so the retry and
//! no-input machinery works whichever is queued.

use std::path::PathBuf;

use super::{FlowAction, FlowEngine};
use crate::dialogue::template::HEARD;

/// Something to play: a prompt file or text to speak.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Prompt {
    /// A prompt file (absolute path), played with `Play`.
    File(PathBuf),
    /// Composed text, spoken with `Say`.
    Text(String),
}

impl FlowEngine {
    /// Starts playing `prompt`.
    pub(super) fn play(&mut self, prompt: Prompt) {
        self.playing = true;
        self.actions.push_back(match prompt {
            Prompt::File(path) => FlowAction::Play { path },
            Prompt::Text(text) => FlowAction::Say { text },
        });
    }

    /// The value a `say` placeholder stands for: the last transcript for `heard`, else the
    /// variable, when set.
    pub(super) fn value_of(&self, name: &str) -> Option<&str> {
        if name == HEARD {
            Some(&self.heard)
        } else {
            self.variables.get(name).map(String::as_str)
        }
    }
}
