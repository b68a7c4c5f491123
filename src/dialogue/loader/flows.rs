//! Loading flow files from disk.
//!
//! Every `*.flow.toml` under a directory (recursively, in sorted order) is parsed; prompt files
//! are opened to check they exist and are readable; flow names must be unique across files.
//! All problems of all files are collected, errors and warnings alike.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::dialogue::flow_file::context::Reference;
use crate::dialogue::flow_file::error::{FlowError, Problem};
use crate::dialogue::flow_file::model::{Flow, FlowSet};
use crate::dialogue::flow_file::parse::parse_flow;

/// The file name suffix of flow files.
pub const FLOW_FILE_SUFFIX: &str = ".flow.toml";

/// Loads every flow under `directory`. Fails with all problems when any is an error; warnings
/// of a successful load are logged.
pub fn load_flows(directory: &Path) -> Result<FlowSet, Vec<Problem>> {
    let (flows, problems) = load(directory);
    if problems.iter().any(Problem::is_error) {
        return Err(problems);
    }
    for problem in &problems {
        tracing::warn!(%problem, "flow file warning");
    }
    let flows = flows
        .into_iter()
        .map(|flow| (flow.name.clone(), Arc::new(flow)))
        .collect();
    Ok(FlowSet { flows })
}

/// Checks every flow under `directory` and returns all problems (empty when all is well).
pub fn check_flows(directory: &Path) -> Vec<Problem> {
    load(directory).1
}

fn load(directory: &Path) -> (Vec<Flow>, Vec<Problem>) {
    let directory = std::path::absolute(directory).unwrap_or_else(|_| directory.to_path_buf());
    let mut problems = Vec::new();
    let mut files = Vec::new();
    find_flow_files(&directory, &mut files, &mut problems);
    files.sort();
    let mut flows: Vec<Flow> = Vec::new();
    let mut names: BTreeMap<String, PathBuf> = BTreeMap::new();
    for file in files {
        let source = match fs::read_to_string(&file) {
            Ok(source) => source,
            Err(error) => {
                let error = FlowError::UnreadableFile {
                    reason: error.to_string(),
                };
                problems.push(Problem::error(&file, 0, error));
                continue;
            }
        };
        let loaded = load_flow_source(&source, &file);
        problems.extend(loaded.problems);
        let Some(flow) = loaded.flow else {
            continue;
        };
        if let Some(other) = names.get(&flow.name) {
            let error = FlowError::DuplicateFlow {
                name: flow.name.clone(),
                other: other.clone(),
            };
            problems.push(Problem::error(&file, loaded.name_line, error));
            continue;
        }
        names.insert(flow.name.clone(), file.clone());
        flows.push(flow);
    }
    problems.sort_by(|left, right| (&left.file, left.line).cmp(&(&right.file, right.line)));
    (flows, problems)
}

/// One flow file's text made into a flow, as the loader does for a file on disk: parsed, its
/// prompt files checked and its captions read. `file` is where the text is (or will be) kept;
/// prompt paths resolve against its directory.
pub fn load_flow_source(source: &str, file: &Path) -> LoadedFlow {
    let parsed = parse_flow(source, file);
    let mut problems = parsed.problems;
    for prompt in &parsed.prompts {
        if let Err(reason) = check_readable(&prompt.path) {
            let error = FlowError::UnreadablePrompt {
                path: prompt.path.clone(),
                reason,
            };
            problems.push(Problem::error(file, prompt.line, error));
        }
    }
    problems.sort_by_key(|problem| problem.line);
    let flow = parsed.flow.map(|mut flow| {
        flow.captions = captions(&parsed.prompts);
        flow
    });
    LoadedFlow {
        flow,
        name_line: parsed.name_line,
        references: parsed.references,
        problems,
    }
}

/// One flow file's text, loaded.
pub struct LoadedFlow {
    /// The flow, when its header was usable (it may still have errors among `problems`).
    pub flow: Option<Flow>,
    /// Line of the `name` key.
    pub name_line: usize,
    /// Every place that names a step: the flow's transitions.
    pub references: Vec<Reference>,
    /// Every problem, errors and warnings, in line order.
    pub problems: Vec<Problem>,
}

/// The file name of the captions file beside prompt files: `FILE<TAB>TEXT` lines, `#` comments.
pub const CAPTIONS_FILE: &str = "prompts.tsv";

/// What each prompt says, from the `prompts.tsv` in each prompt's directory (where there is
/// one). Prompts without a caption show in text channels by nothing and in summaries by name.
fn captions(
    prompts: &[crate::dialogue::flow_file::context::PromptReference],
) -> BTreeMap<PathBuf, String> {
    let mut tables: BTreeMap<PathBuf, BTreeMap<String, String>> = BTreeMap::new();
    let mut captions = BTreeMap::new();
    for prompt in prompts {
        let Some(directory) = prompt.path.parent() else {
            continue;
        };
        let table = tables
            .entry(directory.to_path_buf())
            .or_insert_with(|| read_captions(&directory.join(CAPTIONS_FILE)));
        let name = prompt.path.file_name().and_then(|name| name.to_str());
        if let Some(text) = name.and_then(|name| table.get(name)) {
            captions.insert(prompt.path.clone(), text.clone());
        }
    }
    captions
}

fn read_captions(path: &Path) -> BTreeMap<String, String> {
    let Ok(text) = fs::read_to_string(path) else {
        return BTreeMap::new();
    };
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split_once('\t'))
        .map(|(file, caption)| (file.trim().to_string(), caption.trim().to_string()))
        .collect()
}

fn find_flow_files(directory: &Path, files: &mut Vec<PathBuf>, problems: &mut Vec<Problem>) {
    let entries = match fs::read_dir(directory) {
        Ok(entries) => entries,
        Err(error) => {
            let error = FlowError::UnreadableDirectory {
                reason: error.to_string(),
            };
            problems.push(Problem::error(directory, 0, error));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            find_flow_files(&path, files, problems);
        } else if path.to_string_lossy().ends_with(FLOW_FILE_SUFFIX) {
            files.push(path);
        }
    }
}

fn check_readable(path: &Path) -> Result<(), String> {
    let file = fs::File::open(path).map_err(|error| error.to_string())?;
    let metadata = file.metadata().map_err(|error| error.to_string())?;
    if metadata.is_file() {
        Ok(())
    } else {
        Err("not a regular file".into())
    }
}

#[cfg(test)]
#[path = "flows_tests.rs"]
mod tests;
