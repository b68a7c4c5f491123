//! Text to phonemes with espeak-ng, reading its data from a directory Hotline chooses.
//!
//! piper-rs would phonemize through espeak-rs, which finds espeak-ng's data only through an
//! environment variable, the working directory or the executable's directory, and otherwise
//! uses the path of the build that compiled it, so a copied binary cannot phonemize. Hotline
//! instead initializes the same espeak-ng library itself with an explicit data directory (the
//! models directory's `espeak-ng-data`, see [`data_directory`]) and hands Piper phonemes.
//! The phonemes are the ones espeak-rs would give: IPA per clause, clauses of one sentence
//! joined directly, sentences and lines joined by a space.
//!
//! Invariants: espeak-ng keeps process-wide state, so every call into it happens under one
//! lock; it is initialized at most once per process, and a later request for another data
//! directory is an error rather than a silent mix of two data sets.

use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use espeak_rs_sys as espeak;

use super::TtsError;
use crate::models::ESPEAK_DATA_DIRECTORY;

/// The data directory espeak-ng was initialized with, once it has been; held during every call.
static ESPEAK: Mutex<Option<PathBuf>> = Mutex::new(None);

fn lock() -> MutexGuard<'static, Option<PathBuf>> {
    ESPEAK.lock().unwrap_or_else(PoisonError::into_inner)
}

fn c_path(path: &Path) -> Result<CString, TtsError> {
    CString::new(path.as_os_str().as_bytes()).map_err(|_| TtsError::PhonemizerData {
        path: path.to_path_buf(),
        reason: "the path contains a NUL byte".to_owned(),
    })
}

/// Where the linked espeak-ng looks for its data when given no directory: `ESPEAK_DATA_PATH`,
/// then `~/espeak-ng-data`, then the data directory of the build that compiled it (the data
/// `hotline models` copies into the models directory).
pub fn default_espeak_data_directory() -> PathBuf {
    let loaded = lock();
    let mut path: *const c_char = std::ptr::null();
    // SAFETY: with a null path espeak-ng only fills its static path buffer from the environment
    // or its built-in default; `espeak_Info` returns a pointer to that NUL-terminated buffer,
    // read before the lock is released.
    let default = unsafe {
        espeak::espeak_ng_InitializePath(std::ptr::null());
        espeak::espeak_Info(&mut path);
        PathBuf::from(std::ffi::OsStr::from_bytes(CStr::from_ptr(path).to_bytes()))
    };
    if let Some(loaded) = loaded.as_ref()
        && let Ok(loaded) = CString::new(loaded.as_os_str().as_bytes())
    {
        // SAFETY: restores the path espeak-ng was initialized with, so dictionaries loaded later
        // (on a voice change) still come from that directory; the string outlives the call.
        unsafe { espeak::espeak_ng_InitializePath(loaded.as_ptr()) };
    }
    default
}

/// The espeak-ng data for voices of the models directory `models`: its `espeak-ng-data` when
/// `hotline models` put it there, otherwise the linked espeak-ng's default location.
pub fn data_directory(models: &Path) -> Result<PathBuf, TtsError> {
    let provisioned = models.join(ESPEAK_DATA_DIRECTORY);
    if provisioned.is_dir() {
        return Ok(provisioned);
    }
    let default = default_espeak_data_directory();
    if default.is_dir() {
        tracing::warn!(
            data = %default.display(),
            "espeak-ng data is not in the models directory; using the build's copy (run \
             `hotline models` so a copied binary finds it too)"
        );
        return Ok(default);
    }
    Err(TtsError::MissingFile {
        what: "espeak-ng data",
        path: provisioned,
    })
}

/// Initializes espeak-ng with `data` unless this process already did.
fn initialize(loaded: &mut Option<PathBuf>, data: &Path) -> Result<(), TtsError> {
    let data_error = |reason: String| TtsError::PhonemizerData {
        path: data.to_path_buf(),
        reason,
    };
    let absolute = data
        .canonicalize()
        .map_err(|error| data_error(error.to_string()))?;
    match loaded.as_ref() {
        Some(path) if *path == absolute => return Ok(()),
        Some(path) => {
            return Err(TtsError::PhonemizerAlreadyLoaded {
                loaded: path.clone(),
                requested: absolute,
            });
        }
        None => {}
    }
    let path = c_path(&absolute)?;
    let mut context: espeak::espeak_ng_ERROR_CONTEXT = std::ptr::null_mut();
    // SAFETY: the path string outlives the calls; the error context is either left null or
    // allocated by espeak-ng and freed by `espeak_ng_ClearErrorContext`; the message buffer is
    // written NUL-terminated within the length given.
    unsafe {
        espeak::espeak_ng_InitializePath(path.as_ptr());
        let status = espeak::espeak_ng_Initialize(&mut context);
        if status != espeak::espeak_ng_STATUS_ENS_OK {
            let mut message = [0 as c_char; 512];
            espeak::espeak_ng_GetStatusCodeMessage(status, message.as_mut_ptr(), message.len());
            espeak::espeak_ng_ClearErrorContext(&mut context);
            let reason = CStr::from_ptr(message.as_ptr()).to_string_lossy();
            return Err(data_error(format!(
                "{reason} (the data must come from the espeak-ng built with this hotline: run \
                 `hotline models`)"
            )));
        }
        espeak::espeak_ng_InitializeOutput(0, 0, std::ptr::null());
    }
    *loaded = Some(absolute);
    Ok(())
}

/// Removes the inline language-switch markers such as `(fr)` that espeak-ng puts around words
/// it reads in another language.
fn strip_language_switches(clause: &str) -> String {
    let mut depth = 0usize;
    clause
        .chars()
        .filter(|character| match character {
            '(' => {
                depth += 1;
                false
            }
            ')' => {
                depth = depth.saturating_sub(1);
                false
            }
            _ => depth == 0,
        })
        .collect()
}

/// Phonemizes text for one espeak-ng voice (e.g. `en-us`, from the Piper voice's configuration).
pub struct Phonemizer {
    voice: CString,
}

impl Phonemizer {
    /// Initializes espeak-ng with the data directory `data` (once per process) and checks that
    /// it has `voice`.
    pub fn new(data: &Path, voice: &str) -> Result<Self, TtsError> {
        let mut loaded = lock();
        initialize(&mut loaded, data)?;
        let phonemizer = Phonemizer {
            voice: CString::new(voice).map_err(|_| TtsError::Phonemization {
                reason: format!("espeak voice name {voice:?} contains a NUL byte"),
            })?,
        };
        phonemizer.select_voice()?;
        Ok(phonemizer)
    }

    /// Must be called with the lock held.
    fn select_voice(&self) -> Result<(), TtsError> {
        // SAFETY: the voice name is a valid NUL-terminated string for the duration of the call.
        let status = unsafe { espeak::espeak_SetVoiceByName(self.voice.as_ptr()) };
        if status == espeak::espeak_ERROR_EE_OK {
            Ok(())
        } else {
            Err(TtsError::Phonemization {
                reason: format!(
                    "espeak-ng has no voice {:?} in its data",
                    self.voice.to_string_lossy()
                ),
            })
        }
    }

    /// The IPA phonemes of `text`.
    pub fn phonemize(&self, text: &str) -> Result<String, TtsError> {
        let _espeak = lock();
        self.select_voice()?;
        let mut sentences: Vec<String> = Vec::new();
        let mut current = String::new();
        for line in text.lines() {
            let line = CString::new(line).map_err(|_| TtsError::Phonemization {
                reason: "the text contains a NUL byte".to_owned(),
            })?;
            let mut position: *const c_void = line.as_ptr().cast();
            while !position.is_null() {
                // SAFETY: `position` points into `line`, which outlives the loop; espeak-ng
                // advances it clause by clause and sets it to null after the last one. The
                // returned string lives in espeak-ng's static buffer until the next call, and
                // is copied before that.
                let clause = unsafe {
                    let phonemes = espeak::espeak_TextToPhonemes(
                        &mut position,
                        espeak::espeakCHARS_UTF8 as c_int,
                        espeak::espeakINITIALIZE_PHONEME_IPA as c_int,
                    );
                    if phonemes.is_null() {
                        return Err(TtsError::Phonemization {
                            reason: "espeak-ng could not decode the text".to_owned(),
                        });
                    }
                    CStr::from_ptr(phonemes).to_string_lossy().into_owned()
                };
                current.push_str(&strip_language_switches(&clause));
                if matches!(current.trim_end().chars().last(), Some('.' | '?' | '!')) {
                    sentences.push(std::mem::take(&mut current));
                }
            }
            if !current.is_empty() {
                sentences.push(std::mem::take(&mut current));
            }
        }
        Ok(sentences.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_switch_markers_are_removed() {
        assert_eq!(
            strip_language_switches("hɛlˈoʊ (fr)bɔ̃ʒˈuʁ(en) ðɛɹ"),
            "hɛlˈoʊ bɔ̃ʒˈuʁ ðɛɹ"
        );
        assert_eq!(strip_language_switches("a)b((c"), "ab");
    }

    #[test]
    fn models_directory_data_comes_first() {
        let models = tempfile::tempdir().expect("temporary directory");
        let provisioned = models.path().join(ESPEAK_DATA_DIRECTORY);
        std::fs::create_dir(&provisioned).expect("directory");
        assert_eq!(
            data_directory(models.path()).expect("provisioned"),
            provisioned
        );
    }
}
