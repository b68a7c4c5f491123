//! A simulated call for core tests, in the spirit of quinn's `Pair`: it owns a [`CallCore`],
//! a made-up monotonic clock and wall clock, and plays the driver — it answers the outputs a
//! real executor answers at once (understanding, synthesis) and keeps every output for the
//! tests to read. Time moves only when a test says so; media is "flowing" unless a test stops
//! it, so media timeouts happen only on purpose.

use super::{
    CallCore, CallInput, CallOutput, CoreSetup, KeySource, LegEvent, MediaActivity, Now,
    Recognised, Slot, Sound,
};
use crate::asr::Transcript;
use crate::config::Config;
use crate::dialogue::{FlowEvent, load_flows};
use crate::ids::CallId;
use crate::language::Language;
use crate::recording::Redactor;
use crate::storage::CallRecord;
use crate::tts::SpeechChunk;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// The configuration of simulated calls: two-second rings and accepts, hold music, the demo's
/// agents and groups, and the default 30-second media timeout.
pub const CONFIG: &str = concat!(
    crate::config::minimal_config!(),
    r#"[[routes]]
number = "1000"
flow = "core"
[acd]
ring_timeout = "2s"
accept_timeout = "2s"
hold_music = "/music/hold.wav"
position_text = "You are number {position} in line."
accept_prompt = "Press 1 to accept."
[[agents]]
name = "agent1"
password_ha1 = "0123456789abcdef0123456789abcdef"
skills = { support = 1 }
[[agents]]
name = "agent2"
password_ha1 = "0123456789abcdef0123456789abcdef"
skills = { support = 1, billing = 1 }
"#
);

/// The core's media tick: how far [`Harness::wait`] moves time per step.
const TICK: Duration = Duration::from_millis(20);

/// A simulated call.
pub struct Harness {
    pub core: CallCore,
    pub now: Now,
    /// Every output since the last [`Harness::take`].
    pub outputs: Vec<CallOutput>,
    /// Whether the caller's RTP keeps arriving.
    pub caller_media: bool,
    /// Whether the legs' RTP keeps arriving.
    pub leg_media: bool,
    /// The synthesizer answers `Say` at once.
    pub voice: bool,
    _flows: tempfile::TempDir,
}

impl Harness {
    /// A call answered on `flow` (a flow file's text; its name must be `core`), started.
    pub fn start(flow: &str) -> Harness {
        Harness::start_with(flow, "")
    }

    /// The same with `extra` added to the configuration.
    pub fn start_with(flow: &str, extra: &str) -> Harness {
        Harness::start_translated(flow, &[], extra)
    }

    /// A call on a bilingual line: `flow` and its `translations` (flow files' texts, each in a
    /// directory of its own, named `core` and anything else), with `extra` configuration.
    pub fn start_translated(flow: &str, translations: &[&str], extra: &str) -> Harness {
        let directory = tempfile::tempdir().expect("temporary directory");
        let manifest = env!("CARGO_MANIFEST_DIR");
        for (index, text) in std::iter::once(&flow).chain(translations).enumerate() {
            let text = text.replace("{demo}", &format!("{manifest}/prompts/demo"));
            let folder = directory.path().join(format!("flow-{index}"));
            std::fs::create_dir(&folder).expect("flow directory");
            std::fs::write(folder.join("core.flow.toml"), text).expect("write flow");
        }
        let flows = load_flows(directory.path()).expect("flows load");
        let flow = flows.get("core").expect("flow 'core'");
        let translations = flows
            .flows
            .values()
            .filter(|other| other.name != "core")
            .cloned()
            .collect();
        let config =
            Config::parse(Path::new("hotline.toml"), &format!("{CONFIG}{extra}")).expect("config");
        let now = Now {
            instant: std::time::Instant::now(),
            wall: chrono::DateTime::from_timestamp(1_800_000_000, 0).expect("a date"),
        };
        let mut record = CallRecord::starting(CallId::new(), "5551234", "1000", "core", "speech");
        record.started_at = now.wall;
        let setup = CoreSetup {
            flow,
            translations,
            record,
            config: Arc::new(config),
            redactor: Redactor::new(&[]).expect("redactor"),
            voice: true,
            recording: true,
            http_origin: "http://127.0.0.1:8080".to_string(),
        };
        let mut harness = Harness {
            core: CallCore::new(setup, now),
            now,
            outputs: Vec::new(),
            caller_media: true,
            leg_media: true,
            voice: true,
            _flows: directory,
        };
        harness.core.start(now);
        harness.drain();
        harness
    }

    /// Takes the outputs so far.
    pub fn take(&mut self) -> Vec<CallOutput> {
        std::mem::take(&mut self.outputs)
    }

    /// Feeds one input at the current time.
    pub fn input(&mut self, input: CallInput) {
        self.core.handle_input(self.now, input);
        self.drain();
    }

    /// Moves time on by `duration` in media ticks, running the core's timers as a driver does.
    pub fn wait(&mut self, duration: Duration) {
        let end = self.now.instant + duration;
        while self.now.instant < end {
            let step = TICK.min(end - self.now.instant);
            self.now = self.now.after(step);
            let activity = MediaActivity {
                caller: self.caller_media.then_some(self.now.instant),
                legs: [self.leg_media.then_some(self.now.instant); 3],
            };
            self.core.handle_timeout(self.now, &activity);
            self.drain();
        }
    }

    /// The caller presses keys, one after the other.
    pub fn press(&mut self, keys: &str) {
        for key in keys.chars() {
            self.input(CallInput::Key(key, KeySource::Rfc4733));
        }
    }

    /// Whatever the caller hears plays to its end.
    pub fn play_out(&mut self) {
        if self.core.playback().playing {
            self.input(CallInput::PlaybackFinished);
        }
    }

    /// The caller finishes a turn that the recogniser heard as `text`.
    pub fn say(&mut self, text: &str) {
        self.say_in(Language::English, text);
    }

    /// The caller finishes a turn that the recogniser heard as `text` in `language`.
    pub fn say_in(&mut self, language: Language, text: &str) {
        let transcript = Transcript {
            language,
            ..transcript(text)
        };
        self.input(CallInput::Recognised(Recognised::Turn(Ok(transcript))));
    }

    /// An event on the leg in `slot`.
    pub fn leg(&mut self, slot: Slot, event: LegEvent) {
        self.input(CallInput::Leg(slot, event));
    }

    /// Answers what a real executor answers at once, until nothing more comes.
    fn drain(&mut self) {
        while let Some(output) = self.core.poll_output() {
            let replies = match &output {
                CallOutput::Understand { text, confidence } => {
                    vec![CallInput::Errand(FlowEvent::Speech {
                        text: text.clone(),
                        confidence: *confidence,
                        meaning: None,
                    })]
                }
                CallOutput::Say(text) if self.voice => vec![
                    CallInput::Spoken(Some(Ok(speech_chunk(text)))),
                    CallInput::Spoken(None),
                ],
                _ => Vec::new(),
            };
            self.outputs.push(output);
            for reply in replies {
                self.core.handle_input(self.now, reply);
            }
        }
    }
}

/// A transcript of `text` as whisper gives it.
pub fn transcript(text: &str) -> Transcript {
    Transcript {
        text: text.to_string(),
        language: Language::English,
        confidence: 0.9,
        audio_seconds: 1.0,
        decode_seconds: 0.2,
    }
}

/// One synthesized sentence saying `text` (a second of silence stands in for the voice).
pub fn speech_chunk(text: &str) -> SpeechChunk {
    SpeechChunk {
        samples: Arc::from(vec![0i16; 8000]),
        sample_rate: 8000,
        text: text.to_string(),
    }
}

/// What the caller was played or told, in order: prompt file names, music, and the text of
/// each answer.
pub fn heard(outputs: &[CallOutput]) -> Vec<String> {
    outputs
        .iter()
        .filter_map(|output| match output {
            CallOutput::Play(Sound::Prompt(path)) => path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned()),
            CallOutput::Play(Sound::Music(_)) => Some("(music)".to_string()),
            CallOutput::Say(text) => Some(text.clone()),
            CallOutput::StopPlayback => Some("(stop)".to_string()),
            _ => None,
        })
        .collect()
}
