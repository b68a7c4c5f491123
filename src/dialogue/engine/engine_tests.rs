//! Engine tests on simulated time: a fake call drives the engine with a made-up monotonic clock
//! and fixed wall-clock instants.

use std::path::Path;
use std::time::Duration;

use chrono::{TimeZone, Utc};

use super::FlowAction;
use super::STEP_BUDGET;
use super::simulated_call::{Call, entered, hangup, parse, play, play_to_the_end};
use crate::dialogue::flow_file::parse::parse_flow;

const FLOW: &str = r##"
schema = 1
name = "test"
start = "menu"
timezone = "America/New_York"

[steps.menu]
type = "menu"
prompt = "menu.wav"
choices = { "1" = "account", "2" = "info", "0" = "hours", "*" = "bye" }
timeout = "5s"
retries = 2
no_input_prompt = "no-input.wav"
invalid_prompt = "invalid.wav"
on_failure = "failed"

[steps.account]
type = "collect"
prompt = "account.wav"
variable = "account"
min_digits = 3
max_digits = 5
terminator = "#"
timeout = "4s"
inter_digit_timeout = "2s"
retries = 1
invalid_prompt = "invalid.wav"
next = "thanks"
on_failure = "failed"

[steps.thanks]
type = "play"
prompt = "thanks.wav"
next = "bye"

[steps.info]
type = "play"
prompt = "info.wav"
next = "menu"

[steps.hours]
type = "hours"
windows = [{ days = ["mon", "tue", "wed", "thu", "fri"], from = "09:00", to = "17:00" }]
closed_dates = ["2026-12-25"]
open = "open"
closed = "closed"

[steps.open]
type = "hangup"
reason = "open"

[steps.closed]
type = "hangup"
reason = "closed"

[steps.failed]
type = "hangup"
reason = "failed"

[steps.bye]
type = "hangup"
prompt = "bye.wav"
reason = "caller finished"
"##;

fn start() -> Call {
    Call::start_at(
        parse(FLOW),
        Utc.with_ymd_and_hms(2026, 6, 3, 14, 0, 0).unwrap(),
    )
}

#[test]
fn menu_choice_plays_the_answer_and_returns_to_the_menu() {
    let mut call = start();
    assert_eq!(call.actions(), vec![entered("menu"), play("menu.wav")]);
    assert_eq!(
        call.engine.poll_timeout(),
        None,
        "no timer while the prompt plays"
    );
    assert_eq!(call.finished_playing(), vec![]);
    assert_eq!(
        call.engine.poll_timeout(),
        Some(call.now + Duration::from_secs(5))
    );
    assert_eq!(call.press("2"), vec![entered("info"), play("info.wav")]);
    assert_eq!(call.engine.poll_timeout(), None);
    assert_eq!(
        call.finished_playing(),
        vec![entered("menu"), play("menu.wav")]
    );
    assert_eq!(call.engine.digits(), "2");
}

#[test]
fn a_key_during_a_play_step_skips_it_and_is_used_for_nothing_else() {
    let mut call = start();
    call.actions();
    call.finished_playing();
    call.press("2");
    assert_eq!(
        call.press("1"),
        vec![FlowAction::StopPlayback, entered("menu"), play("menu.wav")],
        "the key stops the answer; the menu does not take it as a choice"
    );
    assert_eq!(call.finished_playing(), vec![], "the menu waits");
    assert_eq!(call.engine.digits(), "21");
}

#[test]
fn a_digit_during_the_menu_prompt_stops_playback_and_is_processed() {
    let mut call = start();
    call.actions();
    let actions = call.press("2");
    assert_eq!(
        actions,
        vec![FlowAction::StopPlayback, entered("info"), play("info.wav")]
    );
}

#[test]
fn no_input_replays_the_menu_then_gives_up() {
    let mut call = start();
    call.actions();
    call.finished_playing();
    assert_eq!(call.wait(4), vec![], "the timer has not expired yet");
    for _ in 0..2 {
        assert_eq!(call.wait(1), vec![play("no-input.wav")]);
        assert_eq!(call.finished_playing(), vec![play("menu.wav")]);
        assert_eq!(call.finished_playing(), vec![]);
        call.wait(4);
    }
    assert_eq!(call.wait(1), vec![entered("failed"), hangup("failed")]);
    assert!(call.engine.is_finished());
    assert_eq!(call.engine.poll_timeout(), None);
}

#[test]
fn invalid_choices_replay_the_menu_then_give_up() {
    let mut call = start();
    call.actions();
    call.finished_playing();
    assert_eq!(call.press("9"), vec![play("invalid.wav")]);
    assert_eq!(
        call.press("7"),
        vec![FlowAction::StopPlayback, play("invalid.wav")]
    );
    assert_eq!(
        call.press("8"),
        vec![
            FlowAction::StopPlayback,
            entered("failed"),
            hangup("failed")
        ]
    );
    assert!(call.engine.is_finished());
    assert_eq!(call.press("1"), vec![], "a finished flow ignores events");
}

#[test]
fn collect_with_type_ahead_and_terminator() {
    let mut call = start();
    call.actions();
    call.finished_playing();
    assert_eq!(
        call.press("1"),
        vec![entered("account"), play("account.wav")]
    );
    assert_eq!(call.press("12"), vec![FlowAction::StopPlayback]);
    assert_eq!(
        call.engine.poll_timeout(),
        Some(call.now + Duration::from_secs(2))
    );
    let collected = FlowAction::Collected {
        variable: "account".into(),
        value: "123".into(),
    };
    assert_eq!(
        call.press("3#"),
        vec![collected, entered("thanks"), play("thanks.wav")]
    );
    assert_eq!(
        call.engine.variables().get("account").map(String::as_str),
        Some("123")
    );
    assert_eq!(call.engine.digits(), "1123#");
    assert_eq!(
        call.finished_playing(),
        vec![entered("bye"), play_to_the_end("bye.wav")]
    );
    assert_eq!(call.finished_playing(), vec![hangup("caller finished")]);
}

#[test]
fn collect_ends_at_max_digits() {
    let mut call = start();
    call.press("1");
    call.finished_playing();
    let collected = FlowAction::Collected {
        variable: "account".into(),
        value: "12345".into(),
    };
    assert_eq!(
        call.press("12345"),
        vec![collected, entered("thanks"), play("thanks.wav")]
    );
}

#[test]
fn collect_inter_digit_timeout_ends_the_entry() {
    let mut call = start();
    call.press("1");
    call.finished_playing();
    call.press("1234");
    let collected = FlowAction::Collected {
        variable: "account".into(),
        value: "1234".into(),
    };
    assert_eq!(
        call.wait(2),
        vec![collected, entered("thanks"), play("thanks.wav")]
    );
}

#[test]
fn collect_too_short_is_invalid_then_fails() {
    let mut call = start();
    call.press("1");
    call.finished_playing();
    assert_eq!(call.press("12#"), vec![play("invalid.wav")]);
    assert_eq!(call.finished_playing(), vec![play("account.wav")]);
    call.finished_playing();
    assert_eq!(
        call.engine.poll_timeout(),
        Some(call.now + Duration::from_secs(4))
    );
    call.press("9");
    assert_eq!(call.wait(2), vec![entered("failed"), hangup("failed")]);
    assert!(call.engine.variables().is_empty());
}

#[test]
fn hours_follow_the_flow_timezone_and_closed_dates() {
    let cases = [
        (Utc.with_ymd_and_hms(2026, 6, 3, 14, 0, 0), "open"), // Wednesday 10:00 EDT
        (Utc.with_ymd_and_hms(2026, 6, 3, 12, 30, 0), "closed"), // Wednesday 08:30 EDT
        (Utc.with_ymd_and_hms(2026, 6, 3, 21, 0, 0), "closed"), // Wednesday 17:00 EDT
        (Utc.with_ymd_and_hms(2026, 6, 6, 16, 0, 0), "closed"), // Saturday 12:00 EDT
        (Utc.with_ymd_and_hms(2026, 12, 24, 17, 0, 0), "open"), // Thursday 12:00 EST
        (Utc.with_ymd_and_hms(2026, 12, 25, 17, 0, 0), "closed"), // closed date, a Friday
    ];
    for (wall, expected) in cases {
        let mut call = Call::start_at(parse(FLOW), wall.unwrap());
        call.actions();
        let actions = call.press("0");
        let expected_actions = vec![
            FlowAction::StopPlayback,
            entered("hours"),
            entered(expected),
            hangup(expected),
        ];
        assert_eq!(actions, expected_actions, "at {wall:?}");
    }
}

#[test]
fn a_goto_loop_is_cut_off_by_the_step_budget() {
    let source = "schema = 1\nname = \"loop\"\nstart = \"a\"\n\n\
        [steps.a]\ntype = \"goto\"\ntarget = \"b\"\n\n[steps.b]\ntype = \"goto\"\ntarget = \"a\"\n";
    let parsed = parse_flow(source, Path::new("/flows/loop.flow.toml"));
    assert_eq!(
        parsed.problems.len(),
        1,
        "the validator rejects the loop: {:?}",
        parsed.problems
    );
    let mut call = Call::start_at(parsed.flow.expect("flow"), Utc::now());
    let actions = call.actions();
    assert_eq!(actions.len(), STEP_BUDGET + 1);
    let Some(FlowAction::Hangup { reason }) = actions.last() else {
        panic!("{actions:?}")
    };
    assert!(reason.contains("without waiting"), "{reason}");
    assert!(call.engine.is_finished());
}

#[test]
fn stray_events_are_ignored() {
    let mut call = start();
    call.actions();
    call.finished_playing();
    assert_eq!(call.finished_playing(), vec![], "no playback is running");
    call.engine.handle_timeout(call.now, call.wall);
    assert_eq!(call.actions(), vec![], "an early timeout does nothing");
    call.engine.start(call.now, call.wall);
    assert_eq!(call.actions(), vec![], "starting twice does nothing");
}

#[test]
fn record_steps_pause_and_resume_the_recording_around_a_step() {
    let source = "schema = 1\nname = \"card\"\nstart = \"pause\"\n\n\
        [steps.pause]\ntype = \"record\"\naction = \"pause\"\nnext = \"card\"\n\n\
        [steps.card]\ntype = \"play\"\nprompt = \"card.wav\"\nnext = \"resume\"\n\n\
        [steps.resume]\ntype = \"record\"\naction = \"resume\"\nnext = \"bye\"\n\n\
        [steps.bye]\ntype = \"hangup\"\nreason = \"done\"\n";
    let mut call = Call::start_at(
        parse(source),
        Utc.with_ymd_and_hms(2026, 12, 7, 10, 0, 0).unwrap(),
    );
    assert_eq!(
        call.actions(),
        vec![
            entered("pause"),
            FlowAction::Recording { pause: true },
            entered("card"),
            play("card.wav"),
        ]
    );
    assert_eq!(
        call.finished_playing(),
        vec![
            entered("resume"),
            FlowAction::Recording { pause: false },
            entered("bye"),
            hangup("done"),
        ]
    );
}
