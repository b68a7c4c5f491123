//! Per-frame speech decisions: libfvad (WebRTC's GMM voice-activity detector), an absolute
//! energy floor and an adaptive noise gate.
//!
//! Owns [`VoiceActivity`], the frame size ([`FRAME_DURATION`]) every speech detector works in,
//! and the conversion between frame counts and durations. Time is implied by the frame count:
//! nothing here reads a clock.
//!
//! Invariants: only frames of exactly 20 ms reach libfvad (anything else is an
//! [`AudioError::FrameLength`]), so the C code never sees an empty or odd-sized buffer; a frame
//! whose RMS level is below the configured floor is never speech, so digital silence and codec
//! idle noise cannot start a turn; nor is a frame less than the configured margin above the
//! quietest frame of the last [`NOISE_WINDOW_FRAMES`] frames, so steady background noise that
//! libfvad mistakes for speech (loud pink noise on a phone line) cannot hold a turn open; nor is
//! a frame more than the configured dynamic range below the loudest frame of that window, so
//! reverberation and breath after loud speech do not prolong it.

use std::collections::VecDeque;
use std::time::Duration;

use webrtc_vad::{SampleRate, Vad, VadMode};

use super::speech_config::{Aggressiveness, VoiceActivityConfig};
use super::{AudioError, rms};

/// Length of one analysis frame; every speech detector consumes audio in frames of this size.
pub const FRAME_DURATION: Duration = Duration::from_millis(20);
/// [`FRAME_DURATION`] in milliseconds, for frame arithmetic.
const FRAME_MILLISECONDS: u128 = 20;
/// Full-scale magnitude of a 16-bit sample.
const FULL_SCALE: f64 = 32768.0;
/// Frames (1.5 s) over which the background level is the quietest frame: longer than the
/// stretches of continuous voicing in speech, short enough to follow a change of line noise.
const NOISE_WINDOW_FRAMES: usize = 75;

/// Number of whole frames needed to cover `duration` (rounded up).
pub fn frames_covering(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis().div_ceil(FRAME_MILLISECONDS)).unwrap_or(u64::MAX)
}

/// The duration of `frames` consecutive frames.
pub fn frames_duration(frames: u64) -> Duration {
    Duration::from_millis(frames.saturating_mul(20))
}

/// A libfvad instance that may move between threads.
struct FvadInstance(Vad);

// SAFETY: `Vad` is `!Send` only because it holds the raw pointer returned by `fvad_new`. The
// instance it points to is plain heap memory owned exclusively by this wrapper (no thread-local
// or global state, no thread affinity), it is freed once in `Vad`'s `Drop`, and every call into
// it goes through `&mut self`, so moving it to another thread (e.g. a tokio task migrating
// between workers) cannot introduce concurrent access.
unsafe impl Send for FvadInstance {}

/// Decides, frame by frame, whether a caller is speaking.
pub struct VoiceActivity {
    fvad: FvadInstance,
    frame_samples: usize,
    energy_floor_rms: f64,
    noise_margin_db: f64,
    dynamic_range_db: f64,
    /// Levels (dBFS) of the most recent frames, newest last.
    recent_levels: VecDeque<f64>,
}

impl std::fmt::Debug for VoiceActivity {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("VoiceActivity")
            .field("frame_samples", &self.frame_samples)
            .field("energy_floor_rms", &self.energy_floor_rms)
            .field("noise_margin_db", &self.noise_margin_db)
            .field("dynamic_range_db", &self.dynamic_range_db)
            .finish_non_exhaustive()
    }
}

impl VoiceActivity {
    /// Builds a detector for `sample_rate` (8000, 16000, 32000 or 48000 Hz).
    pub fn new(sample_rate: u32, config: &VoiceActivityConfig) -> Result<Self, AudioError> {
        config.validate()?;
        let rate = match sample_rate {
            8000 => SampleRate::Rate8kHz,
            16000 => SampleRate::Rate16kHz,
            32000 => SampleRate::Rate32kHz,
            48000 => SampleRate::Rate48kHz,
            _ => return Err(AudioError::UnsupportedVoiceActivityRate { sample_rate }),
        };
        let mode = match config.aggressiveness {
            Aggressiveness::Quality => VadMode::Quality,
            Aggressiveness::LowBitrate => VadMode::LowBitrate,
            Aggressiveness::Aggressive => VadMode::Aggressive,
            Aggressiveness::VeryAggressive => VadMode::VeryAggressive,
        };
        let frame_samples = usize::try_from(sample_rate / 50).unwrap_or(usize::MAX);
        Ok(Self {
            fvad: FvadInstance(Vad::new_with_rate_and_mode(rate, mode)),
            frame_samples,
            energy_floor_rms: FULL_SCALE * 10f64.powf(config.energy_floor_dbfs / 20.0),
            noise_margin_db: config.noise_margin_db,
            dynamic_range_db: config.dynamic_range_db,
            recent_levels: VecDeque::with_capacity(NOISE_WINDOW_FRAMES),
        })
    }

    /// Samples in one 20 ms frame at this detector's sample rate.
    pub fn frame_samples(&self) -> usize {
        self.frame_samples
    }

    /// Whether `frame` (exactly one 20 ms frame) holds speech.
    pub fn is_speech(&mut self, frame: &[i16]) -> Result<bool, AudioError> {
        if frame.len() != self.frame_samples {
            return Err(AudioError::FrameLength {
                expected: self.frame_samples,
                actual: frame.len(),
            });
        }
        // libfvad is still fed quiet frames so its noise estimate keeps adapting.
        let voiced = self
            .fvad
            .0
            .is_voice_segment(frame)
            .map_err(|()| AudioError::FrameLength {
                expected: self.frame_samples,
                actual: frame.len(),
            })?;
        let level = rms(frame);
        let level_dbfs = 20.0 * (level / FULL_SCALE).log10();
        if self.recent_levels.len() == NOISE_WINDOW_FRAMES {
            self.recent_levels.pop_front();
        }
        self.recent_levels.push_back(level_dbfs);
        let (background_dbfs, loudest_dbfs) = self.recent_levels.iter().fold(
            (f64::INFINITY, f64::NEG_INFINITY),
            |(quietest, loudest), &recent| (quietest.min(recent), loudest.max(recent)),
        );
        Ok(voiced
            && level >= self.energy_floor_rms
            && level_dbfs >= background_dbfs + self.noise_margin_db
            && level_dbfs >= loudest_dbfs - self.dynamic_range_db)
    }
}
