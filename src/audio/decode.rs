//! Decoding of audio files into mono `f32` samples.
//!
//! Owns the symphonia plumbing: probing the container, picking the default audio track,
//! decoding every packet and downmixing all channels to mono by averaging. Anything symphonia
//! reads with the enabled features works: WAV (integer PCM, float, µ-law, A-law, ADPCM), FLAC,
//! OGG Vorbis, MKV/WebM and MP3.
//!
//! Invariants: a successful result holds at least one sample and a non-zero sample rate; a file
//! that is missing, empty, truncated, malformed, unsupported or over the length limit yields an
//! [`AudioError`], never a panic.

use std::fs::File;
use std::io::ErrorKind;
use std::path::Path;
use std::time::Duration;

use symphonia::core::codecs::audio::AudioDecoderOptions;
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, TrackType};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;

use super::AudioError;

/// Mono audio decoded from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedAudio {
    /// Mono samples, nominally in `-1.0..=1.0` (float sources may exceed it slightly).
    pub samples: Vec<f32>,
    /// Samples per second.
    pub sample_rate: u32,
}

impl DecodedAudio {
    /// Playing time of the decoded samples.
    pub fn duration(&self) -> Duration {
        Duration::from_secs_f64(self.samples.len() as f64 / f64::from(self.sample_rate))
    }
}

/// Decodes a whole audio file to mono `f32` samples at its native sample rate.
pub fn decode_file(path: &Path) -> Result<DecodedAudio, AudioError> {
    decode(path, None)
}

/// Like [`decode_file`], but stops with [`AudioError::TooLong`] as soon as the decoded audio
/// exceeds `max_duration`, so an over-long file is never held in memory in full.
pub fn decode_file_with_max_duration(
    path: &Path,
    max_duration: Duration,
) -> Result<DecodedAudio, AudioError> {
    decode(path, Some(max_duration))
}

fn decode(path: &Path, max_duration: Option<Duration>) -> Result<DecodedAudio, AudioError> {
    let open_error = |source| AudioError::Open {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(open_error)?;
    if file.metadata().map_err(open_error)?.len() == 0 {
        return Err(AudioError::EmptyFile {
            path: path.to_path_buf(),
        });
    }

    let mut hint = Hint::new();
    if let Some(extension) = path.extension().and_then(|extension| extension.to_str()) {
        hint.with_extension(extension);
    }
    let stream = MediaSourceStream::new(Box::new(file), Default::default());
    let mut format = symphonia::default::get_probe()
        .probe(
            &hint,
            stream,
            FormatOptions::default(),
            MetadataOptions::default(),
        )
        .map_err(|source| unsupported_or_truncated(path, source))?;

    let track = format
        .default_track(TrackType::Audio)
        .ok_or_else(|| AudioError::NoAudioTrack {
            path: path.to_path_buf(),
        })?;
    let track_id = track.id;
    let parameters = track
        .codec_params
        .as_ref()
        .and_then(|parameters| parameters.audio())
        .ok_or_else(|| AudioError::NoAudioTrack {
            path: path.to_path_buf(),
        })?;
    let mut decoder = symphonia::default::get_codecs()
        .make_audio_decoder(parameters, &AudioDecoderOptions::default())
        .map_err(|source| AudioError::UnsupportedFormat {
            path: path.to_path_buf(),
            source,
        })?;

    let mut mono = MonoAccumulator::new(path, max_duration);
    loop {
        let packet = match format.next_packet() {
            Ok(Some(packet)) => packet,
            Ok(None) => break,
            Err(SymphoniaError::IoError(error)) if error.kind() == ErrorKind::UnexpectedEof => {
                return Err(mono.truncated());
            }
            Err(SymphoniaError::ResetRequired) => return Err(mono.parameters_changed()),
            Err(source) => return Err(mono.malformed(source)),
        };
        if packet.track_id != track_id {
            continue;
        }
        match decoder.decode(&packet) {
            Ok(buffer) => {
                let spec = buffer.spec();
                let channels = spec.channels().count();
                let rate = spec.rate();
                mono.check_parameters(rate, channels)?;
                buffer.copy_to_vec_interleaved(&mut mono.interleaved);
                mono.append_interleaved(channels)?;
            }
            Err(SymphoniaError::DecodeError(reason)) => {
                tracing::warn!(path = %path.display(), reason, "skipping undecodable audio packet");
            }
            Err(SymphoniaError::IoError(error)) if error.kind() == ErrorKind::UnexpectedEof => {
                return Err(mono.truncated());
            }
            Err(source) => return Err(mono.malformed(source)),
        }
    }
    mono.finish()
}

/// Probe failures caused by running out of bytes mean the file is cut short; anything else
/// means no reader recognised it.
fn unsupported_or_truncated(path: &Path, source: SymphoniaError) -> AudioError {
    match source {
        SymphoniaError::IoError(ref error) if error.kind() == ErrorKind::UnexpectedEof => {
            AudioError::Truncated {
                path: path.to_path_buf(),
                decoded_frames: 0,
            }
        }
        source => AudioError::UnsupportedFormat {
            path: path.to_path_buf(),
            source,
        },
    }
}

/// Collects decoded packets as mono samples and enforces the stream invariants.
struct MonoAccumulator<'a> {
    path: &'a Path,
    max_duration: Option<Duration>,
    /// Sample rate and channel count fixed by the first decoded packet.
    parameters: Option<(u32, usize)>,
    /// Scratch buffer reused for each packet's interleaved samples.
    interleaved: Vec<f32>,
    samples: Vec<f32>,
}

impl<'a> MonoAccumulator<'a> {
    fn new(path: &'a Path, max_duration: Option<Duration>) -> Self {
        Self {
            path,
            max_duration,
            parameters: None,
            interleaved: Vec::new(),
            samples: Vec::new(),
        }
    }

    fn check_parameters(&mut self, rate: u32, channels: usize) -> Result<(), AudioError> {
        if rate == 0 || channels == 0 {
            return Err(self.parameters_changed());
        }
        match self.parameters {
            None => {
                self.parameters = Some((rate, channels));
                Ok(())
            }
            Some(known) if known == (rate, channels) => Ok(()),
            Some(_) => Err(self.parameters_changed()),
        }
    }

    /// Averages each frame of `self.interleaved` into one mono sample.
    fn append_interleaved(&mut self, channels: usize) -> Result<(), AudioError> {
        let scale = 1.0 / channels as f32;
        self.samples.extend(
            self.interleaved
                .chunks_exact(channels)
                .map(|frame| frame.iter().sum::<f32>() * scale),
        );
        if let (Some(max), Some((rate, _))) = (self.max_duration, self.parameters) {
            let max_frames = max.as_secs_f64() * f64::from(rate);
            if self.samples.len() as f64 > max_frames {
                return Err(AudioError::TooLong {
                    path: self.path.to_path_buf(),
                    max,
                });
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<DecodedAudio, AudioError> {
        match self.parameters {
            Some((sample_rate, _)) if !self.samples.is_empty() => Ok(DecodedAudio {
                samples: self.samples,
                sample_rate,
            }),
            _ => Err(AudioError::NoAudio {
                path: self.path.to_path_buf(),
            }),
        }
    }

    fn truncated(&self) -> AudioError {
        AudioError::Truncated {
            path: self.path.to_path_buf(),
            decoded_frames: self.samples.len() as u64,
        }
    }

    fn parameters_changed(&self) -> AudioError {
        AudioError::ParametersChanged {
            path: self.path.to_path_buf(),
        }
    }

    fn malformed(&self, source: SymphoniaError) -> AudioError {
        AudioError::Malformed {
            path: self.path.to_path_buf(),
            source,
        }
    }
}
