//! A call's transfer, from joining the queue to the agent hanging up, as the core runs it: it
//! drives [`WarmTransfer`] (the hand-over's own sans-IO machine) and decides everything around
//! it — hold music and position announcements for the caller, the legs to the agent's,
//! consultant's and supervisor's phones, the brief, which keys and desk commands count, the
//! recording's marks — as outputs.
//!
//! Invariants: a leg exists here from its `Dial` until its `ReleaseLeg`; the caller hears music
//! exactly while the machine says so and nothing else plays; when the transfer is left, every
//! leg still open is released and the recording is marked back in the IVR.

use super::effects::Effects;
use super::input::{LegEvent, MediaActivity, Now, SpeechPart};
use super::output::{AgentRequest, BoardUpdate, CallOutput, Metric, Sound};
use super::routing::{Situation, Slot};
use crate::acd::{Declined, Stage, TransferAction, TransferTiming, WarmTransfer};
use crate::agents::{CallContext, QueueEvent};
use crate::agents::{DeskCommand, MonitorMode, TransferTarget};
use crate::config::Config;
use crate::dialogue::{FlowEvent, Handover, Priority as FlowPriority, TransferOutcome};
use crate::ids::{AgentId, CallId};
use crate::recording::{MarkEvent, Redactor};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing::{debug, info, warn};

/// What the transfer means for the flow after an input.
#[derive(Debug, PartialEq)]
pub(super) enum Next {
    /// The transfer goes on.
    Stay,
    /// The transfer is over (already left); the flow hears this.
    Leave(FlowEvent),
}

/// One leg to a phone.
#[derive(Debug)]
struct Leg {
    agent: AgentId,
    /// When the phone answered; `None` while it rings.
    answered_at: Option<Instant>,
}

/// The brief on the agent's leg: still being synthesized, still playing.
#[derive(Debug, Default)]
struct Brief {
    synthesizing: bool,
    playing: bool,
}

/// A call's transfer in progress.
#[derive(Debug)]
pub(super) struct TransferPhase {
    call: CallId,
    machine: WarmTransfer,
    context: CallContext,
    /// The brief as the flow wrote it, spoken to the agent (the context's is redacted).
    spoken_brief: String,
    legs: [Option<Leg>; 3],
    /// What the supervisor on the supervisor's leg does.
    monitor: Option<MonitorMode>,
    next_leg: u64,
    brief: Brief,
    /// Hold music is queued for the caller.
    music: bool,
    /// A position announcement is being spoken to the caller.
    announcing: bool,
    /// A transfer to a named agent waits for the agent service's answer; refused, the call
    /// waits for its group instead.
    reserving: bool,
    /// When the call (last) joined a queue.
    queued_at: Instant,
}

/// What the transfer reads of the configuration and the services.
pub(super) struct Settings {
    pub config: Arc<Config>,
    /// A voice is there to speak announcements and briefs.
    pub voice: bool,
}

fn priority_of(priority: FlowPriority) -> crate::acd::Priority {
    match priority {
        FlowPriority::Normal => crate::acd::Priority::Normal,
        FlowPriority::Raised => crate::acd::Priority::Raised,
        FlowPriority::Vip => crate::acd::Priority::Vip,
    }
}

/// The position announcement: `{position}` and `{wait}` (in words: "about 2 minutes").
pub(super) fn position_announcement(template: &str, position: usize, wait: Duration) -> String {
    let minutes = wait.as_secs().div_ceil(60);
    let wait = match minutes {
        0 => "less than a minute".to_string(),
        1 => "one minute".to_string(),
        minutes => format!("{minutes} minutes"),
    };
    template
        .replace("{position}", &position.to_string())
        .replace("{wait}", &wait)
}

/// The hand-over as desks show it: brief, transcript and details redacted.
fn redacted(handover: &Handover, redactor: &Redactor) -> Handover {
    let mut shown = handover.clone();
    let summary = &mut shown.summary;
    summary.brief = redactor.redact(&summary.brief);
    for line in &mut summary.transcript {
        line.text = redactor.redact(&line.text);
    }
    for value in summary.details.values_mut() {
        *value = redactor.redact(value);
    }
    shown
}

/// What a REFER's user part names: an agent, a group, or a number routed to a flow.
fn refer_target(config: &Config, user: &str) -> Option<TransferTarget> {
    if config.agent(user).is_some() {
        return Some(TransferTarget::Agent(AgentId::new(user)));
    }
    if config
        .agents
        .iter()
        .any(|agent| agent.skills.contains_key(user))
    {
        return Some(TransferTarget::Group(user.to_string()));
    }
    config.route(user).map(|_| TransferTarget::Flow(None))
}

impl TransferPhase {
    /// The flow hands the caller to a person: the call joins the group's queue with the context.
    pub fn start(
        now: Now,
        handover: &Handover,
        settings: &Settings,
        fx: &mut Effects,
    ) -> TransferPhase {
        let acd = &settings.config.acd;
        let timing = TransferTiming {
            ring_timeout: acd.ring_timeout,
            accept_timeout: acd.accept_timeout,
        };
        let record = fx.record();
        let context = CallContext {
            call: record.id,
            caller: record.from.clone(),
            dialled: record.to.clone(),
            customer_name: handover.customer_name.clone(),
            group: handover.group.clone(),
            priority: priority_of(handover.priority),
            waiting_since: now.wall,
            handover: redacted(handover, fx.redactor()),
            recording: format!("/api/calls/{}/recording", record.id),
        };
        fx.emit(CallOutput::Agents(AgentRequest::Enqueue(Box::new(
            context.clone(),
        ))));
        let mut transfer = TransferPhase {
            call: context.call,
            machine: WarmTransfer::waiting(timing),
            context,
            spoken_brief: handover.summary.brief.clone(),
            legs: Default::default(),
            monitor: None,
            next_leg: 1,
            brief: Brief::default(),
            music: false,
            announcing: false,
            reserving: false,
            queued_at: now.instant,
        };
        fx.mark(MarkEvent::Queue);
        transfer.sync_music(settings, fx);
        transfer
    }

    /// Where the hand-over stands.
    pub fn stage(&self) -> &Stage {
        self.machine.stage()
    }

    /// When the machine's next deadline is (ringing, deciding, a consultant ringing).
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.machine.poll_timeout()
    }

    /// What decides who hears whom.
    pub fn situation(&self) -> Situation {
        let supervisor_answered = self.legs[Slot::Supervisor.index()]
            .as_ref()
            .is_some_and(|leg| leg.answered_at.is_some());
        Situation {
            talking: self.machine.talking(),
            consulting: matches!(
                self.machine.stage(),
                Stage::Consulting { answered: true, .. }
            ),
            supervisor: self.monitor.filter(|_| supervisor_answered),
        }
    }

    /// News from the agent service.
    pub fn on_queue(
        &mut self,
        now: Now,
        event: QueueEvent,
        settings: &Settings,
        fx: &mut Effects,
    ) -> Next {
        let call = self.call;
        match event {
            QueueEvent::Refused(reason) if self.reserving => {
                info!(%call, %reason, "agent not free, waiting for the group");
                self.reserving = false;
                let context = Box::new(self.context.clone());
                fx.emit(CallOutput::Agents(AgentRequest::Enqueue(context)));
            }
            QueueEvent::Refused(reason) => {
                info!(%call, %reason, "transfer refused");
                self.leave(fx);
                return Next::Leave(FlowEvent::TransferFailed { reason });
            }
            QueueEvent::Offer { agent } => {
                self.reserving = false;
                self.machine.offered(now.instant, agent);
            }
            QueueEvent::Withdraw { agent } => self.machine.withdrawn(&agent),
            QueueEvent::Consultant { agent } => self.machine.consult(now.instant, agent),
            QueueEvent::ConsultantRefused(reason) => {
                info!(%call, %reason, "consultation refused");
            }
            QueueEvent::Position {
                position,
                expected_wait,
            } => {
                if self.machine.stage() != &Stage::Waiting {
                    return Next::Stay;
                }
                let template = &settings.config.acd.position_text;
                let text = position_announcement(template, position, expected_wait);
                debug!(%call, position, ?expected_wait, "announcing position");
                if settings.voice {
                    fx.stop_playback();
                    self.music = false;
                    self.announcing = true;
                    fx.say(text);
                }
            }
            QueueEvent::Overflowed { from, to } => {
                info!(%call, %from, %to, "waiting for another group");
                self.context.group = to.clone();
                fx.record_mut()
                    .variables
                    .insert("queue_group".to_string(), to);
            }
        }
        self.run(now, settings, fx)
    }

    /// Something happened on the leg in `slot`.
    pub fn on_leg(
        &mut self,
        now: Now,
        slot: Slot,
        event: LegEvent,
        settings: &Settings,
        fx: &mut Effects,
    ) -> Next {
        let call = self.call;
        let Some(leg) = self.legs[slot.index()].as_mut() else {
            debug!(%call, ?slot, ?event, "event of a leg already given up");
            return Next::Stay;
        };
        match event {
            LegEvent::DialFailed => {
                warn!(%call, ?slot, "no leg could be made");
                self.legs[slot.index()] = None;
                match slot {
                    Slot::Agent => self.machine.failed(true),
                    Slot::Consultant => self.machine.consultation_ended(Declined::Rejected),
                    Slot::Supervisor => self.monitor = None,
                }
            }
            LegEvent::Key(key) if slot == Slot::Agent => {
                return self.agent_key(now, key, settings, fx);
            }
            LegEvent::Refer(target) if slot == Slot::Agent => {
                match refer_target(&settings.config, &target) {
                    Some(target) => return self.hand_on(now, target, settings, fx),
                    None => warn!(%call, %target, "REFER to an unknown target ignored"),
                }
                return Next::Stay;
            }
            LegEvent::Key(_) | LegEvent::Refer(_) => {}
            LegEvent::Answered => {
                debug!(%call, agent = %leg.agent, ?slot, "leg answered");
                leg.answered_at = Some(now.instant);
                match slot {
                    Slot::Agent => {
                        let waited = now.instant.saturating_duration_since(self.queued_at);
                        fx.emit(CallOutput::Count(Metric::QueueAnswer(waited)));
                        fx.emit(CallOutput::Board(BoardUpdate::Answered {
                            group: self.context.group.clone(),
                            waited,
                        }));
                        self.machine.answered();
                    }
                    Slot::Consultant => self.machine.consultant_answered(),
                    Slot::Supervisor => {}
                }
            }
            LegEvent::Failed { status, reason } => {
                info!(%call, ?slot, status, %reason, "leg failed");
                self.leg_ended(slot, Some(status), None, fx);
            }
            LegEvent::Ended(reason) => {
                info!(%call, ?slot, ?reason, "hung up");
                self.leg_ended(slot, None, None, fx);
            }
            LegEvent::Held(held) => {
                if slot == Slot::Agent {
                    self.machine.set_held(held);
                }
            }
            LegEvent::PlaybackFinished => {
                if slot == Slot::Agent && self.brief.playing {
                    self.brief.playing = false;
                    if !self.brief.synthesizing {
                        self.machine.brief_finished(now.instant);
                    }
                }
            }
            LegEvent::Brief(part) => self.brief_part(now, slot, part, fx),
        }
        self.run(now, settings, fx)
    }

    /// A sentence of the brief, or its end.
    fn brief_part(&mut self, now: Now, slot: Slot, part: SpeechPart, fx: &mut Effects) {
        match part {
            Some(Ok(chunk)) => {
                self.brief.playing = true;
                fx.emit(CallOutput::PlayToLeg(slot, chunk.samples));
            }
            Some(Err(error)) => {
                warn!(call = %self.call, %error, "the brief could not be spoken");
                self.brief.synthesizing = false;
                self.machine.brief_finished(now.instant);
            }
            None => {
                self.brief.synthesizing = false;
                if !self.brief.playing {
                    self.machine.brief_finished(now.instant);
                }
            }
        }
    }

    /// A leg is gone: hung up (`status` is `None`) or never connected (its SIP status);
    /// `hang_up` says why Hotline ends it, when Hotline does.
    fn leg_ended(
        &mut self,
        slot: Slot,
        status: Option<u16>,
        hang_up: Option<&'static str>,
        fx: &mut Effects,
    ) {
        self.legs[slot.index()] = None;
        fx.emit(CallOutput::ReleaseLeg { slot, hang_up });
        match slot {
            Slot::Agent => match status {
                None => self.machine.agent_hung_up(),
                Some(status) => self.machine.failed(matches!(status, 486 | 600 | 603)),
            },
            Slot::Consultant => {
                let why = match status {
                    Some(486 | 600 | 603) | None => Declined::Rejected,
                    Some(_) => Declined::Unreachable,
                };
                self.machine.consultation_ended(why);
            }
            Slot::Supervisor => self.monitor = None,
        }
    }

    /// A key from the agent's phone: 1 takes the call, 2 passes it on.
    fn agent_key(&mut self, now: Now, key: char, settings: &Settings, fx: &mut Effects) -> Next {
        debug!(call = %self.call, %key, "agent key");
        match key {
            '1' => self.machine.accepted(),
            '2' => self.machine.rejected(),
            _ => return Next::Stay,
        }
        self.run(now, settings, fx)
    }

    /// A key from the caller while transferring: the callback key leaves the queue when the
    /// flow offers callbacks. Every key belongs to the transfer, none to the flow.
    pub fn caller_key(
        &mut self,
        now: Now,
        key: char,
        offers_callback: bool,
        settings: &Settings,
        fx: &mut Effects,
    ) -> Next {
        let waiting = !matches!(
            self.machine.stage(),
            Stage::Connected { .. } | Stage::Consulting { .. } | Stage::Done
        );
        if key != settings.config.acd.callback_key || !waiting || !offers_callback {
            return Next::Stay;
        }
        info!(call = %self.call, "caller asks to be called back");
        self.machine.caller_left();
        fx.emit(CallOutput::Agents(AgentRequest::Leave));
        let group = self.context.group.clone();
        fx.record_mut()
            .variables
            .insert("callback_requested".to_string(), group);
        if let Next::Leave(event) = self.run(now, settings, fx) {
            return Next::Leave(event);
        }
        self.leave(fx);
        Next::Leave(FlowEvent::TransferEnded(TransferOutcome::Callback))
    }

    /// The desk of the agent offered or handling the call acts on it; other agents' commands
    /// are ignored.
    pub fn on_desk(
        &mut self,
        now: Now,
        agent: AgentId,
        command: DeskCommand,
        settings: &Settings,
        fx: &mut Effects,
    ) -> Next {
        if self.machine.agent() != Some(&agent) {
            return Next::Stay;
        }
        info!(call = %self.call, %agent, ?command, "desk command");
        match command {
            DeskCommand::Accept => self.machine.accepted(),
            DeskCommand::Reject => self.machine.rejected(),
            DeskCommand::Hold(hold) => self.machine.set_held(hold),
            DeskCommand::PauseRecording(pause) => {
                fx.mark(if pause {
                    MarkEvent::Paused
                } else {
                    MarkEvent::Resumed
                });
                return Next::Stay;
            }
            DeskCommand::Transfer(target) => return self.hand_on(now, target, settings, fx),
            DeskCommand::Consult(consultant) => {
                if matches!(self.machine.stage(), Stage::Connected { .. }) {
                    let context = Box::new(self.context.clone());
                    fx.emit(CallOutput::Agents(AgentRequest::ReserveConsultant(
                        context, consultant,
                    )));
                }
                return Next::Stay;
            }
            DeskCommand::CompleteConsultation => self.machine.complete_consultation(),
            DeskCommand::CancelConsultation => self.machine.consultation_ended(Declined::Rejected),
        }
        self.run(now, settings, fx)
    }

    /// A supervisor joins the call in `mode`, changes mode, or leaves (`None`).
    pub fn on_monitor(&mut self, supervisor: AgentId, mode: Option<MonitorMode>, fx: &mut Effects) {
        let call = self.call;
        let slot = Slot::Supervisor;
        match (mode, self.legs[slot.index()].as_ref()) {
            (None, None) => {}
            (None, Some(_)) => {
                self.legs[slot.index()] = None;
                self.monitor = None;
                fx.emit(CallOutput::ReleaseLeg {
                    slot,
                    hang_up: Some("the supervisor left"),
                });
            }
            (Some(mode), Some(leg)) if leg.agent == supervisor => {
                info!(%call, %supervisor, ?mode, "supervisor changes mode");
                self.monitor = Some(mode);
            }
            (Some(_), Some(_)) => warn!(%call, "another supervisor is on the call"),
            (Some(mode), None) => {
                info!(%call, %supervisor, ?mode, "calling the supervisor");
                self.monitor = Some(mode);
                self.dial(slot, supervisor, fx);
            }
        }
    }

    /// The agent hands the caller on: to an agent, a group, or back into the flow.
    fn hand_on(
        &mut self,
        now: Now,
        target: TransferTarget,
        settings: &Settings,
        fx: &mut Effects,
    ) -> Next {
        if !matches!(self.machine.stage(), Stage::Connected { .. }) {
            return Next::Stay;
        }
        info!(call = %self.call, ?target, "agent hands the caller on");
        let by = self
            .machine
            .agent()
            .map(AgentId::to_string)
            .unwrap_or_default();
        let summary = &mut self.context.handover.summary;
        summary.tried.push(format!("handed on by {by}"));
        match target {
            TransferTarget::Flow(step) => {
                self.machine.returned_to_flow();
                if let Next::Leave(event) = self.run(now, settings, fx) {
                    return Next::Leave(event);
                }
                self.leave(fx);
                return Next::Leave(FlowEvent::TransferEnded(TransferOutcome::Returned { step }));
            }
            TransferTarget::Agent(agent) => {
                self.machine.handed_on();
                self.reserving = true;
                self.queued_at = now.instant;
                let context = Box::new(self.context.clone());
                fx.emit(CallOutput::Agents(AgentRequest::Reserve(context, agent)));
            }
            TransferTarget::Group(group) => {
                self.machine.handed_on();
                self.context.group = group;
                self.queued_at = now.instant;
                let context = Box::new(self.context.clone());
                fx.emit(CallOutput::Agents(AgentRequest::Enqueue(context)));
            }
        }
        self.run(now, settings, fx)
    }

    /// Runs the timers: the machine's deadlines, and the media timeout of an answered leg whose
    /// RTP stopped.
    pub fn handle_timeout(
        &mut self,
        now: Now,
        activity: &MediaActivity,
        settings: &Settings,
        fx: &mut Effects,
    ) -> Next {
        let media_timeout = settings.config.media.media_timeout;
        for slot in Slot::ALL {
            let Some(leg) = self.legs[slot.index()].as_ref() else {
                continue;
            };
            let Some(answered_at) = leg.answered_at else {
                continue;
            };
            let last = activity.legs[slot.index()].unwrap_or(answered_at);
            if now.instant.saturating_duration_since(last) > media_timeout {
                info!(call = %self.call, agent = %leg.agent, ?slot, "no RTP from the leg: hanging up");
                self.leg_ended(slot, None, Some("media timeout"), fx);
            }
        }
        self.machine.handle_timeout(now.instant);
        self.run(now, settings, fx)
    }

    /// The caller's playback ended: the music clip or an announcement.
    pub fn playback_finished(&mut self, settings: &Settings, fx: &mut Effects) {
        self.music = false;
        self.announcing = false;
        self.sync_music(settings, fx);
    }

    /// The hold music could not be played.
    pub fn music_failed(&mut self) {
        warn!(call = %self.call, "hold music unavailable");
        self.music = false;
    }

    /// The caller is gone: the agent service hears of it and every leg ends.
    pub fn caller_left(mut self, now: Now, settings: &Settings, fx: &mut Effects) {
        let waiting = !matches!(
            self.machine.stage(),
            Stage::Connected { .. } | Stage::Consulting { .. }
        );
        self.machine.caller_left();
        if waiting {
            fx.emit(CallOutput::Agents(AgentRequest::Leave));
        }
        if self.legs[Slot::Supervisor.index()].take().is_some() {
            fx.emit(CallOutput::ReleaseLeg {
                slot: Slot::Supervisor,
                hang_up: Some("the caller hung up"),
            });
        }
        // The transfer ends here whatever the machine says next.
        let _ = self.run(now, settings, fx);
        self.release_legs(fx);
    }

    /// Carries out what the machine decided, then plays or stops hold music to match.
    fn run(&mut self, now: Now, settings: &Settings, fx: &mut Effects) -> Next {
        while let Some(action) = self.machine.poll_action() {
            match action {
                TransferAction::Dial(agent) => self.dial(Slot::Agent, agent, fx),
                TransferAction::DialConsultant(agent) => self.dial(Slot::Consultant, agent, fx),
                TransferAction::HangUpAgent => self.hang_up(Slot::Agent, "transfer ended", fx),
                TransferAction::HangUpConsultant => {
                    self.hang_up(Slot::Consultant, "consultation ended", fx)
                }
                TransferAction::HandOverToConsultant => {
                    self.hang_up(Slot::Agent, "transferred to a colleague", fx);
                    self.legs[Slot::Agent.index()] = self.legs[Slot::Consultant.index()].take();
                    fx.emit(CallOutput::PromoteConsultant);
                    fx.record_mut().agent = self.machine.agent().map(AgentId::to_string);
                }
                TransferAction::PlayBrief => self.play_brief(now, settings, fx),
                TransferAction::Bridge => self.stop_music(fx),
                TransferAction::Unbridge | TransferAction::BridgeConsultation => {}
                TransferAction::Declined { agent, why } => {
                    let summary = &mut self.context.handover.summary;
                    summary.tried.push(why.note(&agent));
                    fx.emit(CallOutput::Agents(AgentRequest::Declined(agent, why)));
                }
                TransferAction::Connected(agent) => {
                    fx.emit(CallOutput::Agents(AgentRequest::Connected(agent.clone())));
                    if self.machine.consultant().is_none() {
                        let waited = now.instant.saturating_duration_since(self.queued_at);
                        fx.emit(CallOutput::Count(Metric::QueueConnect(waited)));
                        fx.record_mut().agent = Some(agent.to_string());
                        fx.mark(MarkEvent::Resumed);
                        fx.mark(MarkEvent::Agent);
                    }
                }
                TransferAction::Finished(agent) => {
                    fx.emit(CallOutput::Agents(AgentRequest::Finished(agent)))
                }
                TransferAction::Completed => {
                    self.leave(fx);
                    return Next::Leave(FlowEvent::TransferEnded(TransferOutcome::Completed));
                }
            }
        }
        self.sync_music(settings, fx);
        Next::Stay
    }

    /// Calls a phone on a new leg in `slot`.
    fn dial(&mut self, slot: Slot, agent: AgentId, fx: &mut Effects) {
        let number = self.next_leg;
        self.next_leg += 1;
        let context = &self.context;
        let display_name = match &context.customer_name {
            Some(name) => format!("{name} ({})", context.group),
            None => format!("{} ({})", context.caller, context.group),
        };
        if slot == Slot::Agent {
            self.brief = Brief::default();
        }
        fx.emit(CallOutput::Dial {
            slot,
            number,
            agent: agent.clone(),
            display_name,
            caller: context.caller.clone(),
        });
        self.legs[slot.index()] = Some(Leg {
            agent,
            answered_at: None,
        });
    }

    /// Hangs up the leg in `slot`, if there is one.
    fn hang_up(&mut self, slot: Slot, reason: &'static str, fx: &mut Effects) {
        if self.legs[slot.index()].take().is_some() {
            fx.emit(CallOutput::ReleaseLeg {
                slot,
                hang_up: Some(reason),
            });
        }
    }

    /// Releases every leg still open (the transfer is over).
    fn release_legs(&mut self, fx: &mut Effects) {
        for slot in Slot::ALL {
            if self.legs[slot.index()].take().is_some() {
                fx.emit(CallOutput::ReleaseLeg {
                    slot,
                    hang_up: None,
                });
            }
        }
    }

    /// Speaks the brief and how to accept to the agent who answered.
    fn play_brief(&mut self, now: Now, settings: &Settings, fx: &mut Effects) {
        let Some(leg) = self.legs[Slot::Agent.index()].as_ref() else {
            return;
        };
        fx.emit(CallOutput::Agents(AgentRequest::Briefing(
            leg.agent.clone(),
        )));
        if !settings.voice {
            self.machine.brief_finished(now.instant);
            return;
        }
        let brief = format!(
            "{} {}",
            self.spoken_brief, settings.config.acd.accept_prompt
        );
        self.brief = Brief {
            synthesizing: true,
            playing: false,
        };
        fx.emit(CallOutput::SayToLeg(Slot::Agent, brief));
    }

    /// Plays hold music whenever the caller should hear it and nothing else plays.
    fn sync_music(&mut self, settings: &Settings, fx: &mut Effects) {
        if !self.machine.caller_hears_music() {
            if self.music {
                fx.stop_playback();
                self.music = false;
            }
            return;
        }
        if self.music || self.announcing || fx.playback.playing {
            return;
        }
        let Some(path) = &settings.config.acd.hold_music else {
            return;
        };
        fx.play(Sound::Music(path.clone()));
        self.music = true;
    }

    fn stop_music(&mut self, fx: &mut Effects) {
        if self.music || self.announcing {
            fx.stop_playback();
            self.music = false;
            self.announcing = false;
        }
    }

    /// Leaves the transfer: music stops, the supervisor and any other leg still open are
    /// released, and the recording is marked back in the IVR.
    fn leave(&mut self, fx: &mut Effects) {
        self.stop_music(fx);
        if self.legs[Slot::Supervisor.index()].take().is_some() {
            self.monitor = None;
            fx.emit(CallOutput::ReleaseLeg {
                slot: Slot::Supervisor,
                hang_up: Some("the transfer ended"),
            });
        }
        self.release_legs(fx);
        fx.mark(MarkEvent::Resumed);
        fx.mark(MarkEvent::Ivr);
    }
}

#[cfg(test)]
mod tests {
    use super::position_announcement;
    use std::time::Duration;

    #[test]
    fn announcements_say_the_wait_in_words() {
        let template = "You are number {position} in line. The expected wait is about {wait}.";
        assert_eq!(
            position_announcement(template, 2, Duration::from_secs(150)),
            "You are number 2 in line. The expected wait is about 3 minutes."
        );
        assert_eq!(
            position_announcement(template, 1, Duration::from_secs(60)),
            "You are number 1 in line. The expected wait is about one minute."
        );
        assert_eq!(
            position_announcement("{wait}", 1, Duration::ZERO),
            "less than a minute"
        );
    }
}
