//! One problem with a draft's files, as the designer shows it: placed on its file, line and step.

use serde::Serialize;

/// One problem with a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FileProblem {
    /// The file, relative to the flow's directory (`main.flow.toml`, `knowledge/faq.md`).
    pub file: String,
    /// 1-based line; 0 when it is about the whole file.
    pub line: usize,
    /// The step the line belongs to, for problems in a flow file's steps.
    pub step: Option<String>,
    /// `error` (the draft cannot run) or `warning`.
    #[schema(value_type = String)]
    pub severity: &'static str,
    /// What is wrong.
    pub message: String,
}

impl FileProblem {
    /// An error in `file` at `line`, outside any step.
    pub fn error(file: &str, line: usize, message: String) -> FileProblem {
        FileProblem {
            file: file.to_string(),
            line,
            step: None,
            severity: "error",
            message,
        }
    }

    /// Whether the problem stops the draft from running.
    pub fn is_error(&self) -> bool {
        self.severity == "error"
    }
}
