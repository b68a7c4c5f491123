//! `hotline understand` with the real sentence-embedding model (all-MiniLM-L6-v2, provisioned by
//! `hotline models`) and the demo's intents: paraphrases that share no example's wording reach
//! the right intent, keywords decide, unrelated text is no match, and a phrase added to the
//! intents file changes the answer without a rebuild.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `hotline understand` on `texts` (one per stdin line) with the intents under `flows`.
fn understand(flows: &Path, texts: &[&str]) -> Vec<serde_json::Value> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .arg("understand")
        .arg("--flows")
        .arg(flows)
        .arg("--models")
        .arg(repository().join("voice-models"))
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
    let lines = understand(&repository().join("prompts"), &texts);
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
        &repository().join("prompts"),
        &["where is my order twelve thousand three hundred forty five"],
    );
    assert_eq!(lines[0]["intent"], "order_status", "{}", lines[0]);
    assert_eq!(lines[0]["slots"]["digits"], "12345", "{}", lines[0]);
}

#[test]
fn a_new_example_phrase_changes_the_answer_without_a_rebuild() {
    let flows = tempfile::tempdir().expect("temporary directory");
    let original = std::fs::read_to_string(repository().join("prompts/demo/main.intents.toml"))
        .expect("demo intents");
    let phrase = "the zipper broke on day one";
    std::fs::write(flows.path().join("main.intents.toml"), &original).expect("intents copy");
    assert_eq!(
        understand(flows.path(), &[phrase])[0]["intent"],
        serde_json::Value::Null
    );
    let taught = original.replace(
        "examples = [\"I want to make a complaint\",",
        &format!("examples = [\"{phrase}\", \"I want to make a complaint\","),
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
        .arg(repository().join("voice-models"))
        .arg("hello")
        .output()
        .expect("hotline runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("main.intents.toml:8:"), "{stderr}");
    assert!(stderr.contains("defined twice"), "{stderr}");
}
