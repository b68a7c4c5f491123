//! Small hound-based helpers for reading and writing 16-bit PCM WAV files.
//!
//! Meant for tests and tools (fixtures, inspecting recordings); production decoding of prompts
//! goes through [`super::decode_file`], which accepts many more formats.
//!
//! Invariants: reads return the interleaved samples exactly as stored; only 16-bit integer PCM
//! is read, anything else is an [`AudioError::Wav`] error rather than a silent conversion.

use std::path::Path;

use super::AudioError;

/// Reads a 16-bit integer PCM WAV file.
///
/// Returns `(samples, channels, sample_rate)`, with the samples interleaved frame by frame
/// (`L R L R …` for stereo).
pub fn read_wav_i16(path: &Path) -> Result<(Vec<i16>, u16, u32), AudioError> {
    let wav_error = |source| AudioError::Wav {
        path: path.to_path_buf(),
        source,
    };
    let reader = hound::WavReader::open(path).map_err(wav_error)?;
    let spec = reader.spec();
    if spec.sample_format != hound::SampleFormat::Int || spec.bits_per_sample != 16 {
        return Err(wav_error(hound::Error::Unsupported));
    }
    let samples = reader
        .into_samples::<i16>()
        .collect::<Result<Vec<i16>, hound::Error>>()
        .map_err(wav_error)?;
    Ok((samples, spec.channels, spec.sample_rate))
}

/// Writes mono 16-bit PCM samples to a new WAV file, replacing any existing file.
pub fn write_wav_mono(path: &Path, sample_rate: u32, samples: &[i16]) -> Result<(), AudioError> {
    let wav_error = |source| AudioError::Wav {
        path: path.to_path_buf(),
        source,
    };
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(path, spec).map_err(wav_error)?;
    for &sample in samples {
        writer.write_sample(sample).map_err(wav_error)?;
    }
    writer.finalize().map_err(wav_error)
}

/// Mono 16-bit PCM samples as the bytes of a WAV file.
pub fn wav_bytes_mono(sample_rate: u32, samples: &[i16]) -> Vec<u8> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut bytes = std::io::Cursor::new(Vec::with_capacity(44 + samples.len() * 2));
    // Writing to memory cannot fail, except for a file over 4 GiB, which no preview is.
    if let Ok(mut writer) = hound::WavWriter::new(&mut bytes, spec) {
        for &sample in samples {
            let _ = writer.write_sample(sample);
        }
        let _ = writer.finalize();
    }
    bytes.into_inner()
}
