//! Engine tests for speech on simulated time: spoken menu choices, spoken digit entries, the
//! failure paths they share with keys, `Heard` reports and the recogniser's expected phrases.

use chrono::{TimeZone, Utc};

use super::FlowAction;
use super::simulated_call::{self, Call, entered, hangup, heard, parse, play};

const FLOW: &str = r##"
schema = 1
name = "speech"
start = "menu"
minimum_confidence = 0.5

[steps.menu]
type = "menu"
prompt = "menu.wav"
choices = { "1" = "order", "2" = "returns", "0" = "agent", "*" = "bye" }
phrases = { "1" = ["order", "where is my order", "track"], "2" = ["return", "return my order"], "0" = ["agent", "person"], "*" = ["that's all"] }
retries = 1
no_input_prompt = "no-input.wav"
invalid_prompt = "invalid.wav"
on_failure = "failed"

[steps.order]
type = "collect"
prompt = "order.wav"
variable = "order_number"
min_digits = 5
max_digits = 8
terminator = "#"
retries = 1
invalid_prompt = "invalid.wav"
next = "thanks"
on_failure = "failed"

[steps.thanks]
type = "play"
prompt = "thanks.wav"
next = "bye"

[steps.returns]
type = "play"
prompt = "returns.wav"
next = "menu"

[steps.agent]
type = "play"
prompt = "agent.wav"
next = "menu"

[steps.failed]
type = "hangup"
reason = "failed"

[steps.bye]
type = "hangup"
prompt = "bye.wav"
reason = "caller finished"
"##;

/// A call waiting in the menu, its prompt finished.
fn in_menu() -> Call {
    let wall = Utc.with_ymd_and_hms(2026, 6, 3, 14, 0, 0).unwrap();
    let mut call = Call::start_at(parse(FLOW), wall);
    call.actions();
    call.finished_playing();
    call
}

/// A call waiting in the order number step, its prompt finished.
fn in_order_step() -> Call {
    let mut call = in_menu();
    call.say("track", 0.9);
    call.finished_playing();
    call
}

fn collected(value: &str) -> FlowAction {
    simulated_call::collected("order_number", value)
}

/// What choosing `key` in the menu by saying `text` gives: the report, then the step chosen
/// (`step`) and its prompt.
fn chose(text: &str, key: &str, step: &str) -> Vec<FlowAction> {
    vec![
        heard(text, "menu", Some(key)),
        entered(step),
        play(&format!("{step}.wav")),
    ]
}

#[test]
fn a_spoken_choice_ignores_case_and_punctuation() {
    let mut call = in_menu();
    let text = "Uh, WHERE is my order?!";
    assert_eq!(call.say(text, 0.9), chose(text, "1", "order"));
    assert!(call.engine.digits().is_empty(), "speech is not a key press");
}

#[test]
fn the_longest_matching_phrase_wins() {
    let mut call = in_menu();
    let text = "I'd like to return my order.";
    assert_eq!(call.say(text, 0.9), chose(text, "2", "returns"));
}

#[test]
fn a_key_said_alone_picks_its_choice_in_english_or_chinese() {
    for text in ["one", "Press one.", "一", "按一", "请按1。", "幺"] {
        let mut call = in_menu();
        assert_eq!(call.say(text, 0.9), chose(text, "1", "order"), "{text}");
    }
    let mut call = in_menu();
    assert_eq!(call.say("按零", 0.9), chose("按零", "0", "agent"));
}

#[test]
fn chinese_digits_complete_an_entry() {
    let mut call = in_order_step();
    let text = "我的订单号是一二三四五";
    assert_eq!(
        call.say(text, 0.9),
        vec![
            heard(text, "order", Some("12345")),
            collected("12345"),
            entered("thanks"),
            play("thanks.wav")
        ]
    );
}

#[test]
fn unknown_speech_is_invalid_then_the_menu_gives_up() {
    let mut call = in_menu();
    assert_eq!(
        call.say("the weather is nice", 0.9),
        vec![
            heard("the weather is nice", "menu", None),
            play("invalid.wav")
        ]
    );
    assert_eq!(call.finished_playing(), vec![play("menu.wav")]);
    call.finished_playing();
    assert_eq!(
        call.say("reorder", 0.9),
        vec![
            heard("reorder", "menu", None),
            entered("failed"),
            hangup("failed")
        ]
    );
    assert!(call.engine.is_finished());
}

#[test]
fn an_empty_transcript_is_no_input_and_shares_the_attempts() {
    let mut call = in_menu();
    assert_eq!(
        call.say(" ... ", 0.0),
        vec![heard(" ... ", "menu", None), play("no-input.wav")]
    );
    call.finished_playing();
    call.finished_playing();
    assert_eq!(
        call.press("9"),
        vec![entered("failed"), hangup("failed")],
        "a no-input and an invalid key use up the one retry"
    );
}

#[test]
fn low_confidence_speech_is_invalid() {
    let mut call = in_menu();
    assert_eq!(
        call.say("agent", 0.4),
        vec![heard("agent", "menu", None), play("invalid.wav")]
    );
    call.finished_playing();
    call.finished_playing();
    assert_eq!(
        call.say("agent", f32::NAN),
        vec![
            heard("agent", "menu", None),
            entered("failed"),
            hangup("failed")
        ]
    );
}

#[test]
fn speech_during_a_prompt_barges_in() {
    let mut call = Call::start_at(parse(FLOW), Utc::now());
    call.actions();
    assert_eq!(
        call.say("A person, please.", 0.8),
        vec![
            heard("A person, please.", "menu", Some("0")),
            FlowAction::StopPlayback,
            entered("agent"),
            play("agent.wav")
        ]
    );
    assert_eq!(
        call.say("agent", 0.8),
        vec![
            heard("agent", "agent", None),
            FlowAction::StopPlayback,
            entered("menu"),
            play("menu.wav")
        ],
        "speech stops a play step, which continues at `next` without using it"
    );
}

#[test]
fn a_spoken_order_number_is_collected_without_a_terminator() {
    for text in [
        "one two three four five",
        "12345.",
        "It's 1 2 3 4 5",
        "oh one double two 3 4",
    ] {
        let mut call = in_order_step();
        let value = if text.starts_with("oh") {
            "012234"
        } else {
            "12345"
        };
        assert_eq!(
            call.say(text, 0.9),
            vec![
                heard(text, "order", Some(value)),
                collected(value),
                entered("thanks"),
                play("thanks.wav")
            ],
            "{text}"
        );
        assert_eq!(
            call.engine
                .variables()
                .get("order_number")
                .map(String::as_str),
            Some(value)
        );
    }
}

#[test]
fn spoken_digits_continue_keyed_digits() {
    let mut call = in_order_step();
    call.press("12");
    assert_eq!(
        call.say("three four five", 0.9),
        vec![
            heard("three four five", "order", Some("12345")),
            collected("12345"),
            entered("thanks"),
            play("thanks.wav")
        ]
    );
}

#[test]
fn too_few_or_too_many_spoken_digits_are_invalid() {
    let mut call = in_order_step();
    assert_eq!(
        call.say("one two three", 0.9),
        vec![heard("one two three", "order", None), play("invalid.wav")]
    );
    assert_eq!(call.finished_playing(), vec![play("order.wav")]);
    call.finished_playing();
    assert_eq!(
        call.say("1234567890", 0.9),
        vec![
            heard("1234567890", "order", None),
            entered("failed"),
            hangup("failed")
        ]
    );
    assert!(call.engine.variables().is_empty());
}

#[test]
fn expected_phrases_follow_the_step() {
    let mut call = in_menu();
    let menu: Vec<String> = [
        "that's all",
        "agent",
        "person",
        "order",
        "where is my order",
        "track",
        "return",
        "return my order",
    ]
    .map(String::from)
    .to_vec();
    assert_eq!(call.engine.expected_phrases(), menu);
    call.say("order", 0.9);
    let digits = call.engine.expected_phrases();
    assert!(digits.contains(&"five".to_string()) && digits.contains(&"oh".to_string()));
    call.say("12345", 0.9);
    assert_eq!(
        call.engine.expected_phrases(),
        Vec::<String>::new(),
        "play step"
    );
    call.finished_playing();
    call.finished_playing();
    assert!(call.engine.is_finished());
    assert!(call.engine.expected_phrases().is_empty());
}
