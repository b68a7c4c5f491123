//! The Mandarin voice end to end: `hotline say` speaks a Chinese prompt with
//! `zh_CN-baker-fastspeech2`, and whisper base (`hotline transcribe --language zh`) reads it
//! back within a character error bound. Synthesis is deterministic, so the bound is not flaky.

mod common;

use common::models_dir;
use hotline::asr::character_errors;
use std::path::Path;
use std::process::{Command, Output};

const VOICE: &str = "zh_CN-baker-fastspeech2";

/// The prompt, and what it says once normalized (the order number digit by digit, the brand
/// spelt out as whisper would not write it).
const PROMPT: &str = "您好，欢迎致电户外用品商店。您的订单12345将于11月27日送达，运费为¥12.50。";
const SPOKEN: &str =
    "您好欢迎致电户外用品商店您的订单一二三四五将于十一月二十七日送达运费为十二元五角";

/// Character error rate the read-back must stay under (measured in bench/RESULTS.md).
const MAXIMUM_CER: f64 = 0.25;

fn hotline(arguments: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hotline"))
        .args(arguments)
        .output()
        .expect("hotline runs")
}

fn succeeded(output: &Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn say(text: &str, out: &Path, rate: &str) -> Output {
    hotline(&[
        "say".as_ref(),
        "--models".as_ref(),
        models_dir().as_os_str(),
        "--voice".as_ref(),
        VOICE.as_ref(),
        "--rate".as_ref(),
        rate.as_ref(),
        "--text".as_ref(),
        text.as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
}

#[test]
fn whisper_reads_the_mandarin_voice_back() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let wav = directory.path().join("prompt.wav");
    succeeded(&say(PROMPT, &wav, "16000"));
    let stdout = succeeded(&hotline(&[
        "transcribe".as_ref(),
        "--models".as_ref(),
        models_dir().as_os_str(),
        "--recognition-model".as_ref(),
        "whisper-base-q8_0".as_ref(),
        "--language".as_ref(),
        "zh".as_ref(),
        wav.as_os_str(),
    ]));
    let line: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON line");
    let text = line["text"].as_str().unwrap_or_default();
    let (errors, characters) = character_errors(SPOKEN, text);
    let rate = errors as f64 / characters as f64;
    assert!(
        rate < MAXIMUM_CER,
        "CER {rate:.3} ({errors} of {characters}): {text:?}"
    );
}

#[test]
fn a_speaker_name_is_refused_by_the_single_speaker_voice() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let config = directory.path().join("hotline.toml");
    std::fs::write(
        &config,
        format!("[speech.voice]\nname = \"{VOICE}\"\nspeaker = \"someone\"\n"),
    )
    .expect("config written");
    let output = hotline(&[
        "say".as_ref(),
        "--models".as_ref(),
        models_dir().as_os_str(),
        "--config".as_ref(),
        config.as_os_str(),
        "--text".as_ref(),
        "您好。".as_ref(),
        "--out".as_ref(),
        directory.path().join("a.wav").as_os_str(),
    ]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("remove `speaker`"), "{stderr}");
}
