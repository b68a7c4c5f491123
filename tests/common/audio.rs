//! Audio checks: G.711 decoding (self-contained), WAV loading (hound), 20 ms RMS energy
//! envelopes, normalized cross-correlation over lags, and locating prompt WAVs in prompts/.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Output;

/// ITU-T G.711 µ-law byte to linear 16-bit.
pub fn ulaw_to_linear(b: u8) -> i16 {
    let u = !b;
    let sign = u & 0x80;
    let exponent = (u >> 4) & 0x07;
    let mantissa = (u & 0x0f) as i32;
    let magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
    if sign != 0 {
        -magnitude as i16
    } else {
        magnitude as i16
    }
}

/// ITU-T G.711 A-law byte to linear 16-bit.
pub fn alaw_to_linear(b: u8) -> i16 {
    let a = b ^ 0x55;
    let exponent = ((a >> 4) & 0x07) as i32;
    let mantissa = (a & 0x0f) as i32;
    let magnitude = if exponent == 0 {
        (mantissa << 4) + 8
    } else {
        ((mantissa << 4) + 0x108) << (exponent - 1)
    };
    if a & 0x80 != 0 {
        magnitude as i16
    } else {
        -magnitude as i16
    }
}

pub fn decode_g711(payload_type: u8, payload: &[u8]) -> Vec<f32> {
    payload
        .iter()
        .map(|&b| match payload_type {
            8 => alaw_to_linear(b) as f32 / 32768.0,
            _ => ulaw_to_linear(b) as f32 / 32768.0,
        })
        .collect()
}

/// All channels of a WAV as f32 in [-1, 1], plus its sample rate.
pub fn load_wav(path: &Path) -> (Vec<Vec<f32>>, u32) {
    let mut reader =
        hound::WavReader::open(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    let spec = reader.spec();
    let channels = spec.channels as usize;
    let interleaved: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader.samples::<f32>().map(|s| s.unwrap()).collect(),
        hound::SampleFormat::Int => {
            let scale = (1i64 << (spec.bits_per_sample - 1)) as f32;
            reader
                .samples::<i32>()
                .map(|s| s.unwrap() as f32 / scale)
                .collect()
        }
    };
    let mut out = vec![Vec::with_capacity(interleaved.len() / channels); channels];
    for frame in interleaved.chunks(channels) {
        for (c, s) in frame.iter().enumerate() {
            out[c].push(*s);
        }
    }
    (out, spec.sample_rate)
}

/// A WAV mixed down to mono.
pub fn load_wav_mono(path: &Path) -> (Vec<f32>, u32) {
    let (channels, rate) = load_wav(path);
    let n = channels[0].len();
    let mono = (0..n)
        .map(|i| channels.iter().map(|c| c[i]).sum::<f32>() / channels.len() as f32)
        .collect();
    (mono, rate)
}

/// Root-mean-square level of `samples` (0 for none).
pub fn rms(samples: &[f32]) -> f32 {
    (samples.iter().map(|sample| sample * sample).sum::<f32>() / samples.len().max(1) as f32).sqrt()
}

/// RMS energy per 20 ms window (rate-independent resolution).
pub fn envelope(samples: &[f32], rate: u32) -> Vec<f32> {
    let win = (rate / 50).max(1) as usize;
    samples.chunks(win).map(rms).collect()
}

/// The level above which a 20 ms window counts as voiced (what a prompt's end waits out).
pub const VOICED_RMS: f32 = 0.01;

/// The level above which a 20 ms window counts as speech in [`speech_profile`]: about -50 dBFS,
/// well below quiet syllables as a browser hears them, and far above the digital silence between
/// words.
pub const SPEECH_RMS: f32 = 0.003;

/// How much of some audio is voiced, and in how many separate stretches.
#[derive(Debug)]
pub struct SpeechProfile {
    pub seconds: f32,
    /// Total length of the voiced 20 ms windows.
    pub voiced_seconds: f32,
    /// Runs of voiced windows parted by at least 60 ms below [`SPEECH_RMS`]: words and
    /// sentences come in bursts, a tone or noise in one.
    pub bursts: usize,
}

pub fn speech_profile(samples: &[f32], rate: u32) -> SpeechProfile {
    let voiced: Vec<bool> = envelope(samples, rate)
        .iter()
        .map(|level| *level > SPEECH_RMS)
        .collect();
    let mut bursts = 0;
    let mut quiet = usize::MAX;
    for &window in &voiced {
        if window {
            if quiet >= 3 {
                bursts += 1;
            }
            quiet = 0;
        } else {
            quiet = quiet.saturating_add(1);
        }
    }
    SpeechProfile {
        seconds: samples.len() as f32 / rate as f32,
        voiced_seconds: voiced.iter().filter(|window| **window).count() as f32 * 0.02,
        bursts,
    }
}

/// Asserts that `samples` carry speech that really arrived: at least `voiced_seconds` of voiced
/// audio, in at least three bursts (not silence, not one steady tone). Used where what was said
/// is checked on the text Hotline spoke, not by recognising captured audio.
pub fn assert_speech(samples: &[f32], rate: u32, voiced_seconds: f32, what: &str) {
    let profile = speech_profile(samples, rate);
    assert!(
        profile.voiced_seconds >= voiced_seconds && profile.bursts >= 3,
        "{what}: not {voiced_seconds} s of speech: {profile:?}"
    );
}

/// Pearson correlation of two equal-length slices.
pub fn correlation(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    if n < 2 {
        return 0.0;
    }
    let (a, b) = (&a[..n], &b[..n]);
    let ma = a.iter().sum::<f32>() / n as f32;
    let mb = b.iter().sum::<f32>() / n as f32;
    let (mut num, mut da, mut db) = (0.0f64, 0.0f64, 0.0f64);
    for i in 0..n {
        let (x, y) = ((a[i] - ma) as f64, (b[i] - mb) as f64);
        num += x * y;
        da += x * x;
        db += y * y;
    }
    if da == 0.0 || db == 0.0 {
        0.0
    } else {
        (num / (da * db).sqrt()) as f32
    }
}

/// Slides `reference` along `signal` (lags where at least 90% of the reference overlaps) and
/// returns (best lag in windows, best normalized cross-correlation).
pub fn best_alignment(reference: &[f32], signal: &[f32]) -> (usize, f32) {
    let min_overlap = (reference.len() * 9 / 10).max(1);
    let mut best = (0, f32::MIN);
    let mut lag = 0;
    while lag + min_overlap <= signal.len() {
        let end = (lag + reference.len()).min(signal.len());
        let c = correlation(&reference[..end - lag], &signal[lag..end]);
        if c > best.1 {
            best = (lag, c);
        }
        lag += 1;
    }
    best
}

/// First and last window whose energy exceeds `fraction` of the envelope's maximum.
pub fn active_span(env: &[f32], fraction: f32) -> Option<(usize, usize)> {
    let max = env.iter().cloned().fold(0.0, f32::max);
    if max < 1e-4 {
        return None;
    }
    let t = max * fraction;
    let first = env.iter().position(|&e| e > t)?;
    let last = env.iter().rposition(|&e| e > t)?;
    Some((first, last))
}

/// Amplitude (0..1 of full scale) of the `frequency` Hz tone in `samples` (Goertzel), so a
/// test can tell which leg's tone reached whom.
pub fn tone_level(samples: &[f32], rate: u32, frequency: f32) -> f32 {
    if samples.is_empty() {
        return 0.0;
    }
    let omega = 2.0 * std::f32::consts::PI * frequency / rate as f32;
    let coefficient = 2.0 * omega.cos();
    let (mut previous, mut before) = (0.0f32, 0.0f32);
    for sample in samples {
        let current = sample + coefficient * previous - before;
        before = previous;
        previous = current;
    }
    let power = previous * previous + before * before - coefficient * previous * before;
    2.0 * power.max(0.0).sqrt() / samples.len() as f32
}

/// The share of the power of `samples` (8 kHz) that the `frequency` Hz tone carries: near 1.0
/// when that tone is all there is, whatever its level.
pub fn tone_share(samples: &[f32], frequency: f32) -> f32 {
    let level = tone_level(samples, 8000, frequency);
    let mean_square =
        samples.iter().map(|sample| sample * sample).sum::<f32>() / samples.len().max(1) as f32;
    level * level / (2.0 * mean_square).max(f32::EPSILON)
}

/// `seconds` of a `frequency` Hz tone at `amplitude` (0..1), 8 kHz, as 16-bit samples.
pub fn tone(frequency: f32, seconds: f32, amplitude: f32) -> Vec<i16> {
    let count = (seconds * 8000.0) as usize;
    (0..count)
        .map(|index| {
            let phase = 2.0 * std::f32::consts::PI * frequency * index as f32 / 8000.0;
            (phase.sin() * amplitude * 32767.0) as i16
        })
        .collect()
}

/// Writes 8 kHz mono samples as a WAV.
pub fn write_wav(path: &Path, samples: &[i16]) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 8000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(path, spec).unwrap();
    for sample in samples {
        writer.write_sample(*sample).unwrap();
    }
    writer.finalize().unwrap();
}

/// Result of matching received audio against a prompt.
#[derive(Debug)]
pub struct PromptMatch {
    pub correlation: f32,
    pub lag_windows: usize,
    /// Active (voiced) duration of the prompt and of the received audio in the aligned region, s.
    pub prompt_seconds: f32,
    pub heard_seconds: f32,
}

/// Aligns the prompt's envelope with the heard audio and measures the voiced durations.
pub fn match_prompt(
    prompt: &[f32],
    prompt_rate: u32,
    heard: &[f32],
    heard_rate: u32,
) -> PromptMatch {
    let p_env = envelope(prompt, prompt_rate);
    let h_env = envelope(heard, heard_rate);
    let (ps, pe) = active_span(&p_env, 0.05).expect("prompt is silent");
    let p_env = &p_env[ps..=pe];
    let (lag, correlation) = best_alignment(p_env, &h_env);
    // Voiced span of what was heard in the aligned region (+/- 1 s slack).
    let from = lag.saturating_sub(50);
    let to = (lag + p_env.len() + 50).min(h_env.len());
    let heard_seconds = active_span(&h_env[from..to], 0.05)
        .map(|(a, b)| (b - a + 1) as f32 * 0.02)
        .unwrap_or(0.0);
    PromptMatch {
        correlation,
        lag_windows: lag,
        prompt_seconds: p_env.len() as f32 * 0.02,
        heard_seconds,
    }
}

/// A prompt WAV under the repo's prompts/: prompts/demo/audio/NAME.wav if present, else the first
/// `*.wav` whose file name contains NAME.
pub fn prompt_wav(name: &str) -> PathBuf {
    let root = super::repo_dir().join("prompts");
    let direct = root.join("demo/audio").join(format!("{name}.wav"));
    if direct.is_file() {
        return direct;
    }
    let mut found: Vec<PathBuf> = super::find_files(&root, ".wav")
        .into_iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains(name))
        .collect();
    found.sort();
    found
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no prompt WAV named like {name:?} under {}", root.display()))
}

/// Duration of a prompt WAV in seconds.
pub fn wav_seconds(path: &Path) -> f32 {
    let r = hound::WavReader::open(path).unwrap();
    r.duration() as f32 / r.spec().sample_rate as f32
}

/// Duration of the recording notice the demo flow plays, uninterruptible, before its greeting.
pub fn notice_seconds() -> f32 {
    wav_seconds(&prompt_wav("recording-notice"))
}

/// The speech fixtures' directory, `audio-fixtures/speech/`.
pub fn speech_fixtures_dir() -> PathBuf {
    super::repo_dir().join("audio-fixtures/speech")
}

/// A fixture of `audio-fixtures/speech/`.
pub fn speech_fixture(name: &str) -> PathBuf {
    speech_fixtures_dir().join(name)
}

/// The samples of a speech fixture, which is 8 kHz mono.
pub fn speech_samples(name: &str) -> Vec<i16> {
    let path = speech_fixture(name);
    let (samples, channels, rate) = hotline::audio::read_wav_i16(&path).expect("fixture reads");
    assert_eq!((channels, rate), (1, 8000), "{}", path.display());
    samples
}

/// 16-bit samples as f32 in [-1, 1].
pub fn to_f32(samples: &[i16]) -> Vec<f32> {
    samples
        .iter()
        .map(|sample| f32::from(*sample) / 32768.0)
        .collect()
}

/// `text` spoken by the registered voice `voice` (`hotline say`), written to `out` at `rate` Hz.
pub fn say(voice: &str, text: &str, out: &Path, rate: u32) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_hotline"))
        .arg("say")
        .arg("--models")
        .arg(super::models_dir())
        .args([
            "--voice",
            voice,
            "--rate",
            &rate.to_string(),
            "--text",
            text,
            "--out",
        ])
        .arg(out)
        .output()
        .expect("hotline say runs");
    assert!(output.status.success(), "{}", super::output_text(&output));
}

/// `hotline transcribe --models <the repository's models> ARGUMENTS...`, run to its end.
pub fn transcribe<Argument: AsRef<OsStr>>(arguments: impl IntoIterator<Item = Argument>) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_hotline"))
        .arg("transcribe")
        .arg("--models")
        .arg(super::models_dir())
        .args(arguments)
        .output()
        .expect("hotline runs")
}

/// The standard output of a run that must have succeeded.
pub fn succeeded(output: &Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{}", super::output_text(output));
    stdout
}

/// `text` spoken by `voice` as 8 kHz samples, what a caller's phone sends.
pub fn spoken_by(voice: &str, text: &str) -> Vec<i16> {
    let directory = tempfile::tempdir().expect("temporary directory");
    let wav = directory.path().join("spoken.wav");
    say(voice, text, &wav, 8000);
    let (samples, rate) = load_wav_mono(&wav);
    assert_eq!(rate, 8000);
    hotline::audio::f32_to_i16(&samples)
}

/// 8 kHz `samples` as they come out of a µ-law telephone line: encoded and decoded again.
pub fn through_mu_law(samples: &[i16]) -> Vec<i16> {
    let (mut encoded, mut decoded) = (Vec::new(), Vec::new());
    hotline::media::codec::Codec::Pcmu.encode(samples, &mut encoded);
    hotline::media::codec::Codec::Pcmu.decode(&encoded, &mut decoded);
    decoded
}

#[cfg(test)]
mod tests {
    #[test]
    fn tones_are_told_apart() {
        let samples: Vec<f32> = super::tone(1000.0, 1.0, 0.5)
            .iter()
            .map(|sample| *sample as f32 / 32768.0)
            .collect();
        assert!((super::tone_level(&samples, 8000, 1000.0) - 0.5).abs() < 0.02);
        assert!(super::tone_level(&samples, 8000, 700.0) < 0.02);
    }

    #[test]
    fn g711_tables() {
        use super::{alaw_to_linear, ulaw_to_linear};
        assert_eq!(ulaw_to_linear(0xff), 0);
        assert_eq!(ulaw_to_linear(0x00), -32124);
        assert_eq!(ulaw_to_linear(0x80), 32124);
        assert_eq!(alaw_to_linear(0xd5), 8);
        assert_eq!(alaw_to_linear(0x55), -8);
        assert_eq!(alaw_to_linear(0xaa), 32256);
    }
}
