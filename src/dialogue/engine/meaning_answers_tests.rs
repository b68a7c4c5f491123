//! Tests of the pure early-end decisions: which speculative transcripts, with which meanings,
//! settle an intent step, a menu or a step that does not listen, exactly as the final turn
//! would.

use chrono::{TimeZone, Utc};

use super::Meaning;
use super::simulated_call::{Call, entered, parse};

const FLOW: &str = r##"
schema = 1
name = "desk"
start = "greeting"

[escalation]
step = "agent"
human_intents = ["speak_to_agent"]
complaint_intents = ["complaint"]
default_group = "support"

[steps.greeting]
type = "intent"
text = "How can I help?"
intents = { order_status = "menu", store_hours = "notice" }
choices = { "1" = "menu" }
minimum_confidence = 0.5
invalid_text = "Sorry, I didn't get that."
on_failure = "bye"

[steps.menu]
type = "menu"
prompt = "menu.wav"
choices = { "1" = "notice" }
phrases.1 = ["hours"]
on_failure = "bye"

[steps.notice]
type = "play"
prompt = "notice.wav"
barge_in = false
next = "bye"

[steps.agent]
type = "transfer"
reason = "the caller asked"
on_unavailable = "bye"

[steps.bye]
type = "hangup"
reason = "done"
"##;

fn at_greeting() -> Call {
    let wall = Utc.with_ymd_and_hms(2026, 6, 3, 14, 0, 0).unwrap();
    let mut call = Call::start_at(parse(FLOW), wall);
    call.actions();
    call.finished_playing();
    call
}

fn meaning(intent: Option<&str>) -> Meaning {
    Meaning {
        intent: intent.map(str::to_string),
        confidence: 0.9,
        ..Meaning::default()
    }
}

#[test]
fn an_intent_the_step_routes_answers_it() {
    let call = at_greeting();
    assert!(call.engine.routes_by_meaning());
    let order = meaning(Some("order_status"));
    assert!(
        call.engine
            .meaning_answers_step("where is my order", 0.9, &order)
    );
    assert!(
        !call.engine.answers_step("where is my order", 0.9),
        "words alone do not route an intent step"
    );
}

#[test]
fn a_no_match_an_unrouted_intent_or_low_confidence_does_not() {
    let call = at_greeting();
    let engine = &call.engine;
    assert!(!engine.meaning_answers_step("hmm well", 0.9, &meaning(None)));
    assert!(!engine.meaning_answers_step("my bill", 0.9, &meaning(Some("billing_issue"))));
    let order = meaning(Some("order_status"));
    assert!(!engine.meaning_answers_step("where is my order", 0.3, &order));
    assert!(!engine.meaning_answers_step("", 0.9, &order));
}

#[test]
fn a_key_said_alone_or_an_escalation_intent_answers_it() {
    let call = at_greeting();
    let engine = &call.engine;
    assert!(engine.meaning_answers_step("one", 0.9, &meaning(None)));
    assert!(engine.answers_step("one", 0.9));
    let person = meaning(Some("speak_to_agent"));
    assert!(engine.meaning_answers_step("a person please", 0.9, &person));
    let complaint = meaning(Some("complaint"));
    assert!(engine.meaning_answers_step("this is terrible", 0.9, &complaint));
}

#[test]
fn the_decision_matches_what_the_final_turn_does() {
    let mut call = at_greeting();
    let order = Some(meaning(Some("order_status")));
    let actions = call.say_meaning("where is my order", 0.9, order);
    assert!(actions.contains(&entered("menu")), "{actions:?}");
    let mut call = at_greeting();
    let actions = call.say_meaning(
        "where is my order",
        0.3,
        Some(meaning(Some("order_status"))),
    );
    assert!(!actions.contains(&entered("menu")), "{actions:?}");
}

#[test]
fn only_intent_steps_that_listen_route_by_meaning() {
    let mut call = at_greeting();
    call.press("1");
    assert_eq!(call.engine.step(), Some("menu"));
    assert!(!call.engine.routes_by_meaning());
    let hours = meaning(Some("store_hours"));
    assert!(!call.engine.meaning_answers_step("what time", 0.9, &hours));
    assert!(call.engine.meaning_answers_step("hours", 0.9, &hours));
    call.finished_playing();
    call.press("1");
    assert_eq!(call.engine.step(), Some("notice"));
    assert!(!call.engine.meaning_answers_step("one", 0.9, &hours));
}

#[test]
fn a_finished_flow_is_answered_by_nothing() {
    let mut call = at_greeting();
    call.press("1");
    call.finished_playing();
    call.press("1");
    call.finished_playing();
    call.finished_playing();
    assert!(call.engine.is_finished());
    assert!(!call.engine.routes_by_meaning());
    let order = meaning(Some("order_status"));
    assert!(!call.engine.meaning_answers_step("one", 0.9, &order));
}
