//! Tests of `say` steps on simulated time: composed text, its placeholders, how the step waits
//! for playback, and the loader's checks of the text.

use std::path::Path;

use chrono::{TimeZone, Utc};

use super::FlowAction;
use super::simulated_call::{Call, entered, hangup, heard, parse, play, say};
use crate::dialogue::FlowError;
use crate::dialogue::flow_file::parse::parse_flow;

const FLOW: &str = r##"
schema = 1
name = "test"
start = "account"

[steps.account]
type = "collect"
prompt = "account.wav"
variable = "account"
max_digits = 5
terminator = "#"
next = "confirm"
on_failure = "confirm"

[steps.confirm]
type = "say"
text = "Account {account}, {{braces}}; you said: {heard}."
next = "menu"

[steps.menu]
type = "menu"
prompt = "menu.wav"
choices = { "1" = "bye" }
on_failure = "bye"

[steps.bye]
type = "hangup"
reason = "done"
"##;

fn start() -> Call {
    let wall = Utc.with_ymd_and_hms(2026, 6, 3, 14, 0, 0).unwrap();
    let mut call = Call::start_at(parse(FLOW), wall);
    call.actions();
    call.finished_playing();
    call
}

#[test]
fn say_speaks_the_composed_text_and_waits_for_playback() {
    let mut call = start();
    assert_eq!(
        call.press("123#"),
        vec![
            FlowAction::Collected {
                variable: "account".into(),
                value: "123".into(),
            },
            entered("confirm"),
            say("Account 123, {braces}; you said: ."),
        ]
    );
    assert_eq!(call.wait(60), vec![]);
    assert_eq!(
        call.finished_playing(),
        vec![entered("menu"), play("menu.wav")]
    );
}

#[test]
fn heard_is_the_last_transcript_and_unset_variables_are_empty() {
    let mut call = start();
    call.say("no idea", 0.9);
    call.say("what", 0.9);
    let actions = call.say("I don't know it", 0.9);
    assert!(
        actions.contains(&say("Account , {braces}; you said: I don't know it.")),
        "{actions:?}"
    );
}

#[test]
fn speech_during_say_stops_it_and_the_flow_moves_on() {
    let mut call = start();
    call.press("42#");
    assert_eq!(
        call.start_speaking(),
        vec![FlowAction::StopPlayback],
        "the caller speaking over the text stops it"
    );
    assert_eq!(call.finished_playing(), vec![], "nothing plays any more");
    assert_eq!(
        call.say("stop", 0.9),
        vec![
            heard("stop", "confirm", None),
            entered("menu"),
            play("menu.wav")
        ],
        "the transcript ends the interruption; the menu does not take it"
    );
}

#[test]
fn an_empty_transcript_while_say_plays_does_not_interrupt_it() {
    let mut call = start();
    call.press("42#");
    assert_eq!(call.say(" ", 0.0), vec![heard(" ", "confirm", None)]);
    assert_eq!(
        call.finished_playing(),
        vec![entered("menu"), play("menu.wav")]
    );
}

#[test]
fn a_key_during_say_stops_it_and_later_keys_count() {
    let mut call = start();
    call.press("42#");
    assert_eq!(
        call.press("1"),
        vec![FlowAction::StopPlayback, entered("menu"), play("menu.wav")]
    );
    assert_eq!(
        call.press("1"),
        vec![FlowAction::StopPlayback, entered("bye"), hangup("done")]
    );
    assert_eq!(call.finished_playing(), vec![]);
    assert_eq!(call.engine.digits(), "42#11");
}

/// Parses the test flow with an extra `say` step made of `say_keys` and `next = "bye"`,
/// returning (line, error) for every error.
fn problems(say_keys: &str) -> Vec<(usize, FlowError)> {
    let source = format!("{FLOW}\n[steps.extra]\ntype = \"say\"\n{say_keys}next = \"bye\"\n");
    parse_flow(&source, Path::new("/flows/test.flow.toml"))
        .problems
        .into_iter()
        .filter(|problem| problem.is_error())
        .map(|problem| (problem.line, problem.error))
        .collect()
}

#[test]
fn the_loader_rejects_bad_texts_at_their_line() {
    // A blank line, the table header and `type` come before the extra step's `text`.
    let extra_line = FLOW.lines().count() + 4;
    let unknown = problems("text = \"Order {acount}, heard {heard}\"\n");
    assert_eq!(
        unknown,
        vec![(
            extra_line,
            FlowError::UnknownVariable {
                name: "acount".into()
            }
        )]
    );
    let unclosed = problems("text = \"Order {account\"\n");
    assert!(
        matches!(unclosed.as_slice(), [(line, FlowError::TextSyntax { .. })] if *line == extra_line),
        "{unclosed:?}"
    );
    let empty = problems("text = \"  \"\n");
    assert!(
        matches!(empty.as_slice(), [(line, FlowError::InvalidValue { what: "text", .. })] if *line == extra_line),
        "{empty:?}"
    );
    let missing = problems("");
    assert!(
        matches!(missing.as_slice(), [(_, FlowError::Field { message })] if message.contains("missing field `text`")),
        "{missing:?}"
    );
}

/// A flow whose menu and order question speak text instead of playing prompt files.
const SPOKEN_FLOW: &str = r##"
schema = 1
name = "spoken"
language = "zh"
start = "menu"

[steps.menu]
type = "menu"
text = "查询订单请按1。"
choices = { "1" = "account" }
retries = 1
no_input_text = "抱歉，我没有听到。"
on_failure = "bye"

[steps.account]
type = "collect"
text = "请输入您的账号。"
variable = "account"
max_digits = 5
invalid_text = "账号是五位数字。"
next = "bye"
on_failure = "bye"

[steps.bye]
type = "hangup"
reason = "done"
"##;

#[test]
fn menus_and_questions_may_speak_text_in_the_flows_language() {
    let flow = parse(SPOKEN_FLOW);
    assert_eq!(flow.language, crate::language::Language::Mandarin);
    let wall = Utc.with_ymd_and_hms(2026, 6, 3, 14, 0, 0).unwrap();
    let mut call = Call::start_at(flow, wall);
    let opening = call.actions();
    assert!(opening.contains(&say("查询订单请按1。")), "{opening:?}");
    call.finished_playing();
    let timed_out = call.wait(10);
    assert!(
        timed_out.contains(&say("抱歉，我没有听到。")),
        "the no-input text, then the menu again: {timed_out:?}"
    );
    call.finished_playing();
    call.finished_playing();
    let pressed = call.press("1");
    assert!(pressed.contains(&say("请输入您的账号。")), "{pressed:?}");
}

#[test]
fn a_menu_needs_exactly_one_of_prompt_and_text_and_a_known_language() {
    let errors = |source: &str| -> Vec<String> {
        parse_flow(source, Path::new("/flows/spoken.flow.toml"))
            .problems
            .into_iter()
            .filter(|problem| problem.is_error())
            .map(|problem| problem.error.to_string())
            .collect()
    };
    let both = SPOKEN_FLOW.replace(
        "text = \"查询订单请按1。\"",
        "text = \"查询订单请按1。\"\nprompt = \"menu.wav\"",
    );
    let found = errors(&both);
    assert!(
        found
            .iter()
            .any(|error| error.contains("has both `prompt` and `text`")),
        "{found:?}"
    );
    let neither = SPOKEN_FLOW.replace("text = \"查询订单请按1。\"\n", "");
    let found = errors(&neither);
    assert!(
        found
            .iter()
            .any(|error| error.contains("needs `prompt` or `text`")),
        "{found:?}"
    );
    let unknown = SPOKEN_FLOW.replace("language = \"zh\"", "language = \"fr\"");
    let found = errors(&unknown);
    assert!(
        found
            .iter()
            .any(|error| error.contains("\"fr\"") && error.contains("en or zh")),
        "{found:?}"
    );
}
