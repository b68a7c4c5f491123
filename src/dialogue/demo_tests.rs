//! Tests of the demo flow's recording notice and order-number confirmation on simulated time,
//! by key (as on the DTMF-only line) and by voice.

use std::path::Path;

use chrono::{TimeZone, Utc};

use super::FlowAction;
use super::load_flows;
use super::simulated_call::{Call, collected, entered, heard, say};

const CONFIRMATION: &str = "I have your order number as 123456. Is that right? \
     Say yes or no, or press 1 for yes and 2 for no.";

/// A demo call that has just started.
fn demo_call() -> Call {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("prompts/demo");
    let flows = load_flows(&demo).expect("demo flows load");
    let main = flows.get("main").expect("flow 'main'");
    let wall = Utc.with_ymd_and_hms(2026, 6, 3, 14, 0, 0).unwrap();
    Call::start_at((*main).clone(), wall)
}

/// A demo call whose caller entered order number 123456 and is asked to confirm it.
fn confirming() -> Call {
    let mut call = demo_call();
    call.actions();
    call.finished_playing();
    call.press("1");
    call.finished_playing();
    let actions = call.press("123456#");
    assert_eq!(
        actions,
        vec![
            collected("order_number", "123456"),
            entered("confirm_order"),
            say(CONFIRMATION)
        ]
    );
    call
}

#[test]
fn the_recording_notice_plays_to_its_end() {
    let mut call = demo_call();
    let started = call.actions();
    assert!(
        matches!(started.as_slice(), [_, FlowAction::Play { path, barge_in: false }]
            if path.ends_with("audio/recording-notice.wav")),
        "{started:?}"
    );
    assert_eq!(call.press("1"), vec![]);
    assert_eq!(call.start_speaking(), vec![]);
    let actions = call.finished_playing();
    assert!(actions.contains(&entered("greeting")), "{actions:?}");
}

#[test]
fn a_key_confirms_the_order_number() {
    let mut call = confirming();
    call.finished_playing();
    let expected = vec![
        collected("order_confirmed", "1"),
        entered("order_noted"),
        say("Thank you. An agent will have the details of order 123456 when you speak with them."),
    ];
    assert_eq!(call.press("1"), expected);
    assert!(call.finished_playing().contains(&entered("menu")));
}

#[test]
fn a_spoken_yes_or_no_answers_the_confirmation() {
    let mut call = confirming();
    let actions = call.say("Yes, that's right.", 0.8);
    assert_eq!(
        actions[..3],
        [
            heard("Yes, that's right.", "confirm_order", Some("1")),
            FlowAction::StopPlayback,
            collected("order_confirmed", "1"),
        ]
    );
    let mut call = confirming();
    call.finished_playing();
    let actions = call.say("No, that's not right.", 0.8);
    assert!(
        actions.contains(&collected("order_confirmed", "2"))
            && actions.contains(&entered("order_number")),
        "{actions:?}"
    );
}

#[test]
fn the_confirmation_expects_yes_and_no() {
    let call = confirming();
    let expected = call.engine.expected_phrases();
    assert!(
        expected.contains(&"yes".to_string()) && expected.contains(&"no".to_string()),
        "{expected:?}"
    );
}
