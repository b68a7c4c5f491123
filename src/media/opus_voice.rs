//! Opus for browser legs: 20 ms frames of the call's 8 kHz mono audio in and out.
//!
//! libopus converts between the call rate and Opus's internal 48 kHz itself (encoding from and
//! decoding to 8 kHz), so no separate resampling stage sits between a browser leg and the call.
//! An RTP timestamp of an Opus stream still counts 48 kHz: [`RTP_TICKS_PER_FRAME`] per frame.
//!
//! Invariants: every decoded frame holds exactly [`FRAME_SAMPLES`] samples; a lost packet is
//! concealed (libopus packet-loss concealment) rather than skipped, so the timeline stays whole.

use super::error::MediaError;

/// Samples of one 20 ms frame at the call rate (8 kHz).
pub const FRAME_SAMPLES: usize = 160;
/// The call rate.
const CALL_RATE: u32 = 8000;
/// RTP timestamp ticks of one 20 ms Opus frame (its RTP clock is always 48 kHz).
pub const RTP_TICKS_PER_FRAME: u32 = 960;
/// The largest Opus packet a frame is encoded into.
const MAXIMUM_PACKET: usize = 400;
/// Encoder complexity (0–10). At 1 SILK quantizes without delayed decision; the higher settings
/// cost several times the CPU (their noise shaping was most of a browser leg's time in
/// `bench/webrtc.sh`) for a difference narrowband telephone speech hardly shows.
const COMPLEXITY: i32 = 1;
/// Bits per second the encoder aims at: wideband voice quality, far more than 8 kHz needs.
const BITRATE: i32 = 24_000;

/// One browser leg's Opus encoder and decoder.
pub struct OpusVoice {
    encoder: opus::Encoder,
    decoder: opus::Decoder,
}

fn failed(what: &str, error: opus::Error) -> MediaError {
    MediaError::Opus(format!("{what}: {error}"))
}

impl OpusVoice {
    /// A mono voice encoder and decoder at the call rate.
    pub fn new() -> Result<OpusVoice, MediaError> {
        let mut encoder =
            opus::Encoder::new(CALL_RATE, opus::Channels::Mono, opus::Application::Voip)
                .map_err(|error| failed("cannot create the Opus encoder", error))?;
        encoder
            .set_bitrate(opus::Bitrate::Bits(BITRATE))
            .map_err(|error| failed("cannot set the Opus bitrate", error))?;
        encoder
            .set_complexity(COMPLEXITY)
            .map_err(|error| failed("cannot set the Opus complexity", error))?;
        encoder
            .set_signal(opus::Signal::Voice)
            .map_err(|error| failed("cannot set the Opus signal type", error))?;
        let decoder = opus::Decoder::new(CALL_RATE, opus::Channels::Mono)
            .map_err(|error| failed("cannot create the Opus decoder", error))?;
        Ok(OpusVoice { encoder, decoder })
    }

    /// Encodes one frame of [`FRAME_SAMPLES`] samples into an Opus packet.
    pub fn encode(&mut self, frame: &[i16]) -> Result<Vec<u8>, MediaError> {
        if frame.len() != FRAME_SAMPLES {
            return Err(MediaError::Opus(format!(
                "an Opus frame holds {FRAME_SAMPLES} samples, not {}",
                frame.len()
            )));
        }
        let mut packet = vec![0u8; MAXIMUM_PACKET];
        let length = self
            .encoder
            .encode(frame, &mut packet)
            .map_err(|error| failed("cannot encode", error))?;
        packet.truncate(length);
        Ok(packet)
    }

    /// Decodes one packet (20 to 120 ms) into whole frames: a multiple of [`FRAME_SAMPLES`]
    /// samples. A packet that does not decode is concealed as one frame instead.
    pub fn decode(&mut self, packet: &[u8]) -> Vec<i16> {
        let mut samples = vec![0i16; FRAME_SAMPLES * 6];
        match self.decoder.decode(packet, &mut samples, false) {
            Ok(decoded) if decoded > 0 => {
                samples.truncate(decoded.div_ceil(FRAME_SAMPLES) * FRAME_SAMPLES);
                samples
            }
            _ => self.conceal(),
        }
    }

    /// A frame standing in for a lost packet.
    pub fn conceal(&mut self) -> Vec<i16> {
        let mut frame = vec![0i16; FRAME_SAMPLES];
        if self.decoder.decode(&[], &mut frame, false).is_err() {
            frame.fill(0);
        }
        frame
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::test_signals::{share_at, sine_i16};

    #[test]
    fn a_tone_survives_the_round_trip_at_its_level() {
        let mut voice = OpusVoice::new().expect("opus");
        let tone = sine_i16(700.0, CALL_RATE, 1.0, 0.3);
        let mut decoded = Vec::new();
        for frame in tone.chunks(FRAME_SAMPLES) {
            let packet = voice.encode(frame).expect("encode");
            assert!(packet.len() < 120, "{} bytes for 20 ms", packet.len());
            let samples = voice.decode(&packet);
            assert_eq!(samples.len(), FRAME_SAMPLES);
            decoded.extend(samples);
        }
        let settled = &decoded[1600..];
        assert!(
            share_at(settled, 700.0, CALL_RATE) > 0.8,
            "{}",
            share_at(settled, 700.0, CALL_RATE)
        );
        let level = |samples: &[i16]| {
            (samples.iter().map(|&s| f64::from(s).powi(2)).sum::<f64>() / samples.len() as f64)
                .sqrt()
        };
        let ratio = level(settled) / level(&tone[1600..]);
        assert!((0.7..1.4).contains(&ratio), "level ratio {ratio}");
    }

    #[test]
    fn lost_and_broken_packets_still_give_whole_frames() {
        let mut voice = OpusVoice::new().expect("opus");
        let tone = sine_i16(500.0, CALL_RATE, 0.2, 0.3);
        for frame in tone.chunks(FRAME_SAMPLES) {
            let packet = voice.encode(frame).expect("encode");
            voice.decode(&packet);
        }
        assert_eq!(voice.conceal().len(), FRAME_SAMPLES);
        assert_eq!(voice.decode(&[0xff, 0xff, 0xff]).len(), FRAME_SAMPLES);
        assert!(voice.encode(&[0; 100]).is_err());
    }
}
