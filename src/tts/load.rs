//! Loading a registered voice with the engine it needs: the Mandarin FastSpeech2 engine for an
//! entry with a `baker_mapper.json` output, Piper for every other `kind = "tts"` entry.

use super::mandarin::{MAPPER_FILE, MandarinSynthesizer, MandarinVoiceFiles};
use super::{PiperSynthesizer, Synthesizer, TtsError, VoiceFiles};
use crate::config::VoiceConfig;
use crate::models::{Kind, Registry};

/// Loads the voice `settings.name` of `registry` with `settings`, on the calling thread (slow:
/// call it off the async runtime).
pub fn load_synthesizer(
    registry: &Registry,
    settings: &VoiceConfig,
) -> Result<Box<dyn Synthesizer>, TtsError> {
    let entry = registry.find(Kind::Tts, &settings.name)?;
    let mandarin = entry
        .outputs()
        .iter()
        .any(|(path, _)| path.ends_with(MAPPER_FILE));
    if mandarin {
        let files = MandarinVoiceFiles::from_registry(registry, &settings.name)?;
        Ok(Box::new(MandarinSynthesizer::load(&files, settings)?))
    } else {
        let files = VoiceFiles::from_registry(registry, &settings.name)?;
        Ok(Box::new(PiperSynthesizer::load(&files, settings)?))
    }
}
