//! Hotline: a self-hosted voice IVR and contact-center telephony server.
//!
//! The crate is split the way `DESIGN.md` lays it out: sans-IO protocol and decision cores
//! (`sip::sdp`, `media`, `dialogue`), pure DSP (`audio`), and thin async drivers that own sockets
//! and tasks (`net`, `call`, `http`).

pub mod audio;
pub mod dialogue;
pub mod media;
pub mod recording;
