//! A flow's files on disk: where they are, reading them into a [`FlowFiles`], and writing a
//! version back atomically (each file written beside itself, then renamed over it).

use super::error::PublishError;
use crate::dialogue::FLOW_FILE_SUFFIX;
use crate::dialogue::language::intents::INTENTS_FILE_SUFFIX;
use crate::dialogue::language::knowledge::{ARTICLE_SUFFIX, KNOWLEDGE_DIRECTORY};
use crate::dialogue::loader::knowledge_files;
use crate::storage::FlowFiles;
use std::path::{Component, Path, PathBuf};

/// Where a flow's files live: its flow file, and beside it its intents file and knowledge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowPlace {
    /// The flow's name.
    pub name: String,
    /// The directory holding its files.
    pub directory: PathBuf,
    /// The flow file.
    pub flow_file: PathBuf,
}

impl FlowPlace {
    /// The place of the flow loaded from `flow_file`.
    pub fn of_file(name: &str, flow_file: &Path) -> FlowPlace {
        FlowPlace {
            name: name.to_string(),
            directory: flow_file.parent().unwrap_or(Path::new(".")).to_path_buf(),
            flow_file: flow_file.to_path_buf(),
        }
    }

    /// The place of a new flow: a directory of its own under the flows directory.
    pub fn new_flow(name: &str, flows_directory: &Path) -> FlowPlace {
        let directory = flows_directory.join(name);
        FlowPlace {
            name: name.to_string(),
            flow_file: directory.join(format!("{name}{FLOW_FILE_SUFFIX}")),
            directory,
        }
    }

    /// The flow file.
    pub fn flow_file(&self) -> PathBuf {
        self.flow_file.clone()
    }

    /// The intents file.
    pub fn intents_file(&self) -> PathBuf {
        self.directory
            .join(format!("{}{INTENTS_FILE_SUFFIX}", self.name))
    }

    /// The knowledge directory.
    pub fn knowledge_directory(&self) -> PathBuf {
        self.directory.join(KNOWLEDGE_DIRECTORY)
    }

    /// The file of the knowledge article called `article` (a path under the knowledge
    /// directory).
    pub fn article_file(&self, article: &str) -> PathBuf {
        self.knowledge_directory().join(article)
    }

    /// Reads the flow's files as they are on disk.
    pub fn read(&self) -> Result<FlowFiles, PublishError> {
        let read = |path: &Path| {
            std::fs::read_to_string(path).map_err(|source| PublishError::Write {
                path: path.display().to_string(),
                source,
            })
        };
        let intents_file = self.intents_file();
        let intents = match intents_file.is_file() {
            true => Some(read(&intents_file)?),
            false => None,
        };
        let knowledge_directory = self.knowledge_directory();
        let mut knowledge = std::collections::BTreeMap::new();
        for file in knowledge_files(&knowledge_directory) {
            let Ok(relative) = file.strip_prefix(&knowledge_directory) else {
                continue;
            };
            knowledge.insert(relative.to_string_lossy().into_owned(), read(&file)?);
        }
        Ok(FlowFiles {
            flow: read(&self.flow_file())?,
            intents,
            knowledge,
        })
    }

    /// Writes `files` over the flow's files: the intents file is removed when the version has
    /// none, and articles the version lacks are removed.
    pub fn write(&self, files: &FlowFiles) -> Result<(), PublishError> {
        std::fs::create_dir_all(&self.directory).map_err(|source| PublishError::Write {
            path: self.directory.display().to_string(),
            source,
        })?;
        write_atomically(&self.flow_file(), &files.flow)?;
        let intents_file = self.intents_file();
        match &files.intents {
            Some(intents) => write_atomically(&intents_file, intents)?,
            None if intents_file.exists() => remove(&intents_file)?,
            None => {}
        }
        let knowledge_directory = self.knowledge_directory();
        for (article, text) in &files.knowledge {
            write_atomically(&self.article_file(article), text)?;
        }
        for file in knowledge_files(&knowledge_directory) {
            let kept = file
                .strip_prefix(&knowledge_directory)
                .is_ok_and(|relative| files.knowledge.contains_key(&*relative.to_string_lossy()));
            if !kept {
                remove(&file)?;
            }
        }
        Ok(())
    }
}

/// Whether `name` is a flow name that can name files: 1 to 64 letters, digits, `_` or `-`.
pub fn valid_flow_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|character| character.is_ascii_alphanumeric() || "_-".contains(character))
}

/// Whether `article` names a knowledge article file under the knowledge directory: relative,
/// plain names only, ending in `.md`.
pub fn valid_article_name(article: &str) -> bool {
    let path = Path::new(article);
    article.ends_with(ARTICLE_SUFFIX)
        && article.len() > ARTICLE_SUFFIX.len()
        && path
            .components()
            .all(|component| matches!(component, Component::Normal(_)))
}

fn write_atomically(path: &Path, text: &str) -> Result<(), PublishError> {
    let failed = |source| PublishError::Write {
        path: path.display().to_string(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(failed)?;
    }
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".saving");
    let temporary = PathBuf::from(temporary);
    std::fs::write(&temporary, text).map_err(failed)?;
    std::fs::rename(&temporary, path).map_err(failed)
}

fn remove(path: &Path) -> Result<(), PublishError> {
    std::fs::remove_file(path).map_err(|source| PublishError::Write {
        path: path.display().to_string(),
        source,
    })
}
