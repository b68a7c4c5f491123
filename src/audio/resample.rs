//! Sample-rate conversion with rubato's FFT resampler.
//!
//! Two entry points: [`resample`] converts a whole buffer at once (prompt loading), and
//! [`Resampler`] converts an unbounded stream fed in arbitrary pieces (8 kHz caller audio to
//! 16 kHz for speech recognition, 22.05 kHz synthesized speech to 8 kHz for the call).
//!
//! Invariants: the resampler's internal delay is compensated in both, so output sample `k`
//! lines up in time with input time `k / to_rate`; converting `n` input samples yields exactly
//! `ceil(n * to_rate / from_rate)` output samples (for the stream: in total, once flushed).

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Indexing, Resampler as _};

use super::AudioError;

/// Input chunk size used for whole-buffer conversion: large enough for good efficiency,
/// small enough that the FFT stays cheap for awkward rate pairs.
const WHOLE_BUFFER_CHUNK_FRAMES: usize = 1024;

/// Converts a whole mono buffer from `from_rate` to `to_rate`.
///
/// Equal rates return a copy. The output holds `ceil(len * to_rate / from_rate)` samples,
/// time-aligned with the input (the resampler delay is trimmed).
pub fn resample(samples: &[f32], from_rate: u32, to_rate: u32) -> Result<Vec<f32>, AudioError> {
    let mut resampler = Resampler::new(from_rate, to_rate, WHOLE_BUFFER_CHUNK_FRAMES)?;
    let mut output = resampler.process(samples)?;
    output.extend(resampler.flush()?);
    Ok(output)
}

/// A streaming mono resampler that accepts input in pieces of any size.
///
/// Input is buffered and converted in chunks of `chunk_frames`; [`Resampler::process`] returns
/// whatever output is ready, and [`Resampler::flush`] drains the rest at end of stream. The
/// concatenated output is time-aligned with the input (the startup delay is dropped), so the
/// first returned samples correspond to the first input samples.
pub struct Resampler {
    /// `None` when the rates are equal and samples pass straight through.
    conversion: Option<Conversion>,
}

/// State of an actual rate conversion.
struct Conversion {
    inner: Fft<f32>,
    from_rate: u32,
    to_rate: u32,
    /// Input received but not yet handed to the FFT resampler.
    pending: Vec<f32>,
    /// Scratch space for one chunk of output.
    scratch: Vec<f32>,
    /// Output frames still to drop to compensate the resampler delay.
    delay_to_trim: usize,
    /// Input frames received since construction or the last flush.
    input_frames: u64,
    /// Output frames returned since construction or the last flush.
    output_frames: u64,
}

impl Resampler {
    /// Builds a resampler converting from `from_rate` to `to_rate`, processing `chunk_frames`
    /// input frames per internal step (e.g. 160 for 20 ms at 8 kHz).
    pub fn new(from_rate: u32, to_rate: u32, chunk_frames: usize) -> Result<Self, AudioError> {
        if from_rate == to_rate && from_rate != 0 {
            return Ok(Self { conversion: None });
        }
        let setup_error = |source| AudioError::ResamplerSetup {
            from_rate,
            to_rate,
            source,
        };
        let inner = Fft::<f32>::new(
            from_rate as usize,
            to_rate as usize,
            chunk_frames,
            1,
            FixedSync::Input,
        )
        .map_err(setup_error)?;
        let delay_to_trim = inner.output_delay();
        let scratch = vec![0.0; inner.output_frames_max()];
        Ok(Self {
            conversion: Some(Conversion {
                inner,
                from_rate,
                to_rate,
                pending: Vec::new(),
                scratch,
                delay_to_trim,
                input_frames: 0,
                output_frames: 0,
            }),
        })
    }

    /// Feeds `input` and returns all output that is ready.
    pub fn process(&mut self, input: &[f32]) -> Result<Vec<f32>, AudioError> {
        let Some(conversion) = self.conversion.as_mut() else {
            return Ok(input.to_vec());
        };
        conversion.pending.extend_from_slice(input);
        conversion.input_frames += input.len() as u64;
        let mut output = Vec::new();
        while conversion.pending.len() >= conversion.inner.input_frames_next() {
            conversion.run_chunk(None, &mut output)?;
        }
        Ok(output)
    }

    /// Drains buffered input and the resampler's tail at end of stream, then resets the
    /// resampler so it can start a new, independent stream.
    pub fn flush(&mut self) -> Result<Vec<f32>, AudioError> {
        let Some(conversion) = self.conversion.as_mut() else {
            return Ok(Vec::new());
        };
        let expected_total = (u128::from(conversion.input_frames) * u128::from(conversion.to_rate))
            .div_ceil(u128::from(conversion.from_rate));
        let mut output = Vec::new();
        if !conversion.pending.is_empty() {
            conversion.run_chunk(Some(conversion.pending.len()), &mut output)?;
        }
        while u128::from(conversion.output_frames) < expected_total {
            conversion.run_chunk(Some(0), &mut output)?;
        }
        let surplus = u128::from(conversion.output_frames).saturating_sub(expected_total);
        let surplus = usize::try_from(surplus).unwrap_or(usize::MAX);
        output.truncate(output.len().saturating_sub(surplus));
        conversion.reset();
        Ok(output)
    }
}

impl Conversion {
    /// Runs one resampler step on the head of `pending` (or on `partial` frames of it, padded
    /// with silence) and appends the delay-compensated output to `output`.
    fn run_chunk(
        &mut self,
        partial: Option<usize>,
        output: &mut Vec<f32>,
    ) -> Result<(), AudioError> {
        let frames = partial.unwrap_or_else(|| self.inner.input_frames_next());
        let buffer_error = |source| AudioError::ResampleBuffer { source };
        let input =
            InterleavedSlice::new(&self.pending[..frames], 1, frames).map_err(buffer_error)?;
        let scratch_frames = self.scratch.len();
        let mut scratch = InterleavedSlice::new_mut(&mut self.scratch, 1, scratch_frames)
            .map_err(buffer_error)?;
        let indexing = partial.map(|length| Indexing::new().partial_len(length));
        let (_, written) = self
            .inner
            .process_into_buffer(&input, &mut scratch, indexing.as_ref())
            .map_err(|source| AudioError::Resample { source })?;
        self.pending.drain(..frames);

        let skipped = self.delay_to_trim.min(written);
        self.delay_to_trim -= skipped;
        output.extend_from_slice(&self.scratch[skipped..written]);
        self.output_frames += (written - skipped) as u64;
        Ok(())
    }

    fn reset(&mut self) {
        self.inner.reset();
        self.pending.clear();
        self.delay_to_trim = self.inner.output_delay();
        self.input_frames = 0;
        self.output_frames = 0;
    }
}
