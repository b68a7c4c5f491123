//! Tests of the demo flow on simulated time, with meanings as the understanding service would
//! deliver them: the recording notice, VIP callers greeted by name, orders tracked, refunds and
//! cancellations answered from the order system's data, knowledge answers and escalation.

use std::path::Path;

use chrono::{TimeZone, Utc};

use super::simulated_call::{Call, collected, entered, say, say_to_the_end};
use super::{FlowAction, Handover, Meaning};
use crate::dialogue::flow_file::lookup::{LookupMethod, LookupOutcome, LookupRequest};
use crate::dialogue::flow_file::model::Priority;
use crate::dialogue::load_flows;

/// A demo call on `channel` from `caller` that has just started.
fn demo_call(channel: &str, caller: &str) -> Call {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("prompts/demo");
    let flows = load_flows(&demo).expect("demo flows load");
    let main = flows.get("main").expect("flow 'main'");
    let wall = Utc.with_ymd_and_hms(2026, 6, 3, 14, 0, 0).unwrap();
    let mut call = Call::start_at((*main).clone(), wall);
    call.engine.set_variable("channel", channel);
    call.engine.set_variable("caller", caller);
    call.engine.set_variable("server", "http://127.0.0.1:8080");
    call
}

/// A chat at the greeting.
fn at_greeting() -> Call {
    let mut call = demo_call("chat", "");
    call.actions();
    let actions = call.finished_playing();
    assert!(actions.contains(&entered("greeting")), "{actions:?}");
    call.finished_playing();
    call
}

fn intent(name: &str) -> Option<Meaning> {
    Some(Meaning {
        intent: Some(name.into()),
        confidence: 0.9,
        ..Meaning::default()
    })
}

fn lookup_of(actions: &[FlowAction]) -> LookupRequest {
    actions
        .iter()
        .find_map(|action| match action {
            FlowAction::Lookup(request) => Some(request.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no lookup in {actions:?}"))
}

fn handover_of(actions: &[FlowAction]) -> Handover {
    actions
        .iter()
        .find_map(|action| match action {
            FlowAction::Transfer(handover) => Some((**handover).clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no transfer in {actions:?}"))
}

#[test]
fn the_recording_notice_plays_to_its_end() {
    let mut call = demo_call("voice", "+15550100009");
    let started = call.actions();
    assert!(
        matches!(started.as_slice(), [_, FlowAction::Play { path, barge_in: false }]
            if path.ends_with("audio/recording-notice.wav")),
        "{started:?}"
    );
    assert_eq!(call.press("1"), vec![]);
    assert_eq!(call.start_speaking(), vec![]);
    let actions = call.finished_playing();
    assert!(actions.contains(&entered("identify_caller")), "{actions:?}");
}

#[test]
fn a_vip_caller_is_greeted_by_name_and_goes_first() {
    let mut call = demo_call("voice", "+15550100001");
    call.actions();
    let actions = call.finished_playing();
    let request = lookup_of(&actions);
    assert_eq!(
        request.url,
        "http://127.0.0.1:8080/demo/customers?phone=%2B15550100001"
    );
    let customer = serde_json::json!({"name": "Dana Lee", "vip": true});
    let actions = call.lookup_answered(LookupOutcome::Found(customer));
    assert!(
        actions.contains(&say("Hello Dana Lee, welcome back.")),
        "{actions:?}"
    );
    call.finished_playing();
    call.finished_playing();
    call.say_meaning("I need to talk to a person", 0.9, intent("speak_to_agent"));
    let actions = call.finished_playing();
    let handover = handover_of(&actions);
    assert_eq!(handover.priority, Priority::Vip);
    assert_eq!(handover.group, "support");
    assert_eq!(handover.customer_name.as_deref(), Some("Dana Lee"));
    assert!(
        handover.summary.brief.starts_with("VIP caller Dana Lee;"),
        "{}",
        handover.summary.brief
    );
}

#[test]
fn asking_for_someone_about_a_refund_goes_to_the_refund_group() {
    let mut call = at_greeting();
    let meaning = Meaning {
        intent: Some("speak_to_agent".into()),
        confidence: 1.0,
        also: vec!["refund_status".into()],
        ..Meaning::default()
    };
    call.say_meaning(
        "I want to talk to someone about my refund",
        1.0,
        Some(meaning),
    );
    let handover = handover_of(&call.finished_playing());
    assert_eq!(handover.group, "orders");
    assert_eq!(handover.summary.intent.as_deref(), Some("refund_status"));
    assert!(
        handover
            .summary
            .brief
            .starts_with("Caller about refund status;"),
        "{}",
        handover.summary.brief
    );
}

#[test]
fn an_order_is_tracked_from_the_order_system() {
    let mut call = at_greeting();
    let actions = call.say_meaning(
        "where is my order one two three four five",
        0.9,
        intent("order_status"),
    );
    assert!(
        actions.contains(&collected("order_number", "12345")),
        "{actions:?}"
    );
    let request = lookup_of(&actions);
    assert_eq!(request.method, LookupMethod::Get);
    assert_eq!(request.url, "http://127.0.0.1:8080/demo/orders/12345");
    call.finished_playing();
    let order = serde_json::json!({
        "status": "shipped", "carrier": "UPS", "expected_delivery": "2026-11-27"
    });
    let actions = call.lookup_answered(LookupOutcome::Found(order));
    assert!(
        actions.contains(&say(
            "Order 12345 has shipped with UPS and should arrive on 2026-11-27."
        )),
        "{actions:?}"
    );
    // "And the refund?" reuses the order number.
    call.finished_playing();
    call.finished_playing();
    let actions = call.say_meaning("and the refund", 0.9, intent("refund_status"));
    assert!(lookup_of(&actions).url.ends_with("/orders/12345"));
    call.finished_playing();
    let refunded = serde_json::json!({
        "status": "refunded", "refund": {"amount": "59.90", "date": "2026-11-10"}
    });
    let actions = call.lookup_answered(LookupOutcome::Found(refunded));
    assert!(
        actions
            .iter()
            .any(|action| matches!(action, FlowAction::Say { text, .. }
            if text.starts_with("We refunded $59.90 for order 12345 on 2026-11-10."))),
        "{actions:?}"
    );
}

#[test]
fn keys_lead_to_the_order_number_question() {
    let mut call = at_greeting();
    let actions = call.press("1");
    assert!(actions.contains(&entered("order_number")), "{actions:?}");
    call.finished_playing();
    let actions = call.press("45678#");
    assert!(lookup_of(&actions).url.ends_with("/demo/orders/45678"));
}

#[test]
fn a_cancellation_needs_a_yes() {
    let mut call = at_greeting();
    call.say_meaning("cancel order 34567", 0.9, intent("cancel_order"));
    call.finished_playing();
    let actions = call.lookup_answered(LookupOutcome::Found(
        serde_json::json!({"status": "processing"}),
    ));
    assert!(actions.contains(&entered("confirm_cancel")), "{actions:?}");
    call.finished_playing();
    let actions = call.say("yes please", 0.9);
    let request = lookup_of(&actions);
    assert_eq!(request.method, LookupMethod::Post);
    assert!(request.url.ends_with("/demo/orders/34567/cancel"));
    let actions = call.lookup_answered(LookupOutcome::Found(
        serde_json::json!({"status": "cancelled"}),
    ));
    assert!(
        actions.contains(&say("Order 34567 is cancelled. You will not be charged.")),
        "{actions:?}"
    );

    let mut call = at_greeting();
    call.say_meaning("cancel order 12345", 0.9, intent("cancel_order"));
    call.finished_playing();
    let actions = call.lookup_answered(LookupOutcome::Found(
        serde_json::json!({"status": "shipped"}),
    ));
    assert!(actions.contains(&entered("cannot_cancel")), "{actions:?}");
}

#[test]
fn a_failed_order_system_gets_an_apology_and_an_agent_offer() {
    let mut call = at_greeting();
    call.say_meaning("where is order 12345", 0.9, intent("order_status"));
    call.finished_playing();
    let failed = LookupOutcome::Failed {
        reason: "timed out after 2s (2 attempts)".into(),
    };
    let actions = call.lookup_answered(failed);
    assert!(
        actions.contains(&say("I'm sorry, I can't reach our order system right now.")),
        "{actions:?}"
    );
    let actions = call.finished_playing();
    assert!(actions.contains(&entered("offer_agent")), "{actions:?}");
}

#[test]
fn billing_goes_to_the_billing_group_and_complaints_go_first() {
    let mut call = at_greeting();
    let actions = call.say_meaning("I was charged twice", 0.9, intent("billing_issue"));
    assert!(
        actions.contains(&say_to_the_end(
            "Let me get you someone from our billing team. You can press 9 at any time to be \
             called back instead."
        )),
        "{actions:?}"
    );
    let handover = handover_of(&call.finished_playing());
    assert_eq!(handover.group, "billing");
    assert_eq!(handover.priority, Priority::Normal);

    let mut call = at_greeting();
    call.say_meaning("I want to make a complaint", 0.9, intent("complaint"));
    let handover = handover_of(&call.finished_playing());
    assert_eq!(handover.group, "support");
    assert_eq!(handover.priority, Priority::Raised);
}
