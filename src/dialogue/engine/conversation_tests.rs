//! Engine tests of the conversational steps on simulated time: `intent` routing by meaning and
//! by key with its no-match re-prompt, slots reused by `collect`, `answer` from the knowledge
//! base, `lookup` with its outcomes and guard timer, `branch`, and `transfer` with the
//! escalation policy and the conversation summary.

use chrono::{TimeZone, Utc};

use super::simulated_call::{Call, collected, entered, heard, parse, say, say_to_the_end};
use super::summary::Party;
use super::{FlowAction, Handover, Meaning};
use crate::dialogue::flow_file::lookup::{LookupMethod, LookupOutcome, LookupRequest};
use crate::dialogue::flow_file::model::Priority;
use crate::dialogue::language::knowledge::Retrieval;

const FLOW: &str = r##"
schema = 1
name = "desk"
start = "greeting"

[slots]
order_number = { kind = "digits", min = 5, max = 8 }
callback_date = { kind = "date" }

[escalation]
step = "agent"
human_intents = ["speak_to_agent"]
complaint_intents = ["complaint"]
negative_sentiment = -0.5
no_matches = 3
vip_variable = "customer_vip"
default_group = "support"
groups = { order_status = "orders", refund_status = "orders" }

[steps.greeting]
type = "intent"
text = "How can I help?"
intents = { order_status = "order_number", store_hours = "hours", refund_status = "order_number" }
choices = { "1" = "order_number" }
invalid_text = "Sorry, I didn't get that."
on_failure = "offer_agent"

[steps.order_number]
type = "collect"
prompt = "order.wav"
variable = "order_number"
min_digits = 5
max_digits = 8
terminator = "#"
reuse = true
next = "find_order"
on_failure = "greeting"

[steps.find_order]
type = "lookup"
url = "{server}/orders/{order_number}"
timeout = "2s"
retries = 1
map = { order_status = "/status", carrier = "/carrier" }
wait_text = "One moment."
next = "status"
on_not_found = "unknown_order"
on_error = "backend_down"

[steps.status]
type = "branch"
variable = "order_status"
cases = { shipped = "shipped" }
default = "other_status"

[steps.shipped]
type = "say"
text = "Order {order_number} is on its way with {carrier}."
next = "greeting"

[steps.other_status]
type = "say"
text = "Order {order_number} is {order_status}."
next = "greeting"

[steps.unknown_order]
type = "say"
text = "I can't find that order."
next = "greeting"

[steps.backend_down]
type = "say"
text = "Sorry, I can't look that up right now."
next = "offer_agent"

[steps.hours]
type = "answer"
next = "greeting"
on_no_answer = "offer_agent"

[steps.offer_agent]
type = "ask"
text = "Shall I get you a person?"
choices = { "1" = "agent", "2" = "greeting" }
phrases.1 = ["yes"]
phrases.2 = ["no"]
on_failure = "agent"

[steps.agent]
type = "transfer"
reason = "the caller accepted an agent"
text = "Connecting you."
on_unavailable = "busy"

[steps.busy]
type = "ask"
text = "Nobody is free. When shall we call you back?"
variable = "callback_date"
slot = "callback_date"
invalid_text = "Please say a day."
next = "bye"
on_failure = "bye"

[steps.bye]
type = "hangup"
reason = "done"
"##;

fn start() -> Call {
    let wall = Utc.with_ymd_and_hms(2026, 11, 23, 15, 0, 0).unwrap();
    let mut call = Call::start_at(parse(FLOW), wall);
    call.engine.set_variable("server", "http://127.0.0.1:9");
    call.actions();
    call.finished_playing();
    call
}

fn meaning(intent: Option<&str>) -> Meaning {
    Meaning {
        intent: intent.map(String::from),
        confidence: 0.9,
        ..Meaning::default()
    }
}

fn lookup_request(actions: &[FlowAction]) -> Option<&LookupRequest> {
    actions.iter().find_map(|action| match action {
        FlowAction::Lookup(request) => Some(request),
        _ => None,
    })
}

fn handover_of(actions: &[FlowAction]) -> Option<&Handover> {
    actions.iter().find_map(|action| match action {
        FlowAction::Transfer(handover) => Some(handover.as_ref()),
        _ => None,
    })
}

#[test]
fn an_intent_with_its_slot_skips_the_question_and_answers_from_the_backend() {
    let mut call = start();
    let understood = meaning(Some("order_status"));
    let actions = call.say_meaning(
        "where is order one two three four five",
        0.9,
        Some(understood),
    );
    assert!(
        actions.contains(&collected("order_number", "12345")),
        "{actions:?}"
    );
    assert!(
        actions.contains(&entered("find_order")),
        "no question asked: {actions:?}"
    );
    let request = lookup_request(&actions).expect("a lookup");
    assert_eq!(request.method, LookupMethod::Get);
    assert_eq!(request.url, "http://127.0.0.1:9/orders/12345");
    assert!(actions.contains(&say_to_the_end("One moment.")));
    // The answer arrives while "One moment." plays: it is held until that finished.
    let found = serde_json::json!({"status": "shipped", "carrier": "UPS"});
    assert!(call.lookup_answered(LookupOutcome::Found(found)).is_empty());
    let actions = call.finished_playing();
    assert!(
        actions.contains(&collected("carrier", "UPS")),
        "{actions:?}"
    );
    assert!(
        actions.contains(&say("Order 12345 is on its way with UPS.")),
        "{actions:?}"
    );
}

#[test]
fn a_follow_up_reuses_the_order_number_given_before() {
    let mut call = start();
    call.say("1", 1.0);
    call.finished_playing();
    call.say("one two three four five", 0.9);
    call.finished_playing();
    let found = serde_json::json!({"status": "refunded"});
    let actions = call.lookup_answered(LookupOutcome::Found(found));
    assert!(
        actions.contains(&say("Order 12345 is refunded.")),
        "{actions:?}"
    );
    call.finished_playing();
    let actions = call.say_meaning("and the refund?", 0.9, Some(meaning(Some("refund_status"))));
    let request = lookup_request(&actions).expect("looked up again without asking");
    assert!(request.url.ends_with("/orders/12345"), "{}", request.url);
}

#[test]
fn not_found_failed_and_silent_backends_each_have_their_way_out() {
    let mut call = start();
    call.press("1");
    call.finished_playing();
    call.press("99999#");
    call.finished_playing();
    let actions = call.lookup_answered(LookupOutcome::NotFound);
    assert!(
        actions.contains(&say("I can't find that order.")),
        "{actions:?}"
    );
    call.finished_playing();

    let mut call = start();
    call.press("1");
    call.finished_playing();
    call.press("12345#");
    call.finished_playing();
    let failed = LookupOutcome::Failed {
        reason: "timed out after 2s (2 attempts)".into(),
    };
    let actions = call.lookup_answered(failed);
    assert!(
        actions.contains(&say("Sorry, I can't look that up right now.")),
        "{actions:?}"
    );

    // A driver that never answers: the step's guard timer gives up after every attempt's timeout.
    let mut call = start();
    call.press("1");
    call.finished_playing();
    call.press("12345#");
    call.finished_playing();
    assert!(
        call.wait(5).is_empty(),
        "still within (2s + 1s) x 2 attempts"
    );
    let actions = call.wait(2);
    assert!(
        actions.contains(&say("Sorry, I can't look that up right now.")),
        "{actions:?}"
    );
}

#[test]
fn no_match_re_prompts_once_then_offers_an_agent() {
    let mut call = start();
    let actions = call.say_meaning("blue bananas", 0.9, Some(meaning(None)));
    assert!(actions.contains(&heard("blue bananas", "greeting", None)));
    assert!(
        actions.contains(&say("Sorry, I didn't get that.")),
        "{actions:?}"
    );
    call.finished_playing();
    call.finished_playing();
    let actions = call.say_meaning("purple", 0.9, Some(meaning(None)));
    assert!(
        actions.contains(&say("Shall I get you a person?")),
        "{actions:?}"
    );
}

#[test]
fn an_answer_step_speaks_the_article_or_offers_an_agent() {
    let mut call = start();
    let mut understood = meaning(Some("store_hours"));
    understood.article = Some(Retrieval {
        id: "store_hours".into(),
        title: "Store hours".into(),
        answer: "We are open nine to nine.".into(),
        confidence: 0.8,
    });
    let actions = call.say_meaning("when do you open", 0.9, Some(understood));
    assert!(
        actions.contains(&say("We are open nine to nine.")),
        "{actions:?}"
    );

    let mut call = start();
    let actions = call.say_meaning("when do you open", 0.9, Some(meaning(Some("store_hours"))));
    assert!(
        actions.contains(&say("Shall I get you a person?")),
        "{actions:?}"
    );
}

#[test]
fn asking_for_a_person_anywhere_escalates_with_the_conversation() {
    let mut call = start();
    call.engine.set_variable("customer_vip", "true");
    call.say_meaning(
        "where is my order",
        0.9,
        Some(meaning(Some("order_status"))),
    );
    call.finished_playing();
    // In the middle of the order number question, the caller wants a person.
    let actions = call.say_meaning(
        "just put me through to someone",
        0.9,
        Some(meaning(Some("speak_to_agent"))),
    );
    assert!(actions.contains(&entered("agent")), "{actions:?}");
    assert!(actions.contains(&say_to_the_end("Connecting you.")));
    let actions = call.finished_playing();
    let handover = handover_of(&actions).expect("a transfer");
    assert_eq!(
        handover.group, "orders",
        "the group of what the call was about"
    );
    assert_eq!(handover.priority, Priority::Vip);
    assert_eq!(handover.reason, "the caller asked for a person");
    let summary = &handover.summary;
    assert_eq!(summary.intent.as_deref(), Some("order_status"));
    assert_eq!(summary.intents, ["order_status", "speak_to_agent"]);
    assert!(
        summary
            .transcript
            .iter()
            .any(|line| line.party == Party::Customer
                && line.text == "just put me through to someone")
    );
    assert!(
        summary
            .transcript
            .iter()
            .any(|line| line.party == Party::Hotline && line.text == "How can I help?")
    );
    assert!(
        summary.brief.starts_with("VIP caller about order status"),
        "{}",
        summary.brief
    );
    assert!(
        summary
            .brief
            .contains("said: 'just put me through to someone'")
    );
}

#[test]
fn complaints_and_anger_escalate_with_raised_priority() {
    let mut call = start();
    let actions = call.say_meaning(
        "I want to make a complaint",
        0.9,
        Some(meaning(Some("complaint"))),
    );
    assert!(actions.contains(&entered("agent")), "{actions:?}");
    let actions = call.finished_playing();
    let handover = handover_of(&actions).expect("a transfer");
    assert_eq!(handover.priority, Priority::Raised);
    assert_eq!(handover.group, "support");

    let mut call = start();
    call.say_meaning("this is absolutely ridiculous", 0.9, Some(meaning(None)));
    let actions = call.finished_playing();
    let handover = handover_of(&actions).expect("a transfer");
    assert_eq!(handover.reason, "the caller sounds upset");
    assert_eq!(handover.priority, Priority::Raised);
}

#[test]
fn three_turns_not_understood_in_a_row_escalate() {
    let mut call = start();
    call.press("1");
    call.finished_playing();
    for attempt in 0..2 {
        let actions = call.say("mumble", 0.9);
        assert!(
            !actions.contains(&entered("agent")),
            "attempt {attempt}: {actions:?}"
        );
        call.finished_playing();
        call.finished_playing();
    }
    let actions = call.say("mumble", 0.9);
    assert!(actions.contains(&entered("agent")), "{actions:?}");
    let actions = call.finished_playing();
    let handover = handover_of(&actions).expect("a transfer");
    assert_eq!(handover.reason, "not understood 3 times in a row");
    assert!(
        handover
            .summary
            .tried
            .iter()
            .any(|tried| tried.contains("mumble")),
        "{:?}",
        handover.summary.tried
    );
}

#[test]
fn an_unavailable_transfer_continues_at_on_unavailable() {
    let mut call = start();
    call.say_meaning("agent", 1.0, Some(meaning(Some("speak_to_agent"))));
    call.finished_playing();
    let actions = call.transfer_failed("nobody signed in");
    assert!(actions.contains(&entered("busy")), "{actions:?}");
    call.finished_playing();
    let actions = call.say("whenever", 0.9);
    assert!(actions.contains(&say("Please say a day.")), "{actions:?}");
    call.finished_playing();
    call.finished_playing();
    // 2026-11-23 is a Monday.
    let actions = call.say("next friday please", 0.9);
    assert!(
        actions.contains(&collected("callback_date", "2026-12-04")),
        "{actions:?}"
    );
}
