//! Engine tests of `ask` steps on simulated time: answers by speech and by key, free answers,
//! no-input and no-match retries, the failure path, input modes and the recogniser's expected
//! phrases.

use std::time::Duration;

use chrono::{TimeZone, Utc};

use super::FlowAction;
use super::simulated_call::{
    Call, collected, entered, hangup, heard, parse, play, say, say_to_the_end,
};

const FLOW: &str = r##"
schema = 1
name = "ask"
start = "order"
minimum_confidence = 0.5

[steps.order]
type = "collect"
prompt = "order.wav"
variable = "order_number"
max_digits = 5
terminator = "#"
next = "confirm"
on_failure = "failed"

[steps.confirm]
type = "ask"
text = "I heard {order_number}. Is that right?"
variable = "confirmed"
choices = { "1" = "name", "2" = "order" }
phrases.1 = ["yes", "yeah", "correct"]
phrases.2 = ["no", "wrong"]
timeout = "6s"
retries = 2
no_input_text = "Sorry, I didn't hear anything."
invalid_text = "Sorry, I didn't catch {heard}."
on_failure = "failed"

[steps.name]
type = "ask"
text = "What is your name?"
variable = "name"
retries = 1
no_input_text = "Please say your name."
next = "thanks"
on_failure = "failed"

[steps.thanks]
type = "say"
text = "Thank you, {name}. Your order is {order_number}."
next = "bye"

[steps.failed]
type = "hangup"
reason = "failed"

[steps.bye]
type = "hangup"
reason = "done"
"##;

const QUESTION: &str = "I heard 12345. Is that right?";

fn wall() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 3, 14, 0, 0).unwrap()
}

/// A call whose confirmation question is being spoken.
fn confirming() -> Call {
    let mut call = Call::start_at(parse(FLOW), wall());
    call.actions();
    call.finished_playing();
    assert_eq!(
        call.press("12345"),
        vec![
            collected("order_number", "12345"),
            entered("confirm"),
            say(QUESTION)
        ]
    );
    call
}

/// A call waiting for the answer to the confirmation question.
fn waiting_for_confirmation() -> Call {
    let mut call = confirming();
    assert_eq!(call.finished_playing(), vec![]);
    call
}

/// A call waiting for the caller's name.
fn waiting_for_name() -> Call {
    let mut call = waiting_for_confirmation();
    call.press("1");
    call.finished_playing();
    call
}

#[test]
fn the_timer_starts_when_the_question_was_spoken() {
    let mut call = confirming();
    assert_eq!(call.engine.poll_timeout(), None);
    call.finished_playing();
    assert_eq!(
        call.engine.poll_timeout(),
        Some(call.now + Duration::from_secs(6))
    );
}

#[test]
fn a_spoken_answer_takes_the_choice_and_stores_its_key() {
    let mut call = waiting_for_confirmation();
    let text = "Yeah, that's correct.";
    assert_eq!(
        call.say(text, 0.9),
        vec![
            heard(text, "confirm", Some("1")),
            collected("confirmed", "1"),
            entered("name"),
            say("What is your name?")
        ]
    );
    assert_eq!(
        call.engine.variables().get("confirmed").map(String::as_str),
        Some("1")
    );
}

#[test]
fn a_key_answers_and_stops_the_question() {
    let mut call = confirming();
    assert_eq!(
        call.press("2"),
        vec![
            FlowAction::StopPlayback,
            collected("confirmed", "2"),
            entered("order"),
            play("order.wav")
        ]
    );
}

#[test]
fn speech_over_the_question_stops_it_and_the_transcript_answers() {
    let mut call = confirming();
    assert_eq!(call.start_speaking(), vec![FlowAction::StopPlayback]);
    assert_eq!(
        call.engine.poll_timeout(),
        None,
        "waiting for the transcript"
    );
    assert_eq!(
        call.say("no", 0.9),
        vec![
            heard("no", "confirm", Some("2")),
            collected("confirmed", "2"),
            entered("order"),
            play("order.wav")
        ]
    );
}

#[test]
fn no_input_speaks_its_text_then_the_question_then_gives_up() {
    let mut call = waiting_for_confirmation();
    for _ in 0..2 {
        assert_eq!(call.wait(5), vec![]);
        assert_eq!(call.wait(1), vec![say("Sorry, I didn't hear anything.")]);
        assert_eq!(call.finished_playing(), vec![say(QUESTION)]);
        assert_eq!(call.finished_playing(), vec![]);
    }
    assert_eq!(call.wait(6), vec![entered("failed"), hangup("failed")]);
    assert!(call.engine.is_finished());
}

#[test]
fn no_match_speaks_its_text_with_what_was_heard() {
    let mut call = waiting_for_confirmation();
    assert_eq!(
        call.say("maybe later", 0.9),
        vec![
            heard("maybe later", "confirm", None),
            say("Sorry, I didn't catch maybe later.")
        ]
    );
    assert_eq!(call.finished_playing(), vec![say(QUESTION)]);
    call.finished_playing();
    assert_eq!(
        call.say("yes", 0.2),
        vec![
            heard("yes", "confirm", None),
            say("Sorry, I didn't catch yes.")
        ],
        "below minimum_confidence"
    );
    call.finished_playing();
    call.finished_playing();
    assert_eq!(
        call.press("7"),
        vec![entered("failed"), hangup("failed")],
        "a key that is no choice is the third failure"
    );
    assert!(!call.engine.variables().contains_key("confirmed"));
}

#[test]
fn a_free_answer_is_stored_and_used_by_later_texts() {
    let mut call = waiting_for_name();
    assert_eq!(call.engine.expected_phrases(), Vec::<String>::new());
    assert_eq!(
        call.say(" Ada Lovelace ", 0.8),
        vec![
            heard(" Ada Lovelace ", "name", Some("Ada Lovelace")),
            collected("name", "Ada Lovelace"),
            entered("thanks"),
            say("Thank you, Ada Lovelace. Your order is 12345.")
        ]
    );
}

#[test]
fn a_free_answer_needs_words_and_confidence() {
    let mut call = waiting_for_name();
    assert_eq!(
        call.say("...", 0.9),
        vec![heard("...", "name", None), say("Please say your name.")]
    );
    call.finished_playing();
    call.finished_playing();
    assert_eq!(
        call.say("Ada", 0.3),
        vec![
            heard("Ada", "name", None),
            entered("failed"),
            hangup("failed")
        ]
    );
    assert!(!call.engine.variables().contains_key("name"));
}

#[test]
fn keys_do_not_answer_a_free_question() {
    let mut call = waiting_for_confirmation();
    call.press("1");
    assert_eq!(call.press("5"), vec![], "keys do not stop the question");
    call.finished_playing();
    assert_eq!(call.press("5#"), vec![], "nor answer it");
    assert_eq!(call.engine.digits(), "12345155#");
}

#[test]
fn expected_phrases_are_the_choices_phrases() {
    let call = waiting_for_confirmation();
    assert_eq!(
        call.engine.expected_phrases(),
        ["yes", "yeah", "correct", "no", "wrong"].map(String::from)
    );
}

/// A call to a flow whose only question is an ask with `keys`, answered `yes` (1) or `no` (2),
/// and the actions it started with.
fn single_question(keys: &str) -> (Call, Vec<FlowAction>) {
    let source = format!(
        "schema = 1\nname = \"single\"\nstart = \"question\"\n\n[steps.question]\ntype = \"ask\"\n\
         text = \"Yes or no?\"\nchoices = {{ \"1\" = \"yes\", \"2\" = \"no\" }}\n{keys}\n\
         on_failure = \"no\"\n\n[steps.yes]\ntype = \"hangup\"\nreason = \"yes\"\n\n\
         [steps.no]\ntype = \"hangup\"\nreason = \"no\"\n"
    );
    let mut call = Call::start_at(parse(&source), wall());
    let actions = call.actions();
    (call, actions)
}

#[test]
fn input_dtmf_takes_only_keys() {
    let (mut call, started) = single_question("input = \"dtmf\"");
    assert_eq!(
        started,
        vec![entered("question"), say_to_the_end("Yes or no?")],
        "the driver need not watch for speech over a question that takes only keys"
    );
    assert_eq!(call.start_speaking(), vec![]);
    assert_eq!(call.say("yes", 0.9), vec![heard("yes", "question", None)]);
    call.finished_playing();
    assert_eq!(call.say("yes", 0.9), vec![heard("yes", "question", None)]);
    assert!(call.engine.expected_phrases().is_empty());
    assert_eq!(call.press("1"), vec![entered("yes"), hangup("yes")]);
}

#[test]
fn input_speech_takes_only_speech() {
    let keys = "input = \"speech\"\nphrases = { \"1\" = [\"yes\"], \"2\" = [\"no\"] }";
    let (mut call, _) = single_question(keys);
    assert_eq!(call.press("1"), vec![], "keys neither stop the question");
    call.finished_playing();
    assert_eq!(call.press("1"), vec![], "nor answer it");
    assert_eq!(
        call.say("No.", 0.9),
        vec![
            heard("No.", "question", Some("2")),
            entered("no"),
            hangup("no")
        ]
    );
}

#[test]
fn speech_and_keys_both_answer_by_default() {
    let keys = "phrases = { \"1\" = [\"yes\"] }";
    let (mut by_speech, started) = single_question(keys);
    assert_eq!(started, vec![entered("question"), say("Yes or no?")]);
    assert_eq!(
        by_speech.say("yes", 0.9),
        vec![
            heard("yes", "question", Some("1")),
            FlowAction::StopPlayback,
            entered("yes"),
            hangup("yes")
        ]
    );
    let (mut by_key, _) = single_question(keys);
    assert_eq!(
        by_key.press("2"),
        vec![FlowAction::StopPlayback, entered("no"), hangup("no")]
    );
}
