//! `hotline understand` in Mandarin: the demo's Chinese intents (prompts/demo-zh/main-zh) with
//! multilingual-e5-small (provisioned by `hotline models`) reach at least 90% on the held-out
//! Chinese set, and the intents file's calibration fits e5 (its similarities run higher than
//! all-MiniLM-L6-v2's, so MiniLM's calibration would match everything).

mod common;

use common::{models_dir, output_text, repo_dir};
use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `hotline understand --flow main-zh` with e5 and `arguments`, `stdin` on its input.
fn understand_zh(arguments: &[&str], stdin: &str) -> Output {
    // The shipped config with e5 as the embedding model (the flows and models are given
    // on the command line).
    let shipped = std::fs::read_to_string(repo_dir().join("sip-config/hotline.toml"))
        .expect("the shipped config");
    let text: String = shipped
        .lines()
        .map(|line| match line.starts_with("embedding_model =") {
            true => "embedding_model = \"multilingual-e5-small\"\n".to_string(),
            false => format!("{line}\n"),
        })
        .collect();
    assert!(
        text.contains("multilingual-e5-small"),
        "no embedding_model in the config"
    );
    let config = tempfile::tempdir().expect("temporary directory");
    let config_path = config.path().join("hotline.toml");
    std::fs::write(&config_path, text).expect("config written");
    let mut child = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .args(["understand", "--flow", "main-zh", "--flows"])
        .arg(repo_dir().join("prompts"))
        .arg("--config")
        .arg(&config_path)
        .arg("--models")
        .arg(models_dir())
        .args(arguments)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hotline runs");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin.as_bytes()).expect("texts written");
    drop(input);
    let output = child.wait_with_output().expect("hotline finishes");
    assert!(output.status.success(), "{}", output_text(&output));
    output
}

/// The (text, expected intent) lines of tests/data/intents-held-out-zh.tsv.
fn held_out() -> Vec<(String, String)> {
    let path = repo_dir().join("tests/data/intents-held-out-zh.tsv");
    let text = std::fs::read_to_string(path).expect("set");
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let (text, intent) = line.split_once('\t').expect("text<TAB>intent");
            (text.to_string(), intent.to_string())
        })
        .collect()
}

#[test]
fn chinese_held_out_accuracy_is_at_least_90_percent() {
    let set = held_out();
    let texts: Vec<&str> = set.iter().map(|(text, _)| text.as_str()).collect();
    let output = understand_zh(&[], &format!("{}\n", texts.join("\n")));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), set.len());
    let wrong: Vec<String> = set
        .iter()
        .zip(&lines)
        .filter(|((_, expected), line)| line["intent"].as_str().unwrap_or("none") != expected)
        .map(|((text, expected), line)| {
            format!(
                "{text}: expected {expected}, got {} ({} {})",
                line["intent"], line["closest"], line["confidence"]
            )
        })
        .collect();
    let accuracy = 1.0 - wrong.len() as f64 / set.len() as f64;
    println!(
        "Chinese held-out accuracy {:.1}% of {}",
        accuracy * 100.0,
        set.len()
    );
    assert!(
        accuracy >= 0.9,
        "Chinese held-out accuracy {:.1}% of {}; misclassified:\n{}",
        accuracy * 100.0,
        set.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_chinese_calibration_fits_e5_on_the_held_out_set() {
    let set = repo_dir().join("tests/data/intents-held-out-zh.tsv");
    let output = understand_zh(&["--calibrate", set.to_str().expect("UTF-8 path")], "");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let error: f32 = stderr
        .lines()
        .find_map(|line| line.strip_prefix("current calibration: "))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|number| number.parse().ok())
        .unwrap_or_else(|| panic!("no current calibration in:\n{stderr}"));
    assert!(
        error < 0.1,
        "expected calibration error {error} on the held-out set:\n{stderr}"
    );
}
