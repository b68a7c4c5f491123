//! Knowledge articles: parsing with `file:line` errors, and retrieval on
//! small hand-made embeddings (the real model's behaviour is tested in tests/understand.rs).

use std::path::Path;

use super::*;

const ARTICLE: &str = "\
+++
id = \"store_hours\"
title = \"Store opening hours\"
questions = [\"when are you open\", \"what time do you close\"]
keywords = [\"opening hours\"]
+++
Our stores are open Monday to Saturday
from 9 AM to 9 PM.

And on Sunday from 10 AM to 6 PM.
";

fn parse(text: &str) -> Result<Article, KnowledgeError> {
    Article::parse(text, Path::new("knowledge/hours.md"))
}

/// The line and message of an error at a line.
fn located(error: KnowledgeError) -> (usize, String) {
    match error {
        KnowledgeError::Syntax { line, message, .. }
        | KnowledgeError::Invalid { line, message, .. } => (line, message),
        other => panic!("expected an error at a line, got {other:?}"),
    }
}

#[test]
fn an_article_has_its_front_matter_and_a_one_paragraph_answer() {
    let article = parse(ARTICLE).expect("valid article");
    assert_eq!(article.id, "store_hours");
    assert_eq!(article.title, "Store opening hours");
    assert_eq!(article.questions.len(), 2);
    assert_eq!(article.keywords, ["opening hours"]);
    assert_eq!(
        article.answer,
        "Our stores are open Monday to Saturday from 9 AM to 9 PM. And on Sunday from 10 AM to 6 PM."
    );
}

#[test]
fn problems_name_their_line() {
    let cases = [
        ("Our stores are open.\n", 1, "starts with a +++"),
        ("+++\nid = \"a\"\n", 1, "not closed"),
        (
            "+++\nid = \"a\"\ntitle = \"A\"\nquestions = \"one\"\n+++\nAnswer.\n",
            4,
            "",
        ),
        (
            "+++\nid = \"a\"\ntitle = \"A\"\nquestions = [\"q\"]\ncolour = \"red\"\n+++\nAnswer.\n",
            5,
            "colour",
        ),
        (
            "+++\nid = \"Store Hours\"\ntitle = \"A\"\nquestions = [\"q\"]\n+++\nAnswer.\n",
            2,
            "lowercase",
        ),
        (
            "+++\nid = \"a\"\ntitle = \" \"\nquestions = [\"q\"]\n+++\nAnswer.\n",
            3,
            "title",
        ),
        (
            "+++\nid = \"a\"\ntitle = \"A\"\nquestions = []\n+++\nAnswer.\n",
            4,
            "question",
        ),
        (
            "+++\nid = \"a\"\ntitle = \"A\"\nquestions = [\"q\"]\n+++\nFine.\n\n# Heading\n",
            8,
            "Markdown",
        ),
        (
            "+++\nid = \"a\"\ntitle = \"A\"\nquestions = [\"q\"]\n+++\n\n",
            5,
            "no answer",
        ),
    ];
    for (text, line, word) in cases {
        let (found_line, message) = located(parse(text).expect_err(text));
        assert_eq!(found_line, line, "{text:?}: {message}");
        assert!(message.contains(word), "{text:?}: {message}");
    }
}

/// An index of two articles: store hours along axis 0, returns along axis 1.
fn index() -> KnowledgeIndex {
    let returns = ARTICLE
        .replace("store_hours", "returns")
        .replace("Store opening hours", "Returns")
        .replace("when are you open", "can I bring it back")
        .replace("what time do you close", "can I return it")
        .replace("opening hours", "return policy");
    let base = KnowledgeBase {
        directory: "knowledge".into(),
        articles: vec![
            parse(ARTICLE).expect("article"),
            parse(&returns).expect("article"),
        ],
    };
    KnowledgeIndex::build(base, |text: &str| {
        Ok::<_, ()>(
            if ["Returns", "can I bring it back", "can I return it"].contains(&text) {
                vec![0.0, 1.0, 0.0]
            } else {
                vec![1.0, 0.0, 0.0]
            },
        )
    })
    .expect("embedded")
}

#[test]
fn the_closest_article_answers_above_the_threshold() {
    let index = index();
    let retrieval = index
        .retrieve("are you open late", &[0.9, 0.1, 0.0])
        .expect("an answer");
    assert_eq!(retrieval.id, "store_hours");
    assert_eq!(retrieval.title, "Store opening hours");
    assert!(retrieval.answer.starts_with("Our stores are open"));
    assert!((retrieval.confidence - 0.9).abs() < 1e-6);
    assert_eq!(index.retrieve("tell me a joke", &[0.3, 0.2, 0.9]), None);
    assert_eq!(index.retrieve("", &[1.0, 0.0, 0.0]), None);
}

#[test]
fn a_keyword_raises_its_article() {
    let retrieval = index()
        .retrieve("what's the return policy", &[0.4, 0.35, 0.0])
        .expect("an answer");
    assert_eq!(retrieval.id, "returns");
    assert!((retrieval.confidence - (0.35 + KEYWORD_BONUS)).abs() < 1e-6);
}
