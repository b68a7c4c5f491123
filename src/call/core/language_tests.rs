//! Bilingual lines through the core: the caller's first words settle the call's language, and
//! a call in another language than its flow's goes on in the translation, in the same step.

use super::harness::Harness;
use super::{CallOutput, Recognised};
use crate::language::Language;

/// An English flow: a question, then an answer.
const ENGLISH: &str = r#"
schema = 1
name = "core"
start = "question"

[steps.question]
type = "ask"
text = "Shall I read your balance?"
choices = { "1" = "balance", "2" = "bye" }
phrases = { "1" = ["yes"], "2" = ["no"] }
on_failure = "bye"

[steps.balance]
type = "say"
text = "Your balance is ten dollars."
next = "bye"

[steps.bye]
type = "hangup"
reason = "caller finished"
"#;

/// The same flow in Mandarin.
const MANDARIN: &str = r#"
schema = 1
name = "core-zh"
language = "zh"
start = "question"

[steps.question]
type = "ask"
text = "需要为您查询余额吗？"
choices = { "1" = "balance", "2" = "bye" }
phrases = { "1" = ["是", "好的"], "2" = ["不用"] }
on_failure = "bye"

[steps.balance]
type = "say"
text = "您的余额是十元。"
next = "bye"

[steps.bye]
type = "hangup"
reason = "caller finished"
"#;

/// The languages the call was settled in, in order.
fn settled(outputs: &[CallOutput]) -> Vec<(Language, String)> {
    outputs
        .iter()
        .filter_map(|output| match output {
            CallOutput::Language { language, flow } => Some((*language, flow.clone())),
            _ => None,
        })
        .collect()
}

fn said(outputs: &[CallOutput]) -> Vec<String> {
    outputs
        .iter()
        .filter_map(|output| match output {
            CallOutput::Say(text) => Some(text.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn mandarin_first_words_move_the_call_to_the_translation() {
    let mut call = Harness::start_translated(ENGLISH, &[MANDARIN], "");
    call.play_out();
    call.take();
    call.say_in(Language::Mandarin, "好的");
    let outputs = call.take();
    assert_eq!(
        settled(&outputs),
        [(Language::Mandarin, "core-zh".to_string())]
    );
    let language_at = outputs
        .iter()
        .position(|output| matches!(output, CallOutput::Language { .. }));
    let understand_at = outputs
        .iter()
        .position(|output| matches!(output, CallOutput::Understand { .. }));
    assert!(language_at < understand_at, "{outputs:?}");
    assert_eq!(said(&outputs), ["您的余额是十元。"]);
    assert_eq!(call.core.record().flow, "core-zh");
}

#[test]
fn english_first_words_keep_the_flow_and_settle_once() {
    let mut call = Harness::start_translated(ENGLISH, &[MANDARIN], "");
    call.play_out();
    call.take();
    call.say_in(Language::English, "yes");
    let outputs = call.take();
    assert_eq!(settled(&outputs), [(Language::English, "core".to_string())]);
    assert_eq!(said(&outputs), ["Your balance is ten dollars."]);
    assert_eq!(call.core.record().flow, "core");
}

#[test]
fn words_without_text_do_not_settle_and_pauses_wait_for_the_language() {
    let mut call = Harness::start_translated(ENGLISH, &[MANDARIN], "");
    call.play_out();
    call.take();
    let pause = super::harness::transcript("yes");
    call.input(super::CallInput::Recognised(Recognised::Tentative(pause)));
    call.say_in(Language::English, "  ");
    let outputs = call.take();
    assert!(settled(&outputs).is_empty(), "{outputs:?}");
    assert!(
        !outputs
            .iter()
            .any(|output| matches!(output, CallOutput::EndTurnWith(_))),
        "a pause cannot end the turn before the language is known: {outputs:?}"
    );
    call.say_in(Language::Mandarin, "好的");
    assert_eq!(
        settled(&call.take()),
        [(Language::Mandarin, "core-zh".to_string())]
    );
}

#[test]
fn a_translation_without_the_step_keeps_the_call_in_its_language() {
    let other = MANDARIN
        .replace("[steps.question]", "[steps.other_question]")
        .replace("start = \"question\"", "start = \"other_question\"");
    let mut call = Harness::start_translated(ENGLISH, &[&other], "");
    call.play_out();
    call.take();
    call.say_in(Language::Mandarin, "yes");
    let outputs = call.take();
    assert_eq!(settled(&outputs), [(Language::English, "core".to_string())]);
    assert_eq!(call.core.record().flow, "core");
}

#[test]
fn a_line_with_one_language_never_switches() {
    let mut call = Harness::start(ENGLISH);
    call.play_out();
    call.take();
    call.say_in(Language::Mandarin, "好的");
    assert!(settled(&call.take()).is_empty());
}
