//! The knowledge base: short answers to callers' questions, found by meaning and keywords.
//!
//! A flow's knowledge is the [`KNOWLEDGE_DIRECTORY`] directory beside its flow file: one
//! article per `*.md` file (subdirectories allowed), TOML front matter between `+++` lines, then
//! the answer in plain spoken sentences (it is spoken by the voice and sent as chat text, so
//! no Markdown):
//!
//! ```text
//! +++
//! id = "store_hours"
//! title = "Store opening hours"
//! questions = ["when are you open", "what time do you close on saturday"]
//! keywords = ["opening hours"]
//! +++
//! Our stores are open Monday to Saturday from 9 AM to 9 PM, and Sunday from 10 AM to 6 PM.
//! ```
//!
//! A [`KnowledgeIndex`] holds the sentence embeddings of every article's title and questions.
//! An article's score for a text is its closest title or question's cosine similarity, plus
//! [`KEYWORD_BONUS`] when one of its keywords occurs in the text (whole words, robust to split
//! words as intents' keywords are); the best article answers when its score, capped at 1, is
//! at least [`ANSWER_THRESHOLD`]. Articles are read when the index is built, so an article
//! added on disk counts from the next load, without a rebuild.
//!
//! Pure: the loader reads the files, and embeddings come in from the caller.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::intents::{Keyword, similarity};
use super::speech::normalise;
use crate::text::lines::line_of;

/// Name of the directory, beside a flow file, that holds its knowledge.
pub const KNOWLEDGE_DIRECTORY: &str = "knowledge";
/// Suffix of article files.
pub const ARTICLE_SUFFIX: &str = ".md";
/// The line that opens and closes an article's front matter.
pub const FRONT_MATTER_FENCE: &str = "+++";
/// Score added to an article whose keyword occurs in the question.
pub const KEYWORD_BONUS: f32 = 0.25;
/// Score below which no article answers.
pub const ANSWER_THRESHOLD: f32 = 0.5;

/// A problem with a knowledge article.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum KnowledgeError {
    /// The file could not be read.
    #[error("{path}: cannot read: {reason}")]
    Unreadable { path: PathBuf, reason: String },
    /// The front matter is missing, not valid TOML, or a field has the wrong shape.
    #[error("{path}:{line}: {message}")]
    Syntax {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// The article parses but makes no sense (empty fields, a bad or duplicate id, Markdown in
    /// the answer).
    #[error("{path}:{line}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

impl KnowledgeError {
    /// The line the problem is on; 0 when it is about the whole file.
    pub fn line(&self) -> usize {
        match self {
            KnowledgeError::Unreadable { .. } => 0,
            KnowledgeError::Syntax { line, .. } | KnowledgeError::Invalid { line, .. } => *line,
        }
    }

    /// What is wrong, without the file and line.
    pub fn message(&self) -> String {
        match self {
            KnowledgeError::Unreadable { reason, .. } => format!("cannot read: {reason}"),
            KnowledgeError::Syntax { message, .. } | KnowledgeError::Invalid { message, .. } => {
                message.clone()
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    id: String,
    title: String,
    questions: Vec<String>,
    #[serde(default)]
    keywords: Vec<String>,
}

/// One article as an admin wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// The file it came from.
    pub file: PathBuf,
    /// Unique name, e.g. `return_policy`: lowercase letters, digits, `_` and `-`.
    pub id: String,
    /// A short title.
    pub title: String,
    /// Example questions it answers.
    pub questions: Vec<String>,
    /// Words that point to it whenever they occur.
    pub keywords: Vec<String>,
    /// The answer: the body's sentences, whitespace collapsed.
    pub answer: String,
    /// Line of the `id` key, for errors about the article as a whole.
    id_line: usize,
}

impl Article {
    /// Parses and checks article text; `path` names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Article, KnowledgeError> {
        let syntax = |line: usize, message: String| KnowledgeError::Syntax {
            path: path.to_path_buf(),
            line,
            message,
        };
        let invalid = |line: usize, message: String| KnowledgeError::Invalid {
            path: path.to_path_buf(),
            line,
            message,
        };
        let lines: Vec<&str> = text.lines().collect();
        // Blank lines may come before the front matter.
        let opening = lines
            .iter()
            .position(|line| !line.trim().is_empty())
            .unwrap_or(0);
        if lines.get(opening).map(|line| line.trim_end()) != Some(FRONT_MATTER_FENCE) {
            return Err(syntax(
                opening + 1,
                format!(
                    "an article starts with a {FRONT_MATTER_FENCE} line opening its front matter"
                ),
            ));
        }
        let Some(closing) = lines
            .iter()
            .skip(opening + 1)
            .position(|line| line.trim_end() == FRONT_MATTER_FENCE)
            .map(|index| index + opening + 1)
        else {
            return Err(syntax(
                opening + 1,
                format!("the front matter is not closed by a {FRONT_MATTER_FENCE} line"),
            ));
        };
        let front = lines[opening + 1..closing].join("\n");
        // Line numbers in the front matter text are offset by the lines up to the opening fence.
        let front_line = |offset: usize| line_of(&front, offset) + opening + 1;
        let matter: FrontMatter = toml::from_str(&front).map_err(|error| {
            syntax(
                error.span().map_or(1, |span| front_line(span.start)),
                error.message().to_string(),
            )
        })?;
        let key_line = |key: &str| {
            front
                .lines()
                .position(|line| {
                    line.trim_start()
                        .strip_prefix(key)
                        .is_some_and(|rest| rest.trim_start().starts_with('='))
                })
                .map_or(opening + 1, |index| index + opening + 2)
        };
        let id_line = key_line("id");
        if matter.id.is_empty()
            || !matter.id.chars().all(|character| {
                character.is_ascii_lowercase()
                    || character.is_ascii_digit()
                    || matches!(character, '_' | '-')
            })
        {
            return Err(invalid(
                id_line,
                format!(
                    "id {:?} must be lowercase letters, digits, _ and - only",
                    matter.id
                ),
            ));
        }
        if normalise(&matter.title).is_empty() {
            return Err(invalid(key_line("title"), "the title is empty".into()));
        }
        if matter
            .questions
            .iter()
            .all(|question| normalise(question).is_empty())
        {
            return Err(invalid(
                key_line("questions"),
                "an article needs at least one example question".into(),
            ));
        }
        let body = &lines[closing + 1..];
        for (index, line) in body.iter().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.starts_with(['#', '*', '-', '>', '|', '`']) || trimmed.contains("](") {
                return Err(invalid(
                    closing + 2 + index,
                    "the answer is spoken: write plain sentences, not Markdown".into(),
                ));
            }
        }
        let answer = body
            .iter()
            .flat_map(|line| line.split_whitespace())
            .collect::<Vec<_>>()
            .join(" ");
        if answer.is_empty() {
            return Err(invalid(
                closing + 1,
                "the article has no answer after its front matter".into(),
            ));
        }
        Ok(Article {
            file: path.to_path_buf(),
            id: matter.id,
            title: matter.title,
            questions: matter.questions,
            keywords: matter.keywords,
            answer,
            id_line,
        })
    }
}

/// The articles of one knowledge directory.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KnowledgeBase {
    /// The directory they came from.
    pub directory: PathBuf,
    /// The articles, in path order.
    pub articles: Vec<Article>,
}

impl KnowledgeBase {
    /// The articles of `texts` (each file's path and text), checked as the loader checks the
    /// files of a directory: an article being written, before it is saved.
    pub fn from_texts(
        directory: &Path,
        texts: &[(PathBuf, String)],
    ) -> Result<KnowledgeBase, Vec<KnowledgeError>> {
        let parsed = texts
            .iter()
            .map(|(path, text)| (path.clone(), Article::parse(text, path)));
        let (articles, problems) = KnowledgeBase::collect(parsed);
        match problems.is_empty() {
            true => Ok(KnowledgeBase {
                directory: directory.to_path_buf(),
                articles,
            }),
            false => Err(problems),
        }
    }

    /// The articles parsed, and the problems: each article's own, and ids used twice.
    pub fn collect(
        parsed: impl Iterator<Item = (PathBuf, Result<Article, KnowledgeError>)>,
    ) -> (Vec<Article>, Vec<KnowledgeError>) {
        let mut articles = Vec::new();
        let mut problems = Vec::new();
        let mut ids: BTreeMap<String, PathBuf> = BTreeMap::new();
        for (file, article) in parsed {
            match article {
                Ok(article) => {
                    if let Some(first) = ids.get(&article.id) {
                        problems.push(KnowledgeError::Invalid {
                            path: file,
                            line: article.id_line,
                            message: format!(
                                "id {:?} is already used by {}",
                                article.id,
                                first.display()
                            ),
                        });
                    } else {
                        ids.insert(article.id.clone(), file);
                        articles.push(article);
                    }
                }
                Err(problem) => problems.push(problem),
            }
        }
        (articles, problems)
    }
}

/// The article found for a question.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Retrieval {
    /// The article's id.
    pub id: String,
    /// The article's title.
    pub title: String,
    /// The answer to speak or send.
    pub answer: String,
    /// The article's score (0..1): similarity to its closest title or question, raised by a
    /// keyword.
    pub confidence: f32,
}

/// The articles with their titles' and questions' embeddings, ready to answer.
#[derive(Debug, Clone)]
pub struct KnowledgeIndex {
    base: KnowledgeBase,
    /// Per article: the embeddings of its title and questions.
    embeddings: Vec<Vec<Vec<f32>>>,
    /// Per article: its keywords.
    keywords: Vec<Vec<Keyword>>,
}

impl KnowledgeIndex {
    /// Embeds every article's title and questions with `embed`.
    pub fn build<E>(
        base: KnowledgeBase,
        mut embed: impl FnMut(&str) -> Result<Vec<f32>, E>,
    ) -> Result<KnowledgeIndex, E> {
        let mut embeddings = Vec::new();
        let mut keywords = Vec::new();
        for article in &base.articles {
            let mut article_embeddings = vec![embed(&article.title)?];
            for question in &article.questions {
                if !normalise(question).is_empty() {
                    article_embeddings.push(embed(question)?);
                }
            }
            embeddings.push(article_embeddings);
            keywords.push(
                article
                    .keywords
                    .iter()
                    .filter_map(|keyword| Keyword::new(keyword))
                    .collect(),
            );
        }
        Ok(KnowledgeIndex {
            base,
            embeddings,
            keywords,
        })
    }

    /// The knowledge base this index was built from.
    pub fn base(&self) -> &KnowledgeBase {
        &self.base
    }

    /// The article answering `text`, whose sentence embedding is `embedding`; `None` when no
    /// article scores at least [`ANSWER_THRESHOLD`].
    pub fn retrieve(&self, text: &str, embedding: &[f32]) -> Option<Retrieval> {
        let words = normalise(text);
        if words.is_empty() {
            return None;
        }
        let (index, score) = self
            .embeddings
            .iter()
            .zip(&self.keywords)
            .map(|(embeddings, keywords)| {
                let closest = embeddings
                    .iter()
                    .map(|candidate| similarity(embedding, candidate))
                    .fold(f32::MIN, f32::max);
                let bonus = if keywords.iter().any(|keyword| keyword.occurs_in(&words)) {
                    KEYWORD_BONUS
                } else {
                    0.0
                };
                (closest + bonus).clamp(0.0, 1.0)
            })
            .enumerate()
            .max_by(|first, second| first.1.total_cmp(&second.1))?;
        let article = &self.base.articles[index];
        (score >= ANSWER_THRESHOLD).then(|| Retrieval {
            id: article.id.clone(),
            title: article.title.clone(),
            answer: article.answer.clone(),
            confidence: score,
        })
    }
}

#[cfg(test)]
#[path = "knowledge_tests.rs"]
mod tests;
