//! Engine tests of `barge_in = false` on simulated time: while a step's prompts play, keys and
//! speech are ignored (keys are recorded, not buffered; speech is reported), the driver is told
//! not to watch for speech, and input counts again once the prompts finished. `hangup` prompts
//! are never interrupted, and interruptible prompts stop on `SpeechStarted`.

use chrono::{TimeZone, Utc};

use super::FlowAction;
use super::simulated_call::{
    Call, collected, entered, hangup, heard, parse, play, play_to_the_end, say_to_the_end,
};

const FLOW: &str = r##"
schema = 1
name = "barge-in"
start = "notice"

[steps.notice]
type = "say"
text = "Calls are recorded."
barge_in = false
next = "legal"

[steps.legal]
type = "play"
prompt = "legal.wav"
barge_in = false
next = "menu"

[steps.menu]
type = "menu"
prompt = "menu.wav"
choices = { "1" = "account", "2" = "question", "3" = "info" }
phrases = { "1" = ["account"], "2" = ["question"] }
barge_in = false
no_input_prompt = "no-input.wav"
invalid_prompt = "invalid.wav"
on_failure = "bye"

[steps.account]
type = "collect"
prompt = "account.wav"
variable = "account"
max_digits = 3
barge_in = false
next = "question"
on_failure = "bye"

[steps.question]
type = "ask"
text = "Yes or no?"
variable = "answer"
choices = { "1" = "bye", "2" = "bye" }
phrases = { "1" = ["yes"], "2" = ["no"] }
barge_in = false
on_failure = "bye"

[steps.info]
type = "play"
prompt = "info.wav"
next = "bye"

[steps.bye]
type = "hangup"
prompt = "bye.wav"
reason = "done"
"##;

fn start() -> Call {
    let wall = Utc.with_ymd_and_hms(2026, 6, 3, 14, 0, 0).unwrap();
    Call::start_at(parse(FLOW), wall)
}

/// A call whose menu prompt has just started.
fn in_menu() -> Call {
    let mut call = start();
    call.actions();
    call.finished_playing();
    assert_eq!(
        call.finished_playing(),
        vec![entered("menu"), play_to_the_end("menu.wav")]
    );
    call
}

#[test]
fn a_notice_ignores_keys_and_speech_and_plays_to_its_end() {
    let mut call = start();
    assert_eq!(
        call.actions(),
        vec![entered("notice"), say_to_the_end("Calls are recorded.")]
    );
    assert_eq!(call.press("1"), vec![]);
    assert_eq!(call.start_speaking(), vec![]);
    assert_eq!(call.say("stop", 0.9), vec![heard("stop", "notice", None)]);
    assert_eq!(
        call.finished_playing(),
        vec![entered("legal"), play_to_the_end("legal.wav")]
    );
    assert_eq!(call.press("#"), vec![]);
    assert_eq!(call.start_speaking(), vec![]);
    assert_eq!(
        call.finished_playing(),
        vec![entered("menu"), play_to_the_end("menu.wav")]
    );
    assert_eq!(
        call.engine.digits(),
        "1#",
        "ignored keys are still recorded"
    );
}

#[test]
fn a_menu_takes_input_only_once_its_prompt_finished() {
    let mut call = in_menu();
    assert_eq!(call.press("1"), vec![], "not buffered either");
    assert_eq!(call.start_speaking(), vec![]);
    assert_eq!(
        call.say("account", 0.9),
        vec![heard("account", "menu", None)]
    );
    assert_eq!(call.finished_playing(), vec![]);
    assert_eq!(
        call.say("account", 0.9),
        vec![
            heard("account", "menu", Some("1")),
            entered("account"),
            play_to_the_end("account.wav")
        ]
    );
}

#[test]
fn failure_prompts_of_the_step_cannot_be_interrupted_either() {
    let mut call = in_menu();
    call.finished_playing();
    assert_eq!(call.press("9"), vec![play_to_the_end("invalid.wav")]);
    assert_eq!(call.press("1"), vec![]);
    assert_eq!(call.finished_playing(), vec![play_to_the_end("menu.wav")]);
    assert_eq!(call.press("1"), vec![]);
    assert_eq!(call.finished_playing(), vec![]);
    assert_eq!(
        call.press("3"),
        vec![entered("info"), play("info.wav")],
        "input counts once the prompts finished"
    );
    assert_eq!(
        call.start_speaking(),
        vec![FlowAction::StopPlayback],
        "the next step's prompt may be interrupted again"
    );
}

#[test]
fn collect_and_ask_ignore_input_while_their_prompts_play() {
    let mut call = in_menu();
    call.finished_playing();
    call.press("1");
    assert_eq!(call.press("123"), vec![], "type-ahead is off");
    call.finished_playing();
    assert_eq!(
        call.press("123"),
        vec![
            collected("account", "123"),
            entered("question"),
            say_to_the_end("Yes or no?")
        ]
    );
    assert_eq!(call.say("yes", 0.9), vec![heard("yes", "question", None)]);
    assert_eq!(call.press("1"), vec![]);
    call.finished_playing();
    assert_eq!(
        call.say("yes", 0.9),
        vec![
            heard("yes", "question", Some("1")),
            collected("answer", "1"),
            entered("bye"),
            play_to_the_end("bye.wav")
        ]
    );
}

#[test]
fn hangup_prompts_are_never_interrupted() {
    let mut call = in_menu();
    call.finished_playing();
    call.press("3");
    call.finished_playing();
    assert_eq!(call.start_speaking(), vec![]);
    assert_eq!(call.press("1"), vec![]);
    assert_eq!(call.say("hello", 0.9), vec![heard("hello", "bye", None)]);
    assert_eq!(call.finished_playing(), vec![hangup("done")]);
}

#[test]
fn speech_started_means_nothing_when_no_prompt_plays() {
    let mut call = in_menu();
    call.finished_playing();
    let deadline = call.engine.poll_timeout();
    assert_eq!(call.start_speaking(), vec![]);
    assert_eq!(
        call.engine.poll_timeout(),
        deadline,
        "the timer keeps running"
    );
}
