//! Typed settings for voice-activity detection, end-of-turn detection and barge-in.
//!
//! Owns [`VoiceActivityConfig`], [`TurnConfig`] and [`BargeInConfig`]: serde sections with a
//! default for every key, durations written as humantime strings (`"700ms"`, `"15s"`), and the
//! range checks the detectors run when they are built.
//!
//! Invariants: a config that passed `validate` gives every duration at least one 20 ms frame,
//! keeps the pause signal shorter than the trailing silence that ends a turn, and bounds every
//! buffer the detectors allocate.

use std::time::Duration;

use serde::Deserialize;

use super::AudioError;

/// Longest pre-roll kept before an onset; bounds the buffer held while nobody speaks.
const MAXIMUM_PRE_ROLL: Duration = Duration::from_secs(2);
/// Longest utterance a turn may collect; bounds the utterance buffer.
const MAXIMUM_UTTERANCE_LIMIT: Duration = Duration::from_secs(300);
/// Shortest setting that still spans one analysis frame.
const ONE_FRAME: Duration = Duration::from_millis(20);

/// How readily libfvad calls a frame speech; higher settings reject more noise and miss more
/// quiet speech.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aggressiveness {
    /// libfvad mode 0: reports speech most readily.
    Quality,
    /// libfvad mode 1.
    LowBitrate,
    /// libfvad mode 2: a good balance for telephone audio.
    #[default]
    Aggressive,
    /// libfvad mode 3: rejects the most noise.
    VeryAggressive,
}

/// Settings of the per-frame speech decision (`[..voice_activity]`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VoiceActivityConfig {
    /// libfvad mode. Default `"aggressive"`.
    pub aggressiveness: Aggressiveness,
    /// Frames whose RMS level is below this many dB relative to full scale are never speech,
    /// whatever libfvad says. Default `-55.0`.
    pub energy_floor_dbfs: f64,
    /// Frames must be at least this many dB above the quietest frame of the last 1.5 s (the
    /// background) to be speech. Default `9.0`.
    pub noise_margin_db: f64,
    /// Frames more than this many dB below the loudest frame of the last 1.5 s are not speech.
    /// Default `35.0`.
    pub dynamic_range_db: f64,
}

impl Default for VoiceActivityConfig {
    fn default() -> Self {
        Self {
            aggressiveness: Aggressiveness::default(),
            energy_floor_dbfs: -55.0,
            noise_margin_db: 6.0,
            dynamic_range_db: 35.0,
        }
    }
}

impl VoiceActivityConfig {
    /// Checks that the energy floor is a finite level between -120 and 0 dBFS, the noise margin
    /// between 0 and 40 dB and the dynamic range between 10 and 120 dB.
    pub fn validate(&self) -> Result<(), AudioError> {
        if !self.dynamic_range_db.is_finite() || !(10.0..=120.0).contains(&self.dynamic_range_db) {
            return Err(AudioError::SpeechSetting {
                setting: "dynamic_range_db",
                problem: format!("{} is not between 10 and 120", self.dynamic_range_db),
            });
        }
        if !self.noise_margin_db.is_finite() || !(0.0..=40.0).contains(&self.noise_margin_db) {
            return Err(AudioError::SpeechSetting {
                setting: "noise_margin_db",
                problem: format!("{} is not between 0 and 40", self.noise_margin_db),
            });
        }
        if !self.energy_floor_dbfs.is_finite() || !(-120.0..=0.0).contains(&self.energy_floor_dbfs)
        {
            return Err(AudioError::SpeechSetting {
                setting: "energy_floor_dbfs",
                problem: format!("{} is not between -120 and 0", self.energy_floor_dbfs),
            });
        }
        Ok(())
    }
}

/// Settings of end-of-turn detection.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TurnConfig {
    /// Speech shorter than this (in voiced frames) is a blip and starts no turn. Default `200ms`.
    #[serde(deserialize_with = "crate::duration_text::deserialize")]
    pub minimum_speech: Duration,
    /// Silence after speech that ends the turn. Default `700ms`.
    #[serde(deserialize_with = "crate::duration_text::deserialize")]
    pub trailing_silence: Duration,
    /// Silence after speech that raises the early `SpeechPaused` signal. Default `200ms`.
    #[serde(deserialize_with = "crate::duration_text::deserialize")]
    pub pause_after: Duration,
    /// An utterance is cut at this length even if the caller keeps talking. Default `15s`.
    #[serde(deserialize_with = "crate::duration_text::deserialize")]
    pub maximum_utterance: Duration,
    /// Audio kept from before the detected onset. Default `300ms`.
    #[serde(deserialize_with = "crate::duration_text::deserialize")]
    pub pre_roll: Duration,
    /// The per-frame speech decision.
    pub voice_activity: VoiceActivityConfig,
}

impl Default for TurnConfig {
    fn default() -> Self {
        Self {
            minimum_speech: Duration::from_millis(200),
            trailing_silence: Duration::from_millis(700),
            pause_after: Duration::from_millis(200),
            maximum_utterance: Duration::from_secs(15),
            pre_roll: Duration::from_millis(300),
            voice_activity: VoiceActivityConfig::default(),
        }
    }
}

impl TurnConfig {
    /// Checks every setting; the error names the first offending key.
    pub fn validate(&self) -> Result<(), AudioError> {
        at_least_one_frame("minimum_speech", self.minimum_speech)?;
        at_least_one_frame("trailing_silence", self.trailing_silence)?;
        at_least_one_frame("pause_after", self.pause_after)?;
        if self.pause_after >= self.trailing_silence {
            return Err(AudioError::SpeechSetting {
                setting: "pause_after",
                problem: format!(
                    "{:?} must be shorter than trailing_silence ({:?})",
                    self.pause_after, self.trailing_silence
                ),
            });
        }
        if self.maximum_utterance <= self.minimum_speech
            || self.maximum_utterance > MAXIMUM_UTTERANCE_LIMIT
        {
            return Err(AudioError::SpeechSetting {
                setting: "maximum_utterance",
                problem: format!(
                    "{:?} must be longer than minimum_speech ({:?}) and at most {:?}",
                    self.maximum_utterance, self.minimum_speech, MAXIMUM_UTTERANCE_LIMIT
                ),
            });
        }
        if self.pre_roll > MAXIMUM_PRE_ROLL {
            return Err(AudioError::SpeechSetting {
                setting: "pre_roll",
                problem: format!("{:?} is longer than {MAXIMUM_PRE_ROLL:?}", self.pre_roll),
            });
        }
        self.voice_activity.validate()
    }
}

/// Settings of barge-in detection while a prompt plays.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BargeInConfig {
    /// Voiced audio needed before playback stops; shorter noises such as a cough never stop a
    /// prompt. Default `250ms`.
    #[serde(deserialize_with = "crate::duration_text::deserialize")]
    pub minimum_speech: Duration,
    /// The per-frame speech decision.
    pub voice_activity: VoiceActivityConfig,
}

impl Default for BargeInConfig {
    fn default() -> Self {
        Self {
            minimum_speech: Duration::from_millis(250),
            voice_activity: VoiceActivityConfig::default(),
        }
    }
}

impl BargeInConfig {
    /// Checks every setting; the error names the first offending key.
    pub fn validate(&self) -> Result<(), AudioError> {
        at_least_one_frame("minimum_speech", self.minimum_speech)?;
        if self.minimum_speech > MAXIMUM_UTTERANCE_LIMIT {
            return Err(AudioError::SpeechSetting {
                setting: "minimum_speech",
                problem: format!(
                    "{:?} is longer than {MAXIMUM_UTTERANCE_LIMIT:?}",
                    self.minimum_speech
                ),
            });
        }
        self.voice_activity.validate()
    }
}

fn at_least_one_frame(setting: &'static str, value: Duration) -> Result<(), AudioError> {
    if value < ONE_FRAME {
        return Err(AudioError::SpeechSetting {
            setting,
            problem: format!("{value:?} is shorter than one 20 ms frame"),
        });
    }
    Ok(())
}
