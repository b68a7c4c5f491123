//! Call errors.

/// What can stop a call from starting or running.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    /// The negotiated codec is not one the media layer speaks.
    #[error("unsupported codec {0}")]
    UnsupportedCodec(String),
    /// Turn detection or resampling of caller speech failed.
    #[error("speech detection: {0}")]
    Speech(#[from] crate::audio::AudioError),
    /// Recognition refused a turn (busy or stopped).
    #[error(transparent)]
    Recognition(#[from] crate::asr::AsrError),
    /// Sockets could not be opened.
    #[error(transparent)]
    Net(#[from] crate::net::NetError),
}
