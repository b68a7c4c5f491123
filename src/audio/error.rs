//! The single error type of the `audio` module.
//!
//! Every failure that can come from outside input (a file that is missing, empty, truncated,
//! malformed, unsupported or too long) maps to a structured variant; file errors always carry
//! the offending path so that an operator can find the file.

use std::path::PathBuf;
use std::time::Duration;

/// Everything that can go wrong while decoding, resampling or loading audio.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    /// The file could not be opened or its size could not be read.
    #[error("cannot open audio file {path}: {source}")]
    Open {
        /// The file that was asked for.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },

    /// The file exists but holds zero bytes.
    #[error("audio file {path} is empty")]
    EmptyFile {
        /// The empty file.
        path: PathBuf,
    },

    /// No container reader recognised the file, or its codec has no decoder.
    #[error("audio file {path} has an unsupported format: {source}")]
    UnsupportedFormat {
        /// The unrecognised file.
        path: PathBuf,
        /// The reason reported by the demuxer or codec registry.
        #[source]
        source: symphonia::core::errors::Error,
    },

    /// The container was recognised but holds no audio track with usable codec parameters.
    #[error("audio file {path} has no decodable audio track")]
    NoAudioTrack {
        /// The file without an audio track.
        path: PathBuf,
    },

    /// The stream ended in the middle of a packet: the file was cut short.
    #[error("audio file {path} is truncated after {decoded_frames} decoded frames")]
    Truncated {
        /// The truncated file.
        path: PathBuf,
        /// How many frames were decoded before the data ran out.
        decoded_frames: u64,
    },

    /// The stream is corrupt in a way that stops decoding.
    #[error("audio file {path} is malformed: {source}")]
    Malformed {
        /// The corrupt file.
        path: PathBuf,
        /// The error reported by the demuxer or decoder.
        #[source]
        source: symphonia::core::errors::Error,
    },

    /// The stream changes its sample rate or channel layout part-way through.
    #[error("audio file {path} changes its audio parameters mid-stream")]
    ParametersChanged {
        /// The file whose stream parameters change.
        path: PathBuf,
    },

    /// The file decoded cleanly but contained no audio frames.
    #[error("audio file {path} contains no audio")]
    NoAudio {
        /// The silent-by-absence file.
        path: PathBuf,
    },

    /// The audio is longer than the caller allows.
    #[error("audio file {path} is longer than the allowed {max:?}")]
    TooLong {
        /// The over-long file.
        path: PathBuf,
        /// The limit that was exceeded.
        max: Duration,
    },

    /// A resampler could not be built for the requested rates or chunk size.
    #[error("cannot resample from {from_rate} Hz to {to_rate} Hz: {source}")]
    ResamplerSetup {
        /// The input sample rate.
        from_rate: u32,
        /// The output sample rate.
        to_rate: u32,
        /// The construction error reported by rubato.
        #[source]
        source: rubato::ResamplerConstructionError,
    },

    /// The resampler rejected a processing call.
    #[error("resampling failed: {source}")]
    Resample {
        /// The processing error reported by rubato.
        #[source]
        source: rubato::ResampleError,
    },

    /// A sample buffer handed to the resampler had an unexpected size.
    #[error("resampler buffer has the wrong size: {source}")]
    ResampleBuffer {
        /// The size mismatch reported by the buffer adapter.
        #[source]
        source: rubato::audioadapter_buffers::SizeError,
    },

    /// Reading or writing a WAV file through hound failed.
    #[error("WAV file {path}: {source}")]
    Wav {
        /// The WAV file being read or written.
        path: PathBuf,
        /// The error reported by hound.
        #[source]
        source: hound::Error,
    },

    /// The voice-activity detector was asked for a sample rate libfvad does not support.
    #[error(
        "voice activity detection does not support {sample_rate} Hz (use 8000, 16000, 32000 or 48000)"
    )]
    UnsupportedVoiceActivityRate {
        /// The rejected sample rate.
        sample_rate: u32,
    },

    /// A frame handed to a speech detector does not hold exactly one 20 ms frame of audio.
    #[error("speech detector frame has {actual} samples, expected {expected} (20 ms)")]
    FrameLength {
        /// Samples in one 20 ms frame at the detector's sample rate.
        expected: usize,
        /// Samples in the frame that was handed in.
        actual: usize,
    },

    /// A voice-activity, end-of-turn or barge-in setting is out of range.
    #[error("invalid speech setting `{setting}`: {problem}")]
    SpeechSetting {
        /// The configuration key, as spelled in the config file.
        setting: &'static str,
        /// What is wrong with its value.
        problem: String,
    },
}
