//! Speculative understanding in an intent step on simulated time: a confident meaning of the
//! paused turn ends it at once, a no-match or a doubtful transcript does not, a stale meaning
//! (the caller went on, the step changed) is ignored, and the final turn of the same words is
//! never understood twice.

use super::harness::{Harness, heard, transcript};
use super::{CallInput, CallOutput, Recognised};
use crate::asr::Transcript;
use crate::dialogue::Meaning;

/// An intent step that routes orders, and a menu to move to by key.
const FLOW: &str = r#"
schema = 1
name = "core"
start = "greeting"

[steps.greeting]
type = "intent"
text = "How can I help?"
intents = { order_status = "order" }
choices = { "9" = "menu" }
minimum_confidence = 0.5
invalid_text = "Sorry?"
on_failure = "bye"

[steps.order]
type = "say"
text = "Your order is on its way."
next = "bye"

[steps.menu]
type = "menu"
prompt = "{demo}/audio/menu.wav"
choices = { "1" = "order" }
on_failure = "bye"

[steps.bye]
type = "hangup"
reason = "caller finished"
"#;

/// A call whose greeting has played, waiting for the caller.
fn at_greeting() -> Harness {
    let mut call = Harness::start(FLOW);
    call.play_out();
    call.take();
    call
}

fn pause(call: &mut Harness, heard: Transcript) {
    call.input(CallInput::Recognised(Recognised::Tentative(heard)));
}

fn meaning_of(call: &mut Harness, text: &str, intent: Option<&str>) {
    let meaning = Meaning {
        intent: intent.map(str::to_string),
        confidence: 0.9,
        ..Meaning::default()
    };
    call.input(CallInput::TentativeMeaning {
        text: text.to_string(),
        meaning: Some(meaning),
    });
}

/// The turn ends: what the executor hands back for an `EndTurnWith`, or the recogniser for a
/// turn that ended on its silence.
fn turn_ends(call: &mut Harness, heard: Transcript) {
    call.input(CallInput::Recognised(Recognised::Turn(Ok(heard))));
}

fn asked_tentatively(outputs: &[CallOutput]) -> Vec<&str> {
    outputs
        .iter()
        .filter_map(|output| match output {
            CallOutput::UnderstandTentative { text } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

fn ended_with(outputs: &[CallOutput]) -> Vec<&str> {
    outputs
        .iter()
        .filter_map(|output| match output {
            CallOutput::EndTurnWith(transcript) => Some(transcript.text.as_str()),
            _ => None,
        })
        .collect()
}

fn understood(outputs: &[CallOutput]) -> usize {
    outputs
        .iter()
        .filter(|output| matches!(output, CallOutput::Understand { .. }))
        .count()
}

#[test]
fn a_confident_meaning_ends_the_turn_and_is_not_asked_for_again() {
    let mut call = at_greeting();
    pause(&mut call, transcript("where is my order"));
    assert_eq!(asked_tentatively(&call.take()), ["where is my order"]);
    meaning_of(&mut call, "where is my order", Some("order_status"));
    assert_eq!(ended_with(&call.take()), ["where is my order"]);
    turn_ends(&mut call, transcript("where is my order"));
    let outputs = call.take();
    assert_eq!(understood(&outputs), 0, "{outputs:?}");
    assert_eq!(heard(&outputs), ["Your order is on its way."]);
    assert_eq!(call.core.step(), Some("order"));
}

#[test]
fn a_no_match_or_a_doubtful_transcript_waits_for_the_silence() {
    let mut call = at_greeting();
    pause(&mut call, transcript("hmm well"));
    meaning_of(&mut call, "hmm well", None);
    assert!(ended_with(&call.take()).is_empty());
    // The turn ends on its silence: the no-match already known is what the flow hears.
    turn_ends(&mut call, transcript("hmm well"));
    let outputs = call.take();
    assert_eq!(understood(&outputs), 0, "{outputs:?}");
    assert_eq!(heard(&outputs), ["Sorry?"]);

    let mut call = at_greeting();
    let doubtful = Transcript {
        confidence: 0.3,
        ..transcript("where is my order")
    };
    pause(&mut call, doubtful);
    meaning_of(&mut call, "where is my order", Some("order_status"));
    assert!(ended_with(&call.take()).is_empty());
}

#[test]
fn a_meaning_of_words_the_caller_went_on_from_is_ignored() {
    let mut call = at_greeting();
    pause(&mut call, transcript("where is"));
    pause(&mut call, transcript("where is my order"));
    assert_eq!(
        asked_tentatively(&call.take()),
        ["where is", "where is my order"]
    );
    meaning_of(&mut call, "where is", Some("order_status"));
    assert!(ended_with(&call.take()).is_empty(), "stale");
    meaning_of(&mut call, "where is my order", Some("order_status"));
    assert_eq!(ended_with(&call.take()), ["where is my order"]);
}

#[test]
fn a_meaning_that_arrives_after_the_step_changed_is_ignored() {
    let mut call = at_greeting();
    pause(&mut call, transcript("where is my order"));
    call.press("9");
    assert_eq!(call.core.step(), Some("menu"));
    call.take();
    meaning_of(&mut call, "where is my order", Some("order_status"));
    let outputs = call.take();
    assert!(ended_with(&outputs).is_empty(), "{outputs:?}");
    assert!(heard(&outputs).is_empty(), "{outputs:?}");
}

#[test]
fn a_turn_that_ends_before_its_meaning_waits_for_it() {
    let mut call = at_greeting();
    pause(&mut call, transcript("where is my order"));
    turn_ends(&mut call, transcript("where is my order"));
    let outputs = call.take();
    assert_eq!(understood(&outputs), 0, "asked once already: {outputs:?}");
    meaning_of(&mut call, "where is my order", Some("order_status"));
    let outputs = call.take();
    assert!(ended_with(&outputs).is_empty(), "the turn is over");
    assert_eq!(heard(&outputs), ["Your order is on its way."]);
}

#[test]
fn a_turn_of_other_words_is_understood_afresh() {
    let mut call = at_greeting();
    pause(&mut call, transcript("where is"));
    meaning_of(&mut call, "where is", None);
    turn_ends(&mut call, transcript("where is my order"));
    let outputs = call.take();
    assert_eq!(understood(&outputs), 1, "{outputs:?}");
    // No meaning at all (the service was busy): the turn's words are understood afresh too.
    let mut call = at_greeting();
    pause(&mut call, transcript("where is my order"));
    turn_ends(&mut call, transcript("where is my order"));
    call.take();
    call.input(CallInput::TentativeMeaning {
        text: "where is my order".to_string(),
        meaning: None,
    });
    assert_eq!(understood(&call.take()), 1);
}

#[test]
fn only_intent_steps_understand_tentatively() {
    let mut call = at_greeting();
    call.press("9");
    call.play_out();
    call.take();
    pause(&mut call, transcript("where is my order"));
    assert!(asked_tentatively(&call.take()).is_empty());
}
