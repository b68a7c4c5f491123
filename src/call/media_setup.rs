//! Media sessions for negotiated streams: the codec, payload types, addresses and direction an
//! SDP exchange settled on, turned into a [`MediaSession`] for the caller or a leg.

use super::error::CallError;
use crate::config::MediaConfig;
use crate::media::{Codec, Direction, JitterConfig, MediaSession, MediaSessionConfig};
use crate::sip::sdp::{self, NegotiatedAudio};
use std::time::{Duration, Instant, SystemTime};

/// The media session's direction for an SDP direction.
pub(super) fn media_direction(direction: sdp::Direction) -> Direction {
    match direction {
        sdp::Direction::SendReceive => Direction::SendReceive,
        sdp::Direction::SendOnly => Direction::SendOnly,
        sdp::Direction::ReceiveOnly => Direction::ReceiveOnly,
        sdp::Direction::Inactive => Direction::Inactive,
    }
}

/// The codec of a negotiated stream, if the call knows it.
pub(super) fn codec_of(audio: &NegotiatedAudio) -> Result<Codec, CallError> {
    Codec::from_name(&audio.codec).ok_or_else(|| CallError::UnsupportedCodec(audio.codec.clone()))
}

/// A media session for a negotiated stream, its first tick due at `now`. A codec the call does
/// not know cannot be negotiated (`codec_of` is checked at admission, and re-offers and answers
/// only carry negotiated codecs), so PCMU stands in for it.
pub(super) fn open_media(
    audio: &NegotiatedAudio,
    config: &MediaConfig,
    cname: String,
    now: Instant,
) -> MediaSession {
    let codec = codec_of(audio).unwrap_or(Codec::Pcmu);
    let mut media = MediaSession::new(
        MediaSessionConfig {
            codec,
            payload_type: audio.payload_type,
            telephone_event_payload_type: audio.telephone_event_payload_type,
            remote_rtp: audio.remote_rtp,
            remote_rtcp: audio.remote_rtcp,
            ssrc: rand::random(),
            cname,
            jitter: JitterConfig {
                minimum_delay: config.jitter_minimum_delay,
                maximum_delay: config.jitter_maximum_delay,
            },
            rtcp_interval: Duration::from_secs(5),
            wall_clock_at_start: SystemTime::now(),
        },
        now,
    );
    media.set_direction(media_direction(audio.direction));
    media
}
