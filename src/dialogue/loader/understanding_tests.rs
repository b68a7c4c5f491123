//! Reading understanding files: directories are searched recursively, problems name their
//! file and line, a missing directory is an empty base.

use super::*;

const ARTICLE: &str = "+++
id = \"store_hours\"
title = \"Store opening hours\"
questions = [\"when are you open\"]
+++
We are open from nine to nine.
";

#[test]
fn a_directory_loads_recursively_and_reports_a_duplicate_id_in_the_second_file() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let knowledge = directory.path().join(KNOWLEDGE_DIRECTORY);
    std::fs::create_dir_all(knowledge.join("stores")).expect("directories");
    std::fs::write(knowledge.join("stores/hours.md"), ARTICLE).expect("article");
    std::fs::write(knowledge.join("notes.txt"), "not an article").expect("other file");
    let base = read_knowledge(&knowledge).expect("valid base");
    assert_eq!(base.articles.len(), 1);
    assert_eq!(
        knowledge_directories(directory.path()),
        std::slice::from_ref(&knowledge)
    );
    assert_eq!(
        knowledge_directory_of(&directory.path().join("main.flow.toml")),
        knowledge
    );
    std::fs::write(knowledge.join("broken.md"), "\nno front matter\n").expect("article");
    let messages: Vec<String> = check_knowledge(&knowledge)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("broken.md:2:"), "{messages:?}");
    // Blank lines before the front matter are allowed, and counted.
    std::fs::write(knowledge.join("z-copy.md"), format!("\n{ARTICLE}")).expect("article");
    let messages: Vec<String> = check_knowledge(&knowledge)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[1].contains("z-copy.md:3: id \"store_hours\" is already used"),
        "{messages:?}"
    );
    assert!(read_knowledge(&knowledge).is_err());
    let missing = read_knowledge(&directory.path().join("nowhere")).expect("empty base");
    assert!(missing.articles.is_empty());
}

#[test]
fn intents_files_are_found_recursively_and_an_unreadable_file_is_named() {
    let directory = tempfile::tempdir().expect("temporary directory");
    std::fs::create_dir_all(directory.path().join("billing")).expect("directories");
    let nested = directory.path().join("billing/main.intents.toml");
    std::fs::write(&nested, "schema = 1\n").expect("intents");
    std::fs::write(directory.path().join("main.flow.toml"), "").expect("flow");
    assert_eq!(intents_files(directory.path()), vec![nested]);
    let missing = directory.path().join("gone.intents.toml");
    let error = read_intents(&missing).expect_err("missing file");
    assert!(
        error.to_string().contains("gone.intents.toml: cannot read"),
        "{error}"
    );
    let error = read_labelled(&missing, &[]).expect_err("missing set");
    assert!(
        error.to_string().contains("gone.intents.toml: cannot read"),
        "{error}"
    );
}
