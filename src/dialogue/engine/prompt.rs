//! What the engine plays: prompt files and text to speak share one queue, so the retry and
//! no-input machinery works whichever is queued. Every prompt a step plays shares the step's
//! `barge_in`; `hangup` prompts are never interrupted.

use std::path::PathBuf;

use super::{FlowAction, FlowEngine, kind_of};
use crate::dialogue::flow_file::model::{Message, StepKind};
use crate::dialogue::flow_file::template::{HEARD, Text};

/// Something to play: a prompt file or text to speak.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Prompt {
    /// A prompt file (absolute path), played with `Play`.
    File(PathBuf),
    /// Composed text, spoken with `Say`.
    Text(String),
}

impl FlowEngine {
    /// Starts playing `prompt`, telling the driver whether caller speech may interrupt it.
    pub(super) fn play(&mut self, prompt: Prompt) {
        self.playing = true;
        let barge_in = kind_of(&self.flow, self.step.as_ref())
            .is_some_and(|kind| interruptible(kind) && listens_to_speech(kind));
        match &prompt {
            Prompt::Text(text) => self.conversation.hotline_said(text),
            Prompt::File(path) => {
                let caption = self.flow.captions.get(path).cloned();
                let name = path
                    .file_name()
                    .map(|name| name.to_string_lossy().into_owned());
                self.conversation
                    .hotline_said(&caption.or(name).unwrap_or_default());
            }
        }
        self.actions.push_back(match prompt {
            Prompt::File(path) => FlowAction::Play { path, barge_in },
            Prompt::Text(text) => FlowAction::Say { text, barge_in },
        });
    }

    /// `text` with its placeholders filled in as things are now.
    pub(super) fn compose(&self, text: &Text) -> Prompt {
        Prompt::Text(text.render(|name| self.value_of(name)))
    }

    /// What to play for a failure message.
    pub(super) fn prompt_for(&self, message: &Message) -> Prompt {
        match message {
            Message::Prompt(path) => Prompt::File(path.clone()),
            Message::Text(text) => self.compose(text),
        }
    }

    /// The value a placeholder stands for: the last transcript for `heard`, else the variable,
    /// when set.
    fn value_of(&self, name: &str) -> Option<&str> {
        if name == HEARD {
            Some(&self.heard)
        } else {
            self.variables.get(name).map(String::as_str)
        }
    }
}

/// Whether speech can act in a step of this kind (so detecting it over a prompt is useful).
pub(super) fn listens_to_speech(kind: &StepKind) -> bool {
    match kind {
        StepKind::Ask(ask) => ask.accepts.speech(),
        other => other.input_barge_in().is_some(),
    }
}

/// Whether caller input may stop the prompts of a step of this kind.
pub(super) fn interruptible(kind: &StepKind) -> bool {
    kind.input_barge_in().unwrap_or(false)
}
