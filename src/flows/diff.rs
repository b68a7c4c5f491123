//! Line differences between two versions of a flow's files.

use crate::storage::FlowFiles;
use serde::Serialize;
use similar::{ChangeTag, TextDiff};
use std::collections::BTreeSet;

/// How one file differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FileDiff {
    /// The file, relative to the flow's directory.
    pub file: String,
    /// Every line of both versions, in order, each marked.
    pub lines: Vec<DiffLine>,
}

/// One line of a difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DiffLine {
    /// `same`, `added` or `removed`.
    #[schema(value_type = String)]
    pub kind: &'static str,
    /// The line, without its line break.
    pub text: String,
}

/// The files that differ from `old` to `new` (a file one version lacks counts as empty), with
/// `flow_file` and `intents_file` the names of the flow's two files.
pub fn diff(
    old: &FlowFiles,
    new: &FlowFiles,
    flow_file: &str,
    intents_file: &str,
) -> Vec<FileDiff> {
    let mut files = vec![
        (flow_file.to_string(), old.flow.clone(), new.flow.clone()),
        (
            intents_file.to_string(),
            old.intents.clone().unwrap_or_default(),
            new.intents.clone().unwrap_or_default(),
        ),
    ];
    let articles: BTreeSet<&String> = old.knowledge.keys().chain(new.knowledge.keys()).collect();
    for article in articles {
        let text = |files: &FlowFiles| files.knowledge.get(article).cloned().unwrap_or_default();
        files.push((format!("knowledge/{article}"), text(old), text(new)));
    }
    files
        .into_iter()
        .filter(|(_, old, new)| old != new)
        .map(|(file, old, new)| FileDiff {
            file,
            lines: lines(&old, &new),
        })
        .collect()
}

fn lines(old: &str, new: &str) -> Vec<DiffLine> {
    TextDiff::from_lines(old, new)
        .iter_all_changes()
        .map(|change| DiffLine {
            kind: match change.tag() {
                ChangeTag::Equal => "same",
                ChangeTag::Insert => "added",
                ChangeTag::Delete => "removed",
            },
            text: change.value().trim_end_matches(['\n', '\r']).to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_files_are_listed_line_by_line() {
        let old = FlowFiles {
            flow: "a\nb\n".into(),
            ..FlowFiles::default()
        };
        let mut new = old.clone();
        new.flow = "a\nc\n".into();
        new.knowledge.insert("faq.md".into(), "hello\n".into());
        let found = diff(&old, &new, "main.flow.toml", "main.intents.toml");
        assert_eq!(found.len(), 2);
        let kinds: Vec<(&str, &str)> = found[0]
            .lines
            .iter()
            .map(|line| (line.kind, line.text.as_str()))
            .collect();
        assert_eq!(kinds, [("same", "a"), ("removed", "b"), ("added", "c")]);
        assert_eq!(found[1].file, "knowledge/faq.md");
    }
}
