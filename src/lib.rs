//! Hotline: a self-hosted voice IVR and contact-center telephony server.
//!
//! Protocol and decision cores are sans-IO (`sip::sdp`, `media`, `dialogue`); `audio` is pure
//! DSP; thin async drivers own sockets and tasks (`sip`'s server, `net`, `call`, `http`); `cli`
//! is the composition root.

pub mod acd;
pub mod agents;
pub mod asr;
pub mod audio;
pub mod call;
pub mod chat;
pub mod cli;
pub mod config;
pub mod conversation;
pub mod dialogue;
mod duration_text;
pub mod embedding;
pub mod flows;
pub mod http;
pub mod ids;
pub mod language;
pub mod lookup;
pub mod media;
pub mod models;
pub mod net;
pub mod operations;
pub mod orders;
pub mod recording;
pub mod sip;
pub mod speech_services;
pub mod storage;
pub mod telemetry;
pub mod text;
mod throttle;
pub mod tts;
pub mod understanding;
pub mod webrtc;
