//! Tests of the Mandarin demo flow on simulated time: it is a translation of the main flow
//! (every step under the same name), and a Mandarin caller's order is tracked and answered in
//! Mandarin, with meanings as the understanding service would deliver them.

use std::path::Path;

use chrono::{TimeZone, Utc};

use super::simulated_call::{Call, collected, entered, say};
use super::{FlowAction, Meaning};
use crate::dialogue::flow_file::lookup::LookupOutcome;
use crate::dialogue::flow_file::model::StepKind;
use crate::dialogue::{FlowSet, load_flows};
use crate::language::Language;

fn demo_flows() -> FlowSet {
    let prompts = Path::new(env!("CARGO_MANIFEST_DIR")).join("prompts");
    load_flows(&prompts).expect("demo flows load")
}

/// Whether a step of this kind waits for the caller (where a bilingual call can change flow).
fn listens(kind: &StepKind) -> bool {
    matches!(
        kind,
        StepKind::Intent(_) | StepKind::Menu(_) | StepKind::Collect(_) | StepKind::Ask(_)
    )
}

#[test]
fn the_mandarin_demo_translates_every_step_of_the_main_flow() {
    let flows = demo_flows();
    let main = flows.get("main").expect("flow 'main'");
    let mandarin = flows.get("main-zh").expect("flow 'main-zh'");
    assert_eq!(main.language, Language::English);
    assert_eq!(mandarin.language, Language::Mandarin);
    assert_eq!(
        main.steps.keys().collect::<Vec<_>>(),
        mandarin.steps.keys().collect::<Vec<_>>()
    );
    for (name, step) in &main.steps {
        if listens(&step.kind) {
            assert_eq!(
                std::mem::discriminant(&step.kind),
                std::mem::discriminant(&mandarin.steps[name].kind),
                "step '{name}' listens in both languages"
            );
        }
    }
    assert_eq!(mandarin.start, main.start);
}

#[test]
fn a_mandarin_caller_hears_the_order_status_in_mandarin() {
    let flows = demo_flows();
    let mandarin = flows.get("main-zh").expect("flow 'main-zh'");
    let wall = Utc.with_ymd_and_hms(2026, 6, 3, 14, 0, 0).unwrap();
    let mut call = Call::start_at((*mandarin).clone(), wall);
    call.engine.set_variable("channel", "chat");
    call.engine.set_variable("server", "http://127.0.0.1:8080");
    call.actions();
    let actions = call.finished_playing();
    assert!(actions.contains(&entered("greeting")), "{actions:?}");
    assert!(
        actions.iter().any(
            |action| matches!(action, FlowAction::Say { text, .. } if text.starts_with("您好，欢迎致电"))
        ),
        "{actions:?}"
    );
    call.finished_playing();
    let meaning = Meaning {
        intent: Some("order_status".into()),
        confidence: 0.9,
        ..Meaning::default()
    };
    let actions = call.say_meaning("帮我查一下订单一二三四五", 0.9, Some(meaning));
    assert!(
        actions.contains(&collected("order_number", "12345")),
        "{actions:?}"
    );
    call.finished_playing();
    let order = serde_json::json!({
        "status": "shipped", "carrier": "UPS", "expected_delivery": "2026-11-27"
    });
    let actions = call.lookup_answered(LookupOutcome::Found(order));
    assert!(
        actions.contains(&say("订单12345已经由UPS发出，预计2026-11-27送达。")),
        "{actions:?}"
    );
}

#[test]
fn the_mandarin_order_number_question_takes_chinese_digits_and_keys() {
    let flows = demo_flows();
    let mandarin = flows.get("main-zh").expect("flow 'main-zh'");
    let wall = Utc.with_ymd_and_hms(2026, 6, 3, 14, 0, 0).unwrap();
    let mut call = Call::start_at((*mandarin).clone(), wall);
    call.engine.set_variable("channel", "chat");
    call.actions();
    call.finished_playing();
    call.finished_playing();
    let actions = call.press("1");
    assert!(actions.contains(&entered("order_number")), "{actions:?}");
    assert!(
        actions.iter().any(
            |action| matches!(action, FlowAction::Say { text, .. } if text.starts_with("请说出或输入您的订单号"))
        ),
        "{actions:?}"
    );
    call.finished_playing();
    let actions = call.say("幺二三四五", 0.9);
    assert!(
        actions.contains(&collected("order_number", "12345")),
        "{actions:?}"
    );
}
