//! Checking a flow's files before they are saved, published or tried: the same checks as
//! `hotline flows check` (the flow file parsed with its prompts opened, the intents file, the
//! knowledge articles), run on text in memory, with each problem placed by file, line and step.

use super::files::{FlowPlace, valid_article_name};
use super::problem::FileProblem;
use crate::dialogue::language::intents::Intents;
use crate::dialogue::language::knowledge::KnowledgeBase;
use crate::dialogue::{Flow, Problem, Reference, UnderstandingFiles, load_flow_source};
use crate::storage::FlowFiles;
use std::path::{Path, PathBuf};

/// A draft, checked.
pub struct Checked {
    /// The flow, when its header was usable (it may still have errors).
    pub flow: Option<Flow>,
    /// Its intents and knowledge, when they parsed.
    pub understanding: UnderstandingFiles,
    /// Every place in the flow file that names a step.
    pub references: Vec<Reference>,
    /// Every problem, errors and warnings.
    pub problems: Vec<FileProblem>,
}

impl Checked {
    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(FileProblem::is_error)
    }
}

/// Checks `files` as the files of the flow at `place`.
pub fn check(place: &FlowPlace, files: &FlowFiles) -> Checked {
    let flow_file = place.flow_file();
    let loaded = load_flow_source(&files.flow, &flow_file);
    let headers = step_headers(&files.flow);
    let flow_name = relative(place, &flow_file);
    let mut problems: Vec<FileProblem> = loaded
        .problems
        .iter()
        .map(|problem| flow_problem(&flow_name, problem, &headers))
        .collect();
    if let Some(flow) = &loaded.flow
        && flow.name != place.name
    {
        let message = format!(
            "the flow is named {:?} but is saved as {:?}; names cannot change",
            flow.name, place.name
        );
        problems.push(FileProblem::error(&flow_name, loaded.name_line, message));
    }
    let mut understanding = UnderstandingFiles::default();
    if let Some(text) = &files.intents {
        let path = place.intents_file();
        match Intents::parse(text, &path) {
            Ok(intents) => understanding.intents = Some(intents),
            Err(error) => problems.push(FileProblem::error(
                &relative(place, &path),
                error.line(),
                error.message(),
            )),
        }
    }
    if !files.knowledge.is_empty() {
        let mut texts: Vec<(PathBuf, String)> = Vec::new();
        for (article, text) in &files.knowledge {
            let path = place.article_file(article);
            if valid_article_name(article) {
                texts.push((path, text.clone()));
            } else {
                let message = format!(
                    "{article:?} is not an article file name (a relative path ending in .md)"
                );
                problems.push(FileProblem::error(article, 0, message));
            }
        }
        match KnowledgeBase::from_texts(&place.knowledge_directory(), &texts) {
            Ok(base) => understanding.knowledge = Some(base),
            Err(errors) => problems.extend(errors.iter().map(|error| {
                let path = match error {
                    crate::dialogue::language::knowledge::KnowledgeError::Unreadable {
                        path,
                        ..
                    }
                    | crate::dialogue::language::knowledge::KnowledgeError::Syntax {
                        path, ..
                    }
                    | crate::dialogue::language::knowledge::KnowledgeError::Invalid {
                        path, ..
                    } => path,
                };
                FileProblem::error(&relative(place, path), error.line(), error.message())
            })),
        }
    }
    Checked {
        flow: loaded.flow,
        understanding,
        references: loaded.references,
        problems,
    }
}

fn flow_problem(file: &str, problem: &Problem, headers: &[(usize, Option<String>)]) -> FileProblem {
    FileProblem {
        file: file.to_string(),
        line: problem.line,
        step: step_at(headers, problem.line),
        severity: if problem.is_error() {
            "error"
        } else {
            "warning"
        },
        message: problem.message(),
    }
}

/// The table headers of a flow file's text by line, with the step each names (`[steps.NAME]`).
pub(super) fn step_headers(source: &str) -> Vec<(usize, Option<String>)> {
    source
        .lines()
        .enumerate()
        .filter(|(_, line)| line.trim_start().starts_with('['))
        .map(|(index, line)| {
            let step = line
                .trim()
                .strip_prefix("[steps.")
                .and_then(|rest| rest.split(']').next())
                .map(|name| name.trim().trim_matches('"').to_string());
            (index + 1, step)
        })
        .collect()
}

/// The step whose table holds `line`.
fn step_at(headers: &[(usize, Option<String>)], line: usize) -> Option<String> {
    headers
        .iter()
        .rev()
        .find(|(header, _)| *header <= line)
        .and_then(|(_, step)| step.clone())
}

fn relative(place: &FlowPlace, path: &Path) -> String {
    path.strip_prefix(&place.directory)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}
