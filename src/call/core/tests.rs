//! Whole calls through the core on simulated time: menus, speech turns, barge-in, transfers
//! offered, accepted, rejected and timed out, hold, consultation, supervisors, and hang-ups at
//! every phase. Each test plays the driver through [`super::harness::Harness`].

use super::harness::{Harness, heard, speech_chunk, transcript};
use super::{
    AgentRequest, BoardUpdate, CallInput, CallOutput, LegEvent, Metric, Party, Recognised, Slot,
    Sound,
};
use crate::acd::Declined;
use crate::agents::QueueEvent;
use crate::agents::{DeskCommand, MonitorMode, TransferTarget};
use crate::ids::AgentId;
use crate::operations::CallState;
use crate::recording::MarkEvent;
use crate::sip::EndReason;
use crate::storage::{CallOutcome, Speaker};
use std::time::Duration;

/// A menu, a question, and a transfer step with every way out.
const FLOW: &str = r#"
schema = 1
name = "core"
start = "menu"

[steps.menu]
type = "menu"
prompt = "{demo}/audio/menu.wav"
choices = { "1" = "question", "0" = "agent", "*" = "bye" }
timeout = "5s"
retries = 1
on_failure = "bye"

[steps.question]
type = "ask"
text = "Shall I read your balance?"
choices = { "1" = "balance", "2" = "menu" }
phrases = { "1" = ["yes"], "2" = ["no"] }
on_failure = "menu"

[steps.balance]
type = "say"
text = "Your balance is ten dollars."
next = "menu"

[steps.notice]
type = "say"
text = "This notice cannot be interrupted."
barge_in = false
next = "menu"

[steps.agent]
type = "transfer"
group = "support"
reason = "the caller asked for a person"
text = "Connecting you."
on_unavailable = "bye"
next = "after"
on_callback = "callback"
on_return = "menu"

[steps.after]
type = "say"
text = "Is there anything else?"
next = "bye"

[steps.callback]
type = "say"
text = "We will call you back."
next = "bye"

[steps.bye]
type = "hangup"
reason = "caller finished"
"#;

fn agent(name: &str) -> AgentId {
    AgentId::new(name)
}

fn has(outputs: &[CallOutput], wanted: impl Fn(&CallOutput) -> bool) -> bool {
    outputs.iter().any(wanted)
}

fn asks_agents(outputs: &[CallOutput], request: &AgentRequest) -> bool {
    outputs
        .iter()
        .any(|output| matches!(output, CallOutput::Agents(found) if found == request))
}

fn dialled(outputs: &[CallOutput]) -> Vec<(Slot, String)> {
    outputs
        .iter()
        .filter_map(|output| match output {
            CallOutput::Dial { slot, agent, .. } => Some((*slot, agent.to_string())),
            _ => None,
        })
        .collect()
}

fn released(outputs: &[CallOutput]) -> Vec<(Slot, Option<&'static str>)> {
    outputs
        .iter()
        .filter_map(|output| match output {
            CallOutput::ReleaseLeg { slot, hang_up } => Some((*slot, *hang_up)),
            _ => None,
        })
        .collect()
}

/// The context the call joined a queue with, if it did.
fn queued(outputs: &[CallOutput]) -> Option<crate::agents::CallContext> {
    outputs.iter().find_map(|output| match output {
        CallOutput::Agents(AgentRequest::Enqueue(context)) => Some((**context).clone()),
        _ => None,
    })
}

fn marks(outputs: &[CallOutput]) -> Vec<MarkEvent> {
    outputs
        .iter()
        .filter_map(|output| match output {
            CallOutput::Mark(event) => Some(*event),
            _ => None,
        })
        .collect()
}

/// A call waiting in the support queue, hold music on.
fn waiting() -> Harness {
    let mut call = Harness::start(FLOW);
    call.press("0");
    call.play_out();
    call.take();
    call
}

/// A call whose agent1 answered, heard the brief and accepted.
fn connected() -> Harness {
    let mut call = waiting();
    call.input(CallInput::Queue(QueueEvent::Offer {
        agent: agent("agent1"),
    }));
    call.leg(Slot::Agent, LegEvent::Answered);
    call.leg(
        Slot::Agent,
        LegEvent::Brief(Some(Ok(speech_chunk("brief")))),
    );
    call.leg(Slot::Agent, LegEvent::Brief(None));
    call.leg(Slot::Agent, LegEvent::PlaybackFinished);
    call.leg(Slot::Agent, LegEvent::Key('1'));
    call.take();
    call
}

#[test]
fn a_menu_key_leads_to_its_step_and_back() {
    let mut call = Harness::start(FLOW);
    assert_eq!(heard(&call.take()), ["menu.wav"]);
    assert_eq!(call.core.step(), Some("menu"));
    call.press("1");
    let outputs = call.take();
    assert_eq!(heard(&outputs), ["(stop)", "Shall I read your balance?"]);
    assert!(has(&outputs, |output| *output
        == CallOutput::Count(Metric::Key(super::KeySource::Rfc4733))));
    call.play_out();
    call.press("1");
    call.play_out();
    assert_eq!(
        heard(&call.take()),
        ["Your balance is ten dollars.", "menu.wav"]
    );
    assert_eq!(call.core.record().digits, "11");
    let spoken: Vec<_> = call
        .core
        .record()
        .transcript
        .iter()
        .filter(|line| line.speaker == Speaker::Hotline)
        .map(|line| line.text.as_str())
        .collect();
    assert_eq!(
        spoken,
        ["Shall I read your balance?", "Your balance is ten dollars."]
    );
}

#[test]
fn silence_at_the_menu_times_out_into_the_hang_up() {
    let mut call = Harness::start(FLOW);
    call.play_out();
    call.wait(Duration::from_secs(5));
    assert_eq!(call.core.outcome(), None, "one retry is left");
    call.play_out();
    call.wait(Duration::from_secs(6));
    call.play_out();
    assert_eq!(call.core.outcome(), Some(CallOutcome::FlowHangup));
    assert_eq!(call.core.end_call(call.now), CallOutcome::FlowHangup);
    call.core.close(call.now);
    let outputs = std::iter::from_fn(|| call.core.poll_output()).collect::<Vec<_>>();
    assert!(has(&outputs, |output| *output
        == CallOutput::HangUp("flow_hangup")));
    assert!(has(&outputs, |output| *output
        == CallOutput::Board(BoardUpdate::Remove)));
    assert!(has(
        &outputs,
        |output| matches!(output, CallOutput::SaveRecord(record) if record.outcome == CallOutcome::FlowHangup && record.ended_at.is_some())
    ));
}

#[test]
fn a_spoken_answer_is_understood_and_kept_in_the_transcript() {
    let mut call = Harness::start(FLOW);
    call.press("1");
    call.play_out();
    call.take();
    call.say("yes");
    let outputs = call.take();
    assert!(has(
        &outputs,
        |output| matches!(output, CallOutput::Understand { text, .. } if text == "yes")
    ));
    assert!(has(&outputs, |output| matches!(
        output,
        CallOutput::Count(Metric::RecognitionConfidence(_))
    )));
    assert_eq!(heard(&outputs), ["Your balance is ten dollars."]);
    assert!(
        has(&outputs, |output| matches!(
            output,
            CallOutput::Count(Metric::TurnLatency(_))
        )),
        "the answer's first audio closes the turn's latency"
    );
    let caller: Vec<_> = call
        .core
        .record()
        .transcript
        .iter()
        .filter(|line| line.speaker == Speaker::Caller)
        .map(|line| line.text.as_str())
        .collect();
    assert_eq!(caller, ["yes"]);
}

#[test]
fn a_pause_that_already_answers_ends_the_turn_early() {
    let mut call = Harness::start(FLOW);
    call.press("1");
    call.play_out();
    call.take();
    let pause = |text: &str| CallInput::Recognised(Recognised::Tentative(transcript(text)));
    call.input(pause("hmm let me think"));
    assert!(!has(&call.take(), |output| matches!(
        output,
        CallOutput::EndTurnWith(_)
    )));
    call.input(pause("yes"));
    assert!(has(
        &call.take(),
        |output| matches!(output, CallOutput::EndTurnWith(text) if text.text == "yes")
    ));
}

#[test]
fn barge_in_stops_only_prompts_that_allow_it() {
    let mut call = Harness::start(FLOW);
    call.take();
    assert!(
        call.core.watching_for_barge_in(),
        "the menu may be interrupted"
    );
    call.input(CallInput::BargeIn);
    assert_eq!(heard(&call.take()), ["(stop)"]);
    assert!(!call.core.watching_for_barge_in());

    let notice = FLOW.replace("start = \"menu\"", "start = \"notice\"");
    let mut call = Harness::start(&notice);
    assert_eq!(heard(&call.take()), ["This notice cannot be interrupted."]);
    assert!(!call.core.watching_for_barge_in());
    call.input(CallInput::BargeIn);
    assert!(heard(&call.take()).is_empty(), "the notice plays on");
    call.play_out();
    assert_eq!(heard(&call.take()), ["menu.wav"]);
}

#[test]
fn a_prompt_that_cannot_be_played_counts_as_played() {
    let mut call = Harness::start(FLOW);
    call.take();
    call.input(CallInput::PlaybackFailed);
    assert!(!call.core.playback().playing);
    call.wait(Duration::from_secs(5));
    assert_eq!(
        heard(&call.take()),
        ["menu.wav"],
        "the menu's timer ran and it asked again"
    );
}

#[test]
fn a_transfer_queues_the_caller_with_music_and_the_context() {
    let mut call = Harness::start(FLOW);
    call.press("0");
    call.play_out();
    let outputs = call.take();
    let context = queued(&outputs).expect("the call joins a queue");
    assert_eq!(context.group, "support");
    assert_eq!(context.caller, "5551234");
    assert_eq!(marks(&outputs), [MarkEvent::Queue]);
    assert!(has(
        &outputs,
        |output| matches!(output, CallOutput::Play(Sound::Music(path)) if path.ends_with("hold.wav"))
    ));
    assert!(
        !call.core.listening(),
        "the flow does not listen while transferring"
    );
    assert!(has(
        &outputs,
        |output| matches!(output, CallOutput::Board(BoardUpdate::Progress(progress)) if progress.state == Some(CallState::Queued))
    ));
    call.press("1");
    assert_eq!(
        call.core.step(),
        Some("agent"),
        "keys belong to the transfer"
    );
    assert_eq!(call.core.record().digits, "01");
}

#[test]
fn an_accepted_offer_bridges_caller_and_agent() {
    let mut call = waiting();
    call.input(CallInput::Queue(QueueEvent::Offer {
        agent: agent("agent1"),
    }));
    assert_eq!(dialled(&call.take()), [(Slot::Agent, "agent1".to_string())]);
    call.wait(Duration::from_millis(500));
    call.leg(Slot::Agent, LegEvent::Answered);
    let outputs = call.take();
    assert!(has(&outputs, |output| *output
        == CallOutput::Count(Metric::QueueAnswer(
            Duration::from_millis(500)
        ))));
    assert!(asks_agents(
        &outputs,
        &AgentRequest::Briefing(agent("agent1"))
    ));
    assert!(has(
        &outputs,
        |output| matches!(output, CallOutput::SayToLeg(Slot::Agent, text) if text.ends_with("Press 1 to accept."))
    ));
    call.leg(
        Slot::Agent,
        LegEvent::Brief(Some(Ok(speech_chunk("brief")))),
    );
    call.leg(Slot::Agent, LegEvent::Brief(None));
    assert!(has(&call.take(), |output| matches!(
        output,
        CallOutput::PlayToLeg(Slot::Agent, _)
    )));
    call.leg(Slot::Agent, LegEvent::PlaybackFinished);
    call.leg(Slot::Agent, LegEvent::Key('1'));
    let outputs = call.take();
    assert!(asks_agents(
        &outputs,
        &AgentRequest::Connected(agent("agent1"))
    ));
    assert_eq!(heard(&outputs), ["(stop)"], "the music stops");
    assert_eq!(marks(&outputs), [MarkEvent::Resumed, MarkEvent::Agent]);
    let routing = call.core.routing();
    assert!(routing.hears(Party::Caller, Party::Leg(Slot::Agent)));
    assert!(routing.hears(Party::Leg(Slot::Agent), Party::Caller));
    assert_eq!(call.core.record().agent.as_deref(), Some("agent1"));

    call.leg(Slot::Agent, LegEvent::Ended(EndReason::CallerHangup));
    let outputs = call.take();
    assert!(asks_agents(
        &outputs,
        &AgentRequest::Finished(agent("agent1"))
    ));
    assert_eq!(marks(&outputs), [MarkEvent::Resumed, MarkEvent::Ivr]);
    assert_eq!(
        heard(&outputs),
        ["Is there anything else?"],
        "the flow goes on at next"
    );
    assert!(call.core.listening());
    assert!(
        !call
            .core
            .routing()
            .hears(Party::Caller, Party::Leg(Slot::Agent))
    );
}

#[test]
fn a_rejected_offer_goes_back_to_the_queue_with_music() {
    let mut call = waiting();
    call.input(CallInput::Queue(QueueEvent::Offer {
        agent: agent("agent1"),
    }));
    call.leg(Slot::Agent, LegEvent::Answered);
    call.leg(Slot::Agent, LegEvent::Brief(None));
    call.take();
    call.input(CallInput::Desk(agent("agent2"), DeskCommand::Reject));
    assert!(
        call.take().is_empty(),
        "only the offered agent's desk counts"
    );
    call.input(CallInput::Desk(agent("agent1"), DeskCommand::Reject));
    let outputs = call.take();
    assert!(asks_agents(
        &outputs,
        &AgentRequest::Declined(agent("agent1"), Declined::Rejected)
    ));
    assert_eq!(released(&outputs), [(Slot::Agent, Some("transfer ended"))]);
    assert!(heard(&outputs).is_empty(), "the music plays on");
    assert!(call.core.playback().playing);
}

#[test]
fn an_unanswered_ring_and_an_undecided_brief_time_out() {
    let mut call = waiting();
    call.input(CallInput::Queue(QueueEvent::Offer {
        agent: agent("agent1"),
    }));
    call.take();
    call.wait(Duration::from_millis(2100));
    let outputs = call.take();
    assert!(asks_agents(
        &outputs,
        &AgentRequest::Declined(agent("agent1"), Declined::NoAnswer)
    ));
    assert_eq!(released(&outputs), [(Slot::Agent, Some("transfer ended"))]);

    call.input(CallInput::Queue(QueueEvent::Offer {
        agent: agent("agent2"),
    }));
    call.leg(Slot::Agent, LegEvent::Answered);
    call.leg(Slot::Agent, LegEvent::Brief(None));
    call.take();
    call.wait(Duration::from_millis(2100));
    let outputs = call.take();
    assert!(asks_agents(
        &outputs,
        &AgentRequest::Declined(agent("agent2"), Declined::NoAnswer)
    ));
}

#[test]
fn a_busy_phone_or_no_ports_give_the_call_back() {
    let mut call = waiting();
    call.input(CallInput::Queue(QueueEvent::Offer {
        agent: agent("agent1"),
    }));
    call.leg(
        Slot::Agent,
        LegEvent::Failed {
            status: 486,
            reason: "Busy Here".to_string(),
        },
    );
    let outputs = call.take();
    assert_eq!(released(&outputs), [(Slot::Agent, None)]);
    assert!(asks_agents(
        &outputs,
        &AgentRequest::Declined(agent("agent1"), Declined::Rejected)
    ));

    call.input(CallInput::Queue(QueueEvent::Offer {
        agent: agent("agent2"),
    }));
    call.leg(Slot::Agent, LegEvent::DialFailed);
    assert!(has(&call.take(), |output| matches!(
        output,
        CallOutput::Agents(AgentRequest::Declined(..))
    )));
}

#[test]
fn the_callback_key_leaves_the_queue_for_on_callback() {
    let mut call = waiting();
    call.press("9");
    let outputs = call.take();
    assert!(asks_agents(&outputs, &AgentRequest::Leave));
    assert_eq!(heard(&outputs), ["(stop)", "We will call you back."]);
    assert_eq!(
        call.core
            .record()
            .variables
            .get("callback_requested")
            .map(String::as_str),
        Some("support")
    );
    assert!(call.core.listening());
}

#[test]
fn a_refused_transfer_goes_on_at_on_unavailable() {
    let mut call = waiting();
    call.input(CallInput::Queue(QueueEvent::Refused(
        "nobody signed in".to_string(),
    )));
    let outputs = call.take();
    assert_eq!(heard(&outputs), ["(stop)"]);
    assert_eq!(
        call.core.outcome(),
        Some(CallOutcome::FlowHangup),
        "on_unavailable is bye"
    );
}

#[test]
fn position_announcements_interrupt_the_music_and_it_comes_back() {
    let mut call = waiting();
    call.take();
    call.input(CallInput::Queue(QueueEvent::Position {
        position: 2,
        expected_wait: Duration::from_secs(90),
    }));
    assert_eq!(heard(&call.take()), ["(stop)", "You are number 2 in line."]);
    call.play_out();
    assert_eq!(heard(&call.take()), ["(music)"]);
}

#[test]
fn hold_plays_music_and_cuts_the_audio() {
    let mut call = connected();
    call.input(CallInput::Desk(agent("agent1"), DeskCommand::Hold(true)));
    assert_eq!(heard(&call.take()), ["(music)"]);
    assert!(
        !call
            .core
            .routing()
            .hears(Party::Caller, Party::Leg(Slot::Agent))
    );
    call.input(CallInput::Desk(agent("agent1"), DeskCommand::Hold(false)));
    assert_eq!(heard(&call.take()), ["(stop)"]);
    assert!(
        call.core
            .routing()
            .hears(Party::Caller, Party::Leg(Slot::Agent))
    );
    call.leg(Slot::Agent, LegEvent::Held(true));
    assert!(
        !call
            .core
            .routing()
            .hears(Party::Caller, Party::Leg(Slot::Agent)),
        "a phone's hold counts too"
    );
}

#[test]
fn an_attended_transfer_hands_the_caller_to_the_consultant() {
    let mut call = connected();
    call.input(CallInput::Desk(
        agent("agent1"),
        DeskCommand::Consult(agent("agent2")),
    ));
    assert!(has(
        &call.take(),
        |output| matches!(output, CallOutput::Agents(AgentRequest::ReserveConsultant(_, consultant)) if *consultant == agent("agent2"))
    ));
    call.input(CallInput::Queue(QueueEvent::Consultant {
        agent: agent("agent2"),
    }));
    let outputs = call.take();
    assert_eq!(
        dialled(&outputs),
        [(Slot::Consultant, "agent2".to_string())]
    );
    assert_eq!(heard(&outputs), ["(music)"], "the caller waits with music");
    call.leg(Slot::Consultant, LegEvent::Answered);
    let routing = call.core.routing();
    assert!(routing.hears(Party::Leg(Slot::Agent), Party::Leg(Slot::Consultant)));
    assert!(!routing.hears(Party::Leg(Slot::Consultant), Party::Caller));
    call.take();
    call.input(CallInput::Desk(
        agent("agent1"),
        DeskCommand::CompleteConsultation,
    ));
    let outputs = call.take();
    assert_eq!(
        released(&outputs),
        [(Slot::Agent, Some("transferred to a colleague"))]
    );
    assert!(has(&outputs, |output| *output == CallOutput::PromoteConsultant));
    assert_eq!(call.core.record().agent.as_deref(), Some("agent2"));
    assert!(
        call.core
            .routing()
            .hears(Party::Caller, Party::Leg(Slot::Agent))
    );
}

#[test]
fn an_agent_sends_the_caller_back_into_the_flow_or_on_to_a_group() {
    let mut call = connected();
    call.input(CallInput::Desk(
        agent("agent1"),
        DeskCommand::Transfer(TransferTarget::Group("billing".to_string())),
    ));
    let outputs = call.take();
    let context = queued(&outputs).expect("queued again");
    assert_eq!(context.group, "billing");
    assert!(
        context
            .handover
            .summary
            .tried
            .iter()
            .any(|note| note == "handed on by agent1")
    );

    let mut call = connected();
    call.leg(Slot::Agent, LegEvent::Refer("1000".to_string()));
    let outputs = call.take();
    assert_eq!(
        heard(&outputs),
        ["menu.wav"],
        "a REFER to a routed number returns to on_return"
    );
    assert!(call.core.listening());
}

#[test]
fn supervisors_listen_whisper_and_barge() {
    let mut call = connected();
    call.input(CallInput::Monitor(
        agent("agent2"),
        Some(MonitorMode::Listen),
    ));
    assert_eq!(
        dialled(&call.take()),
        [(Slot::Supervisor, "agent2".to_string())]
    );
    let boss = Party::Leg(Slot::Supervisor);
    assert!(
        !call.core.routing().hears(Party::Caller, boss),
        "not before the phone answers"
    );
    call.leg(Slot::Supervisor, LegEvent::Answered);
    let routing = call.core.routing();
    assert!(routing.hears(Party::Caller, boss) && routing.hears(Party::Leg(Slot::Agent), boss));
    assert_eq!(routing.listeners(boss).count(), 0);
    call.input(CallInput::Monitor(
        agent("agent2"),
        Some(MonitorMode::Barge),
    ));
    assert!(call.core.routing().hears(boss, Party::Caller));
    call.input(CallInput::Monitor(
        agent("agent1"),
        Some(MonitorMode::Listen),
    ));
    assert!(dialled(&call.take()).is_empty(), "one supervisor at a time");
    call.input(CallInput::Monitor(agent("agent2"), None));
    assert_eq!(
        released(&call.take()),
        [(Slot::Supervisor, Some("the supervisor left"))]
    );
    assert!(!call.core.routing().hears(Party::Caller, boss));
}

#[test]
fn a_pause_keeps_keys_and_words_out_of_the_record() {
    let mut call = connected();
    call.input(CallInput::Desk(
        agent("agent1"),
        DeskCommand::PauseRecording(true),
    ));
    assert_eq!(marks(&call.take()), [MarkEvent::Paused]);
    call.press("4");
    assert_eq!(call.core.record().digits, "0•");
    call.input(CallInput::Desk(
        agent("agent1"),
        DeskCommand::PauseRecording(false),
    ));
    call.press("2");
    assert_eq!(call.core.record().digits, "0•2");
}

/// A phase of a call in which the caller hangs up, and what must follow.
struct Phase {
    name: &'static str,
    reach: fn() -> Harness,
    released: Vec<(Slot, Option<&'static str>)>,
    told: Option<AgentRequest>,
}

fn ringing() -> Harness {
    let mut call = waiting();
    call.input(CallInput::Queue(QueueEvent::Offer {
        agent: agent("agent1"),
    }));
    call
}

#[test]
fn hanging_up_in_each_phase_ends_everything_open() {
    let phases = [
        Phase {
            name: "in the flow",
            reach: || Harness::start(FLOW),
            released: vec![],
            told: None,
        },
        Phase {
            name: "waiting",
            reach: waiting,
            released: vec![],
            told: Some(AgentRequest::Leave),
        },
        Phase {
            name: "ringing",
            reach: ringing,
            released: vec![(Slot::Agent, Some("transfer ended"))],
            told: Some(AgentRequest::Declined(agent("agent1"), Declined::Rejected)),
        },
        Phase {
            name: "with an agent",
            reach: connected,
            released: vec![(Slot::Agent, Some("transfer ended"))],
            told: Some(AgentRequest::Finished(agent("agent1"))),
        },
    ];
    for phase in phases {
        let name = phase.name;
        let mut call = (phase.reach)();
        call.take();
        call.input(CallInput::DialogEnded(EndReason::CallerHangup));
        assert_eq!(
            call.core.outcome(),
            Some(CallOutcome::CallerHangup),
            "{name}"
        );
        call.core.end_call(call.now);
        let outputs = std::iter::from_fn(|| call.core.poll_output()).collect::<Vec<_>>();
        assert_eq!(released(&outputs), phase.released, "{name}");
        if let Some(told) = phase.told {
            assert!(asks_agents(&outputs, &told), "{name}: {outputs:?}");
        }
        let hung_up = has(&outputs, |output| matches!(output, CallOutput::HangUp(_)));
        assert!(!hung_up, "{name}: the caller hung up, Hotline sends no BYE");
    }
}

#[test]
fn an_offer_after_the_transfer_ended_is_given_back() {
    let mut call = Harness::start(FLOW);
    call.input(CallInput::Queue(QueueEvent::Offer {
        agent: agent("agent1"),
    }));
    assert!(asks_agents(
        &call.take(),
        &AgentRequest::Declined(agent("agent1"), Declined::Rejected)
    ));
}

#[test]
fn silent_media_ends_the_call_or_the_leg() {
    let mut call = Harness::start(FLOW);
    call.caller_media = false;
    call.wait(Duration::from_secs(30));
    assert_eq!(call.core.outcome(), None, "not before the media timeout");
    call.wait(Duration::from_millis(100));
    assert_eq!(call.core.outcome(), Some(CallOutcome::MediaTimeout));

    let mut call = Harness::start(FLOW);
    call.input(CallInput::AudioDirection {
        sending_and_receiving: false,
    });
    call.caller_media = false;
    call.wait(Duration::from_secs(31));
    assert_eq!(call.core.outcome(), None, "a held caller sends nothing");

    let mut call = connected();
    call.leg_media = false;
    call.wait(Duration::from_secs(31));
    let outputs = call.take();
    assert!(released(&outputs).contains(&(Slot::Agent, Some("media timeout"))));
    assert!(asks_agents(
        &outputs,
        &AgentRequest::Finished(agent("agent1"))
    ));
}
