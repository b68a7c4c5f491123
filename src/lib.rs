//! Hotline: a self-hosted voice IVR and contact-center telephony server.
//!
//! The crate is split the way `DESIGN.md` lays it out: sans-IO protocol and decision cores
//! (`sip::sdp`, `media`, `dialogue`), pure DSP (`audio`), and thin async drivers that own sockets
//! and tasks (`net`, `call`, `http`).

pub mod audio;
pub mod config;
pub mod dialogue;
pub mod ids;
pub mod media;
pub mod net;
pub mod recording;
pub mod sip;
pub mod storage;
pub mod telemetry;
