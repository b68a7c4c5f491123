//! The Mandarin voice end to end: `hotline say` speaks Chinese prompts with
//! `zh_CN-baker-fastspeech2`, and whisper base (`hotline transcribe --language zh`) reads them
//! back within a character error bound, at 16 kHz and through the telephone path (8 kHz µ-law).
//! Synthesis is deterministic, so the bound is not flaky.

mod common;

use common::audio::{say, succeeded, through_mu_law, transcribe};
use hotline::asr::character_errors;
use hotline::audio::{read_wav_i16, write_wav_mono};
use hotline::tts::normalize_chinese;
use std::ffi::OsStr;
use std::path::Path;

/// Contact-center prompts with numbers, a date, a time and an amount.
const PROMPT: &str = "您好，欢迎致电户外用品商店。您的订单12345将于11月27日送达，运费为¥12.50。\
    如需查询订单请按一，办理退货请按二。我们的营业时间是每天上午9:30到晚上8:00。\
    请不要挂机，客服人员马上为您服务。";

/// Character error rate the read-back must stay under (measured 16.1% at 16 kHz and 17.2%
/// through 8 kHz µ-law, see bench/RESULTS.md).
const MAXIMUM_CER: f64 = 0.25;

/// The character error rate of whisper base's reading of `wav` against `PROMPT`.
fn character_error_rate(wav: &Path) -> f64 {
    let stdout = succeeded(&transcribe([
        OsStr::new("--recognition-model"),
        OsStr::new("whisper-base-q8_0"),
        OsStr::new("--language"),
        OsStr::new("zh"),
        wav.as_os_str(),
    ]));
    let line: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON line");
    let text = line["text"].as_str().unwrap_or_default();
    // Whisper writes numbers in Arabic digits: both sides are compared as spoken.
    let (errors, characters) =
        character_errors(&normalize_chinese(PROMPT), &normalize_chinese(text));
    let rate = errors as f64 / characters as f64;
    eprintln!(
        "{}: CER {rate:.3} ({errors} of {characters}): {text}",
        wav.display()
    );
    rate
}

#[test]
fn whisper_reads_the_mandarin_voice_back_at_16_khz_and_through_mu_law() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let wide = directory.path().join("prompt-16k.wav");
    say(common::MANDARIN_VOICE, PROMPT, &wide, 16_000);
    let rate = character_error_rate(&wide);
    assert!(rate < MAXIMUM_CER, "16 kHz: CER {rate:.3}");

    let narrow = directory.path().join("prompt-8k.wav");
    say(common::MANDARIN_VOICE, PROMPT, &narrow, 8000);
    let (samples, _, sample_rate) = read_wav_i16(&narrow).expect("the 8 kHz prompt");
    let telephone = directory.path().join("prompt-mu-law.wav");
    write_wav_mono(&telephone, sample_rate, &through_mu_law(&samples)).expect("the µ-law prompt");
    let rate = character_error_rate(&telephone);
    assert!(rate < MAXIMUM_CER, "8 kHz µ-law: CER {rate:.3}");
}
