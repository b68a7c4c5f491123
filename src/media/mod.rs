//! Media plane of a call: G.711 audio over RTP, RFC 4733 DTMF, RTCP, jitter buffering and
//! 20 ms pacing.
//!
//! Everything here is sans-IO: no sockets, tasks, sleeps or clock reads. Callers pass the current
//! [`std::time::Instant`] into every time-dependent call, feed received datagrams in and drain
//! outgoing datagrams, events and audio frames out. [`MediaSession`] is the per-call entry point;
//! the other modules are its building blocks and are usable on their own.
//!
//! Fixed format: 8 kHz mono, one frame = 160 samples = 20 ms.
pub mod codec;
pub mod dtmf;
pub mod error;
pub mod jitter;
pub mod latch;
pub mod opus_voice;
pub mod pacing;
pub mod playback;
pub mod rtcp;
pub mod rtp_packet;
pub mod session;

pub use codec::Codec;
pub use dtmf::{DtmfPacket, DtmfReceiver, DtmfSender, TelephoneEvent};
pub use error::MediaError;
pub use jitter::{JitterBuffer, JitterConfig, JitterStatistics};
pub use pacing::Pacer;

/// Audio sample rate in Hz (G.711 narrowband).
pub const SAMPLE_RATE: u32 = 8000;
/// Samples in one 20 ms frame at [`SAMPLE_RATE`].
pub const FRAME_SAMPLES: usize = 160;
/// Duration of one frame: the same 20 ms the speech detectors in `audio` work in.
pub use crate::audio::FRAME_DURATION;
pub use session::{
    Direction, FramePair, MediaEvent, MediaSession, MediaSessionConfig, MediaStats, Transmit,
    TransmitKind,
};
