//! `hotline understand` with the real sentence-embedding model (all-MiniLM-L6-v2, provisioned by
//! `hotline models`) and the demo's intents: paraphrases that share no example's wording reach
//! the right intent, keywords decide, unrelated text is no match, and a phrase added to the
//! intents file changes the answer without a rebuild.

mod common;

use common::{models_dir, repo_dir};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs `hotline understand` on `texts` (one per stdin line) with the intents under `flows`.
fn understand(flows: &Path, texts: &[&str]) -> Vec<serde_json::Value> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .arg("understand")
        .arg("--flows")
        .arg(flows)
        .arg("--models")
        .arg(models_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hotline runs");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(format!("{}\n", texts.join("\n")).as_bytes())
        .expect("texts written");
    drop(stdin);
    let output = child.wait_with_output().expect("hotline finishes");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect()
}

#[test]
fn paraphrases_keywords_and_no_match() {
    let cases = [
        (
            "I returned it two weeks ago and still no money",
            Some("refund_status"),
        ),
        (
            "I'd like to know when my parcel gets here",
            Some("order_status"),
        ),
        (
            "can I swap these shoes for a bigger size",
            Some("return_item"),
        ),
        ("someone charged my card two times", Some("billing_issue")),
        ("when are you open tomorrow", Some("store_hours")),
        ("I misplaced my rewards card", Some("lost_card")),
        ("get me a representative", Some("speak_to_agent")),
        ("what's the weather on mars", None),
    ];
    let texts: Vec<&str> = cases.iter().map(|(text, _)| *text).collect();
    let lines = understand(&repo_dir().join("prompts"), &texts);
    assert_eq!(lines.len(), cases.len());
    for ((text, intent), line) in cases.iter().zip(&lines) {
        assert_eq!(line["text"], *text);
        assert_eq!(line["intent"].as_str(), *intent, "{line}");
        let confidence = line["confidence"].as_f64().unwrap_or(-1.0);
        assert!((0.0..=1.0).contains(&confidence), "{line}");
    }
    let keyword = &lines[6];
    assert_eq!(keyword["confidence"], 1.0, "{keyword}");
}

#[test]
fn spoken_numbers_are_reported_as_digits() {
    let lines = understand(
        &repo_dir().join("prompts"),
        &["where is my order twelve thousand three hundred forty five"],
    );
    assert_eq!(lines[0]["intent"], "order_status", "{}", lines[0]);
    assert_eq!(lines[0]["slots"]["digits"], "12345", "{}", lines[0]);
}

#[test]
fn a_new_example_phrase_changes_the_answer_without_a_rebuild() {
    let flows = tempfile::tempdir().expect("temporary directory");
    let original = std::fs::read_to_string(repo_dir().join("prompts/demo/main.intents.toml"))
        .expect("demo intents");
    let phrase = "the zipper broke on day one";
    std::fs::write(flows.path().join("main.intents.toml"), &original).expect("intents copy");
    assert_eq!(
        understand(flows.path(), &[phrase])[0]["intent"],
        serde_json::Value::Null
    );
    let taught = original.replace(
        "\"I want to make a complaint\",",
        &format!("\"{phrase}\", \"I want to make a complaint\","),
    );
    assert_ne!(taught, original, "the complaint intent's examples moved");
    std::fs::write(flows.path().join("main.intents.toml"), taught).expect("intents edited");
    assert_eq!(
        understand(flows.path(), &[phrase])[0]["intent"],
        "complaint"
    );
}

#[test]
fn a_broken_intents_file_names_file_and_line() {
    let flows = tempfile::tempdir().expect("temporary directory");
    std::fs::write(
        flows.path().join("main.intents.toml"),
        "schema = 1\n\n[[intent]]\nname = \"a\"\nexamples = [\"x\"]\n\n[[intent]]\nname = \"a\"\nexamples = [\"y\"]\n",
    )
    .expect("intents file");
    let output = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .arg("understand")
        .arg("--flows")
        .arg(flows.path())
        .arg("--models")
        .arg(models_dir())
        .arg("hello")
        .output()
        .expect("hotline runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("main.intents.toml:8:"), "{stderr}");
    assert!(stderr.contains("defined twice"), "{stderr}");
}

/// The (text, expected intent) lines of a TSV file in tests/data; `None` for `none`.
fn labelled(name: &str) -> Vec<(String, Option<String>)> {
    let text = std::fs::read_to_string(repo_dir().join("tests/data").join(name)).expect("set");
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let (text, intent) = line.split_once('\t').expect("text<TAB>intent");
            let intent = (intent != "none").then(|| intent.to_string());
            (text.to_string(), intent)
        })
        .collect()
}

#[test]
fn held_out_accuracy_is_at_least_92_percent() {
    let set = labelled("intents-held-out.tsv");
    let texts: Vec<&str> = set.iter().map(|(text, _)| text.as_str()).collect();
    let lines = understand(&repo_dir().join("prompts"), &texts);
    assert_eq!(lines.len(), set.len());
    let wrong: Vec<String> = set
        .iter()
        .zip(&lines)
        .filter(|((_, expected), line)| line["intent"].as_str() != expected.as_deref())
        .map(|((text, expected), line)| {
            format!(
                "{text:?}: expected {}, got {} ({} {})",
                expected.as_deref().unwrap_or("none"),
                line["intent"],
                line["closest"],
                line["confidence"]
            )
        })
        .collect();
    let accuracy = 1.0 - wrong.len() as f64 / set.len() as f64;
    println!(
        "held-out accuracy {:.1}% of {}",
        accuracy * 100.0,
        set.len()
    );
    assert!(
        accuracy >= 0.92,
        "held-out accuracy {:.1}% of {}; misclassified:\n{}",
        accuracy * 100.0,
        set.len(),
        wrong.join("\n")
    );
}

/// The demo's intents and knowledge copied into a fresh flows directory.
fn demo_copy() -> tempfile::TempDir {
    let flows = tempfile::tempdir().expect("temporary directory");
    let demo = repo_dir().join("prompts/demo");
    std::fs::copy(
        demo.join("main.intents.toml"),
        flows.path().join("main.intents.toml"),
    )
    .expect("intents copy");
    std::fs::create_dir(flows.path().join("knowledge")).expect("knowledge directory");
    for entry in std::fs::read_dir(demo.join("knowledge")).expect("demo knowledge") {
        let path = entry.expect("entry").path();
        std::fs::copy(
            &path,
            flows
                .path()
                .join("knowledge")
                .join(path.file_name().expect("name")),
        )
        .expect("article copy");
    }
    flows
}

#[test]
fn spoken_questions_find_their_knowledge_article() {
    let cases = [
        (
            "can I bring back a jacket I bought three weeks ago",
            Some("return_policy"),
        ),
        ("when are you open on sunday", Some("store_hours")),
        ("um how long till my refund shows up", Some("refund_timing")),
        ("i lost my member ship card", Some("lost_card")),
        ("who won the football game last night", None),
    ];
    let texts: Vec<&str> = cases.iter().map(|(text, _)| *text).collect();
    let lines = understand(&repo_dir().join("prompts"), &texts);
    for ((text, id), line) in cases.iter().zip(&lines) {
        let article = &line["article"];
        assert_eq!(article["id"].as_str(), *id, "{text}: {line}");
        if id.is_some() {
            assert!(article["title"].is_string(), "{line}");
            let confidence = article["confidence"].as_f64().unwrap_or(-1.0);
            assert!((0.5..=1.0).contains(&confidence), "{line}");
        } else {
            assert!(article.is_null(), "{line}");
        }
    }
}

#[test]
fn an_article_added_on_disk_is_found_without_a_rebuild() {
    let flows = demo_copy();
    let question = "do you repair broken zippers";
    assert!(understand(flows.path(), &[question])[0]["article"].is_null());
    std::fs::write(
        flows.path().join("knowledge/repairs.md"),
        "+++\nid = \"repairs\"\ntitle = \"Repairs\"\nquestions = [\"can you fix a broken zipper\", \"do you repair jackets\"]\n+++\nBring it to any store: we repair zippers and seams for free in the first year.\n",
    )
    .expect("new article");
    let line = &understand(flows.path(), &[question])[0];
    assert_eq!(line["article"]["id"], "repairs", "{line}");
    assert_eq!(line["article"]["title"], "Repairs", "{line}");
}

#[test]
fn a_broken_article_names_file_and_line() {
    let flows = demo_copy();
    std::fs::write(
        flows.path().join("knowledge/broken.md"),
        "+++\nid = \"broken\"\ntitle = \"Broken\"\nquestions = [\"why\"\n+++\nBecause.\n",
    )
    .expect("broken article");
    let output = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .args(["flows", "check"])
        .arg(flows.path())
        .output()
        .expect("hotline runs");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("knowledge/broken.md:4:"), "{stdout}");
    let output = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .arg("understand")
        .arg("--flows")
        .arg(flows.path())
        .arg("--models")
        .arg(models_dir())
        .arg("hello")
        .output()
        .expect("hotline runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("knowledge/broken.md:4:"), "{stderr}");
}

#[test]
fn calibrating_prints_a_table_to_paste() {
    let output = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .arg("understand")
        .arg("--flows")
        .arg(repo_dir().join("prompts"))
        .arg("--models")
        .arg(models_dir())
        .arg("--calibrate")
        .arg(repo_dir().join("tests/data/intents-calibration.tsv"))
        .output()
        .expect("hotline runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}{stderr}");
    let table: toml::Table = toml::from_str(&stdout).expect("a TOML table");
    let calibration = table["calibration"].as_table().expect("[calibration]");
    for key in ["similarity", "margin", "bias"] {
        assert!(calibration[key].as_float().is_some(), "{stdout}");
    }
    assert!(stderr.contains("fitted calibration: "), "{stderr}");
}
