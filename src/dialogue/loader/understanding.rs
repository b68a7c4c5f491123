//! Reading the files that language understanding is made of: a flow's `*.intents.toml`, the
//! knowledge articles (`knowledge/**/*.md`) beside it, and labelled sets (`text<TAB>intent`).
//!
//! Directories are searched recursively in path order; unreadable directories are skipped, an
//! unreadable file is an error naming it. Parsing and checking are `language`'s.

use std::path::{Path, PathBuf};

use crate::dialogue::language::intents::{
    INTENTS_FILE_SUFFIX, Intents, IntentsError, Labelled, parse_labelled,
};
use crate::dialogue::language::knowledge::{
    ARTICLE_SUFFIX, Article, KNOWLEDGE_DIRECTORY, KnowledgeBase, KnowledgeError,
};

/// Reads and checks an intents file.
pub fn read_intents(path: &Path) -> Result<Intents, IntentsError> {
    Intents::parse(&read_text(path)?, path)
}

/// Reads a labelled set; a line without a tab, or with an intent not in `known`, is an error
/// at its line.
pub fn read_labelled(path: &Path, known: &[&str]) -> Result<Vec<Labelled>, IntentsError> {
    parse_labelled(&read_text(path)?, path, known)
}

/// The text of an intents file or labelled set; an unreadable file is an error naming it.
fn read_text(path: &Path) -> Result<String, IntentsError> {
    std::fs::read_to_string(path).map_err(|error| IntentsError::Unreadable {
        path: path.to_path_buf(),
        reason: error.to_string(),
    })
}

/// Every intents file under `directory`.
pub fn intents_files(directory: &Path) -> Vec<PathBuf> {
    files_under(directory, &|path: &Path| {
        path.is_file() && has_suffix(path, INTENTS_FILE_SUFFIX)
    })
}

/// Every article file under `directory`.
pub fn knowledge_files(directory: &Path) -> Vec<PathBuf> {
    files_under(directory, &|path: &Path| {
        path.is_file() && has_suffix(path, ARTICLE_SUFFIX)
    })
}

/// Every knowledge directory under `directory`, `directory` included.
pub fn knowledge_directories(directory: &Path) -> Vec<PathBuf> {
    let is_knowledge = |path: &Path| {
        path.file_name()
            .is_some_and(|name| name == KNOWLEDGE_DIRECTORY)
    };
    let mut found = Vec::new();
    if is_knowledge(directory) {
        found.push(directory.to_path_buf());
    }
    found.extend(files_under(directory, &|path: &Path| {
        path.is_dir() && is_knowledge(path)
    }));
    found
}

/// The knowledge directory of the flow (or intents) file at `file`: beside it.
pub fn knowledge_directory_of(file: &Path) -> PathBuf {
    file.parent()
        .unwrap_or(Path::new("."))
        .join(KNOWLEDGE_DIRECTORY)
}

/// Reads every article under `directory` (none when it does not exist); the first problem is
/// the error.
pub fn read_knowledge(directory: &Path) -> Result<KnowledgeBase, KnowledgeError> {
    let (articles, mut problems) = read_articles(directory);
    match problems.is_empty() {
        true => Ok(KnowledgeBase {
            directory: directory.to_path_buf(),
            articles,
        }),
        false => Err(problems.remove(0)),
    }
}

/// Every problem with the articles under `directory`.
pub fn check_knowledge(directory: &Path) -> Vec<KnowledgeError> {
    read_articles(directory).1
}

fn read_articles(directory: &Path) -> (Vec<Article>, Vec<KnowledgeError>) {
    KnowledgeBase::collect(knowledge_files(directory).into_iter().map(|file| {
        let article = std::fs::read_to_string(&file)
            .map_err(|error| KnowledgeError::Unreadable {
                path: file.clone(),
                reason: error.to_string(),
            })
            .and_then(|text| Article::parse(&text, &file));
        (file, article)
    }))
}

fn has_suffix(path: &Path, suffix: &str) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| name.ends_with(suffix))
}

/// The paths under `directory`, recursively and in path order, that `wanted` accepts.
fn files_under(directory: &Path, wanted: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(directory) else {
        return found;
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    paths.sort();
    for path in paths {
        if wanted(&path) {
            found.push(path.clone());
        }
        if path.is_dir() {
            found.extend(files_under(&path, wanted));
        }
    }
    found
}

#[cfg(test)]
#[path = "understanding_tests.rs"]
mod tests;
