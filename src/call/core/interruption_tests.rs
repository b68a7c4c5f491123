//! Tests of the barge-in seam on simulated time: a recorded caller speaks over the prompts of a
//! real flow (a notice that cannot be interrupted, then a question that can), the real barge-in
//! detector watches the caller's 20 ms frames as the call actor does, and the flow decides what
//! stops. Frame `n` is time `n × 20 ms`; every prompt lasts `PROMPT_FRAMES`.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Utc;

use super::interruption::Interruption;
use crate::audio::{BargeInConfig, BargeInDetector, read_wav_i16};
use crate::dialogue::{FlowAction, FlowEngine, FlowEvent, load_flows};
use crate::media::{FRAME_SAMPLES, SAMPLE_RATE};

/// Frames each prompt of the simulated call plays for (4 s).
const PROMPT_FRAMES: usize = 200;
/// Frames of the simulated call: both prompts, and a little after.
const CALL_FRAMES: usize = 2 * PROMPT_FRAMES + 10;

const FLOW: &str = r##"
schema = 1
name = "seam"
start = "notice"

[steps.notice]
type = "say"
text = "Calls are recorded for quality and compliance."
barge_in = false
next = "question"

[steps.question]
type = "ask"
text = "How can I help you today?"
variable = "request"
next = "question"
on_failure = "question"
"##;

/// What happened to one prompt of the simulated call.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    /// It played for all its frames.
    PlayedToTheEnd,
    /// The flow stopped it this many frames after it started.
    StoppedAfter(usize),
}

/// The caller's audio: silence, with `speech` starting at each frame of `onsets`.
fn caller_audio(speech: &[i16], onsets: &[usize], frames: usize) -> Vec<i16> {
    let mut audio = vec![0; frames * FRAME_SAMPLES];
    for onset in onsets {
        let start = onset * FRAME_SAMPLES;
        let end = (start + speech.len()).min(audio.len());
        audio[start..end].copy_from_slice(&speech[..end - start]);
    }
    audio
}

/// Runs the flow for the caller's audio as the call actor does, and reports each prompt.
fn run_call(caller: &[i16]) -> Vec<Outcome> {
    let directory = tempfile::tempdir().expect("temporary directory");
    std::fs::write(directory.path().join("seam.flow.toml"), FLOW).expect("write flow");
    let flows = load_flows(directory.path()).expect("flow loads");
    let mut flow = FlowEngine::new(flows.get("seam").expect("flow 'seam'"));
    let mut detector =
        BargeInDetector::new(SAMPLE_RATE, &BargeInConfig::default()).expect("config");
    let mut interruption = Interruption::default();
    let start = Instant::now();
    let mut outcomes = Vec::new();
    let mut prompt_started_at: Option<usize> = None;
    let mut watched = false;
    flow.start(start, Utc::now());
    for (index, frame) in caller.chunks_exact(FRAME_SAMPLES).enumerate() {
        let now = start + Duration::from_millis(20 * index as u64);
        while let Some(action) = flow.poll_action() {
            match action {
                FlowAction::Play { barge_in, .. } | FlowAction::Say { barge_in, .. } => {
                    interruption.prompt_started(barge_in);
                    prompt_started_at = Some(index);
                }
                FlowAction::StopPlayback => {
                    let started = prompt_started_at.take().expect("a prompt plays");
                    outcomes.push(Outcome::StoppedAfter(index - started));
                }
                _ => {}
            }
        }
        if prompt_started_at.is_some_and(|started| index - started == PROMPT_FRAMES) {
            prompt_started_at = None;
            outcomes.push(Outcome::PlayedToTheEnd);
            flow.handle_event(now, Utc::now(), FlowEvent::PlaybackFinished);
        }
        let watching = interruption.watching(prompt_started_at.is_some());
        if watching {
            if detector.handle_frame(frame).expect("20 ms frame").is_some() {
                interruption.detected(&mut flow, now, Utc::now());
            }
        } else if watched {
            detector.reset();
        }
        watched = watching;
    }
    outcomes
}

fn talk_to_a_person() -> Vec<i16> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("audio-fixtures/speech/talk-to-a-person.wav");
    let (samples, channels, rate) = read_wav_i16(&path).expect("fixture reads");
    assert_eq!((channels, rate), (1, SAMPLE_RATE));
    samples
}

#[test]
fn speech_over_a_notice_that_cannot_be_interrupted_lets_it_play_to_its_end() {
    let caller = caller_audio(&talk_to_a_person(), &[25], CALL_FRAMES);
    assert_eq!(
        run_call(&caller),
        vec![Outcome::PlayedToTheEnd, Outcome::PlayedToTheEnd]
    );
}

#[test]
fn speech_over_the_next_prompt_stops_it_quickly() {
    let caller = caller_audio(&talk_to_a_person(), &[25, PROMPT_FRAMES + 25], CALL_FRAMES);
    let outcomes = run_call(&caller);
    let [Outcome::PlayedToTheEnd, Outcome::StoppedAfter(frames)] = outcomes.as_slice() else {
        panic!("{outcomes:?}");
    };
    // The speech began 25 frames in (plus the fixture's lead-in); barge-in needs 250 ms of it.
    assert!(
        (25 + 12..=25 + 40).contains(frames),
        "stopped after {frames} frames"
    );
}
