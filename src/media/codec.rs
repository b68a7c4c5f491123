//! G.711 µ-law (PCMU) and A-law (PCMA) per ITU-T G.711.
//!
//! Owns the sample <-> byte conversion only. Invariants: every byte value decodes to a sample
//! and every sample encodes to a byte (no failure paths); one byte per sample in both directions.

use crate::media::SAMPLE_RATE;

/// µ-law bias added before segment search.
const MU_LAW_BIAS: i32 = 0x84;
/// Largest magnitude µ-law can represent before clipping.
const MU_LAW_CLIP: i32 = 32635;
/// Upper bounds (13-bit magnitudes) of the eight A-law segments.
const A_LAW_SEGMENT_ENDS: [i32; 8] = [0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF];

/// A negotiated G.711 audio codec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Codec {
    /// G.711 µ-law, static payload type 0.
    Pcmu,
    /// G.711 A-law, static payload type 8.
    Pcma,
}

impl Codec {
    /// Static RTP payload type (RFC 3551).
    pub fn payload_type(&self) -> u8 {
        match self {
            Codec::Pcmu => 0,
            Codec::Pcma => 8,
        }
    }

    /// Encoding name as used in SDP `a=rtpmap`.
    pub fn name(&self) -> &'static str {
        match self {
            Codec::Pcmu => "PCMU",
            Codec::Pcma => "PCMA",
        }
    }

    /// RTP clock rate in Hz.
    pub fn clock_rate(&self) -> u32 {
        SAMPLE_RATE
    }

    /// Looks a codec up by its SDP encoding name, ignoring case.
    pub fn from_name(name: &str) -> Option<Codec> {
        if name.eq_ignore_ascii_case("PCMU") {
            Some(Codec::Pcmu)
        } else if name.eq_ignore_ascii_case("PCMA") {
            Some(Codec::Pcma)
        } else {
            None
        }
    }

    /// The byte that encodes digital silence (sample value 0).
    pub fn silence_byte(&self) -> u8 {
        match self {
            Codec::Pcmu => 0xFF,
            Codec::Pcma => 0xD5,
        }
    }

    /// Appends one encoded byte per sample to `out`.
    pub fn encode(&self, pcm: &[i16], out: &mut Vec<u8>) {
        out.reserve(pcm.len());
        match self {
            Codec::Pcmu => out.extend(pcm.iter().map(|&sample| linear_to_mu_law(sample))),
            Codec::Pcma => out.extend(pcm.iter().map(|&sample| linear_to_a_law(sample))),
        }
    }

    /// Appends one decoded sample per payload byte to `out`.
    pub fn decode(&self, payload: &[u8], out: &mut Vec<i16>) {
        out.reserve(payload.len());
        match self {
            Codec::Pcmu => out.extend(payload.iter().map(|&byte| mu_law_to_linear(byte))),
            Codec::Pcma => out.extend(payload.iter().map(|&byte| a_law_to_linear(byte))),
        }
    }
}

/// Encodes one 16-bit sample as µ-law.
fn linear_to_mu_law(sample: i16) -> u8 {
    let mut magnitude = i32::from(sample);
    let sign = if magnitude < 0 {
        magnitude = -magnitude;
        0x80
    } else {
        0
    };
    magnitude = magnitude.min(MU_LAW_CLIP) + MU_LAW_BIAS;
    // magnitude is in 0x84..=0x7FFF, so its top bit sits at position 7..=14.
    let top_bit = 31 - magnitude.leading_zeros() as i32;
    let exponent = top_bit - 7;
    let mantissa = (magnitude >> (exponent + 3)) & 0x0F;
    !((sign | (exponent << 4) | mantissa) as u8)
}

/// Decodes one µ-law byte to a 16-bit sample.
fn mu_law_to_linear(byte: u8) -> i16 {
    let inverted = !byte;
    let exponent = i32::from((inverted >> 4) & 0x07);
    let mantissa = i32::from(inverted & 0x0F);
    let magnitude = (((mantissa << 3) + MU_LAW_BIAS) << exponent) - MU_LAW_BIAS;
    let value = if inverted & 0x80 != 0 {
        -magnitude
    } else {
        magnitude
    };
    value as i16
}

/// Encodes one 16-bit sample as A-law.
fn linear_to_a_law(sample: i16) -> u8 {
    let mut magnitude = i32::from(sample) >> 3;
    let mask = if magnitude >= 0 {
        0xD5
    } else {
        magnitude = -magnitude - 1;
        0x55
    };
    let Some(segment) = A_LAW_SEGMENT_ENDS.iter().position(|&end| magnitude <= end) else {
        return 0x7F ^ mask;
    };
    let shift = if segment < 2 { 1 } else { segment };
    let quantised = ((segment as i32) << 4) | ((magnitude >> shift) & 0x0F);
    (quantised as u8) ^ mask
}

/// Decodes one A-law byte to a 16-bit sample.
fn a_law_to_linear(byte: u8) -> i16 {
    let value = byte ^ 0x55;
    let mut magnitude = i32::from(value & 0x0F) << 4;
    let segment = i32::from((value >> 4) & 0x07);
    match segment {
        0 => magnitude += 8,
        1 => magnitude += 0x108,
        _ => magnitude = (magnitude + 0x108) << (segment - 1),
    }
    let signed = if value & 0x80 != 0 {
        magnitude
    } else {
        -magnitude
    };
    signed as i16
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(codec: Codec, sample: i16) -> i16 {
        let mut encoded = Vec::new();
        codec.encode(&[sample], &mut encoded);
        let mut decoded = Vec::new();
        codec.decode(&encoded, &mut decoded);
        decoded[0]
    }

    #[test]
    fn names_and_payload_types() {
        assert_eq!(Codec::Pcmu.payload_type(), 0);
        assert_eq!(Codec::Pcma.payload_type(), 8);
        assert_eq!(Codec::Pcmu.name(), "PCMU");
        assert_eq!(Codec::Pcma.name(), "PCMA");
        assert_eq!(Codec::Pcma.clock_rate(), 8000);
        assert_eq!(Codec::from_name("pcmu"), Some(Codec::Pcmu));
        assert_eq!(Codec::from_name("PcMa"), Some(Codec::Pcma));
        assert_eq!(Codec::from_name("opus"), None);
    }

    #[test]
    fn reference_values() {
        let mut out = Vec::new();
        Codec::Pcmu.encode(&[0, i16::MAX, i16::MIN, -1], &mut out);
        assert_eq!(out, [0xFF, 0x80, 0x00, 0x7F]);
        out.clear();
        Codec::Pcma.encode(&[0, i16::MAX, i16::MIN, -1], &mut out);
        assert_eq!(out, [0xD5, 0xAA, 0x2A, 0x55]);

        let mut samples = Vec::new();
        Codec::Pcmu.decode(&[0xFF, 0x7F, 0x80, 0x00], &mut samples);
        assert_eq!(samples, [0, 0, 32124, -32124]);
        samples.clear();
        Codec::Pcma.decode(&[0xD5, 0x55, 0xAA, 0x2A], &mut samples);
        assert_eq!(samples, [8, -8, 32256, -32256]);
    }

    #[test]
    fn silence_bytes_encode_zero() {
        for codec in [Codec::Pcmu, Codec::Pcma] {
            let mut out = Vec::new();
            codec.encode(&[0; 4], &mut out);
            assert_eq!(out, [codec.silence_byte(); 4]);
        }
    }

    #[test]
    fn round_trip_error_is_bounded() {
        for codec in [Codec::Pcmu, Codec::Pcma] {
            for sample in i16::MIN..=i16::MAX {
                let error = (i32::from(round_trip(codec, sample)) - i32::from(sample)).abs();
                let bound = i32::from(sample).abs() / 16 + 16;
                assert!(
                    error <= bound,
                    "{codec:?} {sample}: error {error} > {bound}"
                );
            }
        }
    }

    #[test]
    fn encoding_is_monotonic() {
        for codec in [Codec::Pcmu, Codec::Pcma] {
            let mut previous = round_trip(codec, i16::MIN);
            for sample in (i16::MIN..=i16::MAX).step_by(7) {
                let current = round_trip(codec, sample);
                assert!(current >= previous, "{codec:?} not monotonic at {sample}");
                previous = current;
            }
        }
    }

    #[test]
    fn decoded_bytes_re_encode_to_themselves() {
        for codec in [Codec::Pcmu, Codec::Pcma] {
            for byte in 0..=u8::MAX {
                // µ-law has a negative zero (0x7F) that canonicalises to 0xFF.
                if codec == Codec::Pcmu && byte == 0x7F {
                    continue;
                }
                let mut samples = Vec::new();
                codec.decode(&[byte], &mut samples);
                let mut encoded = Vec::new();
                codec.encode(&samples, &mut encoded);
                assert_eq!(encoded, [byte], "{codec:?} byte {byte:#04x}");
            }
        }
    }
}
