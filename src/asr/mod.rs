//! Speech recognition: model adapters and the tools that prepare their model files.
//!
//! [`convert`] turns the CTranslate2 Whisper model shipped on PyPI into the ggml file
//! whisper.cpp (through whisper-rs) loads.

pub mod convert;
