//! The call actor's side of a warm transfer: it joins the queue, plays hold music and position
//! announcements to the caller, calls the offered agent, speaks the brief to them, bridges the
//! legs once the agent accepts, and carries the agent's transfers (blind and attended), hold,
//! and a supervisor listening in.
//!
//! The decisions are [`WarmTransfer`]'s (sans-IO); this file only executes its actions over the
//! call's legs, the dialer and the agent service. Who hears whom is in [`super::bridge`].

use super::actor::CallActor;
use super::agent_leg::{AgentLeg, LegCounters, LegEvents, MonitorMode, Slot};
use super::media_metrics::MediaMetrics;
use super::speaking::Speaking;
use super::{DeskCommand, TransferTarget};
use crate::acd::{Declined, Stage, TransferAction, TransferTiming, WarmTransfer};
use crate::agents::{CallContext, QueueEvent};
use crate::dialogue::{FlowEvent, Handover, Priority as FlowPriority, TransferOutcome};
use crate::ids::{AgentId, CallId};
use crate::net::MediaSockets;
use crate::recording::{CallRecorder, MarkEvent};
use crate::sip::{OutboundCall, OutboundEvent};
use std::time::{Duration, Instant};
use tracing::{debug, info, warn};

/// A supervisor on the call.
pub(super) struct Monitor {
    pub leg: AgentLeg,
    pub mode: MonitorMode,
}

/// A call's transfer in progress: from joining the queue to the agent hanging up.
pub(super) struct TransferPhase {
    pub machine: WarmTransfer,
    pub context: CallContext,
    /// The brief as the flow wrote it, spoken to the agent (the context's is redacted for
    /// display).
    pub spoken_brief: String,
    /// The agent's leg.
    pub leg: Option<AgentLeg>,
    /// The consultant's leg during an attended transfer.
    pub consult: Option<AgentLeg>,
    /// A supervisor's leg.
    pub monitor: Option<Monitor>,
    pub next_leg: u64,
    /// Hold music is queued on the caller's media.
    pub music: bool,
    /// A position announcement is being spoken to the caller.
    pub announcing: bool,
    /// A transfer to a named agent waits for the agent service's answer; refused, the call
    /// waits for its group instead.
    pub reserving: bool,
    /// When the call (last) joined a queue, for the queue timing metrics.
    pub queued_at: Instant,
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

/// Marks an event in the call's recording, if it is being recorded; a failure stops it.
pub(super) fn mark(recorder: &mut Option<CallRecorder>, event: MarkEvent, call: CallId) {
    if let Some(active) = recorder.as_mut()
        && let Err(error) = active.mark(event)
    {
        warn!(%call, %error, "recording stopped");
        *recorder = None;
    }
}

/// The hand-over as desks show it: brief, transcript and details redacted.
fn redacted(handover: &Handover, redactor: &crate::recording::Redactor) -> Handover {
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

impl CallActor {
    /// Marks an event in the call's recording.
    pub(super) fn mark_recording(&mut self, event: MarkEvent) {
        mark(&mut self.recorder, event, self.id);
    }

    pub(super) fn flow_event(&mut self, event: FlowEvent) {
        self.flow
            .handle_event(Instant::now(), chrono::Utc::now(), event);
    }

    /// The flow hands the caller to a person: join the group's queue with the context.
    pub(super) fn start_transfer(&mut self, handover: &Handover) {
        let acd = &self.registry.services.config.acd;
        let timing = TransferTiming {
            ring_timeout: acd.ring_timeout,
            accept_timeout: acd.accept_timeout,
        };
        let context = CallContext {
            call: self.id,
            caller: self.record.from.clone(),
            dialled: self.record.to.clone(),
            customer_name: handover.customer_name.clone(),
            group: handover.group.clone(),
            priority: priority_of(handover.priority),
            waiting_since: chrono::Utc::now(),
            handover: redacted(handover, self.registry.services.recordings.redactor()),
            recording: format!("/api/calls/{}/recording", self.id),
        };
        self.registry
            .services
            .agents
            .enqueue(self.handle.clone(), context.clone());
        self.transfer = Some(TransferPhase {
            machine: WarmTransfer::waiting(timing),
            context,
            spoken_brief: handover.summary.brief.clone(),
            leg: None,
            consult: None,
            monitor: None,
            next_leg: 1,
            music: false,
            announcing: false,
            reserving: false,
            queued_at: Instant::now(),
        });
        self.mark_recording(MarkEvent::Queue);
        self.sync_music();
    }

    /// Leaves the transfer and tells the flow how it ended.
    fn leave_transfer(&mut self, event: FlowEvent) {
        self.stop_music();
        if let Some(monitor) = self
            .transfer
            .as_mut()
            .and_then(|transfer| transfer.monitor.take())
        {
            monitor.leg.dialog.hang_up("the transfer ended");
        }
        self.transfer = None;
        self.mark_recording(MarkEvent::Resumed);
        self.mark_recording(MarkEvent::Ivr);
        self.flow_event(event);
    }

    /// News from the agent service.
    pub(super) fn on_queue(&mut self, event: QueueEvent) {
        let now = Instant::now();
        let Some(transfer) = self.transfer.as_mut() else {
            if let QueueEvent::Offer { agent } | QueueEvent::Consultant { agent } = event {
                // The call left the transfer meanwhile: give the offer back.
                self.registry
                    .services
                    .agents
                    .declined(self.id, agent, Declined::Rejected);
            }
            return;
        };
        match event {
            QueueEvent::Refused(reason) if transfer.reserving => {
                info!(call = %self.id, %reason, "agent not free, waiting for the group");
                transfer.reserving = false;
                let context = transfer.context.clone();
                self.registry
                    .services
                    .agents
                    .enqueue(self.handle.clone(), context);
            }
            QueueEvent::Refused(reason) => {
                info!(call = %self.id, %reason, "transfer refused");
                self.leave_transfer(FlowEvent::TransferFailed { reason });
                return;
            }
            QueueEvent::Offer { agent } => {
                transfer.reserving = false;
                transfer.machine.offered(now, agent);
            }
            QueueEvent::Withdraw { agent } => transfer.machine.withdrawn(&agent),
            QueueEvent::Consultant { agent } => transfer.machine.consult(now, agent),
            QueueEvent::ConsultantRefused(reason) => {
                info!(call = %self.id, %reason, "consultation refused");
            }
            QueueEvent::Position {
                position,
                expected_wait,
            } => {
                if transfer.machine.stage() != &Stage::Waiting {
                    return;
                }
                let template = &self.registry.services.config.acd.position_text;
                let text = position_announcement(template, position, expected_wait);
                debug!(call = %self.id, position, ?expected_wait, "announcing position");
                if let Some(service) = &self.registry.services.synthesizer {
                    self.media.stop_playback();
                    transfer.music = false;
                    transfer.announcing = true;
                    self.speaking = Some(Speaking::start(service, text));
                }
            }
            QueueEvent::Overflowed { from, to } => {
                info!(call = %self.id, %from, %to, "waiting for another group");
                transfer.context.group = to.clone();
                self.record.variables.insert("queue_group".to_string(), to);
                self.registry.services.records.save(self.record.clone());
            }
        }
        self.run_transfer();
    }

    /// Something happened on a leg to an agent's, consultant's or supervisor's phone.
    pub(super) fn on_agent_leg(&mut self, number: u64, event: OutboundEvent) {
        let Some(transfer) = self.transfer.as_mut() else {
            return;
        };
        let slot = [
            (Slot::Agent, transfer.leg.as_ref()),
            (Slot::Consultant, transfer.consult.as_ref()),
            (
                Slot::Supervisor,
                transfer.monitor.as_ref().map(|monitor| &monitor.leg),
            ),
        ]
        .into_iter()
        .find_map(|(slot, leg)| leg.filter(|leg| leg.number == number).map(|_| slot));
        let Some(slot) = slot else {
            debug!(call = %self.id, number, ?event, "event of a leg already given up");
            return;
        };
        match event {
            OutboundEvent::Key(key) if slot == Slot::Agent => return self.agent_key(key),
            OutboundEvent::Refer(target) if slot == Slot::Agent => {
                match self.refer_target(&target) {
                    Some(target) => self.hand_on(target),
                    None => warn!(call = %self.id, %target, "REFER to an unknown target ignored"),
                }
                return;
            }
            OutboundEvent::Answered(audio) => {
                let registry = self.registry.clone();
                let id = self.id;
                let cname = format!("hotline-{id}-{slot:?}");
                let start = self.media.next_tick_at();
                if let Some(leg) = self.leg_mut(slot) {
                    info!(call = %id, agent = %leg.agent, ?slot, codec = %audio.codec, "answered");
                    leg.answered(&audio, &registry.services.config.media, cname, start);
                }
                let metrics = &self.registry.services.metrics;
                if let Some(transfer) = self.transfer.as_mut() {
                    match slot {
                        Slot::Agent => {
                            let waited = transfer.queued_at.elapsed();
                            metrics.queue_answer.observe(waited.as_secs_f64());
                            let board = &self.registry.services.board;
                            board.answered(&transfer.context.group, waited, chrono::Utc::now());
                            transfer.machine.answered();
                        }
                        Slot::Consultant => transfer.machine.consultant_answered(),
                        Slot::Supervisor => {}
                    }
                }
            }
            OutboundEvent::Failed { status, reason } => {
                info!(call = %self.id, ?slot, status, %reason, "leg failed");
                self.leg_ended(slot, Some(status));
            }
            OutboundEvent::Ended(reason) => {
                info!(call = %self.id, ?slot, ?reason, "hung up");
                self.leg_ended(slot, None);
            }
            OutboundEvent::UpdateAudio(audio) => {
                let held = audio.direction != crate::sip::sdp::Direction::SendReceive;
                if let Some(media) = self.leg_mut(slot).and_then(|leg| leg.media.as_mut()) {
                    media.set_direction(super::actor::media_direction(audio.direction));
                    media.update_remote(audio.remote_rtp, audio.remote_rtcp);
                }
                if slot == Slot::Agent
                    && let Some(transfer) = self.transfer.as_mut()
                {
                    transfer.machine.set_held(held);
                }
            }
            OutboundEvent::Ringing | OutboundEvent::Key(_) | OutboundEvent::Refer(_) => {}
        }
        self.run_transfer();
    }

    /// The leg in `slot`, if there is one.
    pub(super) fn leg_mut(&mut self, slot: Slot) -> Option<&mut AgentLeg> {
        let transfer = self.transfer.as_mut()?;
        match slot {
            Slot::Agent => transfer.leg.as_mut(),
            Slot::Consultant => transfer.consult.as_mut(),
            Slot::Supervisor => transfer.monitor.as_mut().map(|monitor| &mut monitor.leg),
        }
    }

    /// A leg is gone: hung up (`status` is `None`) or never connected (its SIP status).
    pub(super) fn leg_ended(&mut self, slot: Slot, status: Option<u16>) {
        let Some(transfer) = self.transfer.as_mut() else {
            return;
        };
        match slot {
            Slot::Agent => {
                transfer.leg = None;
                match status {
                    None => transfer.machine.agent_hung_up(),
                    Some(status) => transfer.machine.failed(matches!(status, 486 | 600 | 603)),
                }
            }
            Slot::Consultant => {
                transfer.consult = None;
                let why = match status {
                    Some(486 | 600 | 603) | None => Declined::Rejected,
                    Some(_) => Declined::Unreachable,
                };
                transfer.machine.consultation_ended(why);
            }
            Slot::Supervisor => transfer.monitor = None,
        }
    }

    /// What a REFER's user part names: an agent, a group, or a number routed to a flow.
    fn refer_target(&self, user: &str) -> Option<TransferTarget> {
        let config = &self.registry.services.config;
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

    /// A key from the agent's phone: 1 takes the call, 2 passes it on.
    pub(super) fn agent_key(&mut self, key: char) {
        let Some(transfer) = self.transfer.as_mut() else {
            return;
        };
        debug!(call = %self.id, %key, "agent key");
        match key {
            '1' => transfer.machine.accepted(),
            '2' => transfer.machine.rejected(),
            _ => return,
        }
        self.run_transfer();
    }

    /// A key from the caller while transferring: the callback key leaves the queue. True when
    /// the key belongs to the transfer (and so not to the flow).
    pub(super) fn transfer_key(&mut self, key: char) -> bool {
        let Some(transfer) = self.transfer.as_mut() else {
            return false;
        };
        let waiting = !matches!(
            transfer.machine.stage(),
            Stage::Connected { .. } | Stage::Consulting { .. } | Stage::Done
        );
        let callback = self.registry.services.config.acd.callback_key;
        if key == callback && waiting && self.flow.transfer_offers_callback() {
            info!(call = %self.id, "caller asks to be called back");
            transfer.machine.caller_left();
            self.registry.services.agents.leave(self.id);
            self.record.variables.insert(
                "callback_requested".to_string(),
                transfer.context.group.clone(),
            );
            self.run_transfer();
            self.leave_transfer(FlowEvent::TransferEnded(TransferOutcome::Callback));
        }
        true
    }

    /// The desk of an agent offered or handling the call acts on it.
    pub(super) fn on_desk(&mut self, agent: AgentId, command: DeskCommand) {
        let Some(transfer) = self.transfer.as_mut() else {
            return;
        };
        if transfer.machine.agent() != Some(&agent) {
            return;
        }
        info!(call = %self.id, %agent, ?command, "desk command");
        match command {
            DeskCommand::Accept => transfer.machine.accepted(),
            DeskCommand::Reject => transfer.machine.rejected(),
            DeskCommand::Hold(hold) => transfer.machine.set_held(hold),
            DeskCommand::PauseRecording(pause) => {
                let event = if pause {
                    MarkEvent::Paused
                } else {
                    MarkEvent::Resumed
                };
                return self.mark_recording(event);
            }
            DeskCommand::Transfer(target) => return self.hand_on(target),
            DeskCommand::Consult(consultant) => {
                if matches!(transfer.machine.stage(), Stage::Connected { .. }) {
                    let context = transfer.context.clone();
                    self.registry.services.agents.reserve_consultant(
                        self.handle.clone(),
                        context,
                        consultant,
                    );
                }
                return;
            }
            DeskCommand::CompleteConsultation => transfer.machine.complete_consultation(),
            DeskCommand::CancelConsultation => {
                transfer.machine.consultation_ended(Declined::Rejected)
            }
        }
        self.run_transfer();
    }

    /// A supervisor joins the call in `mode`, changes mode, or leaves (`None`).
    pub(super) fn on_monitor(&mut self, supervisor: AgentId, mode: Option<MonitorMode>) {
        let Some(transfer) = self.transfer.as_mut() else {
            return;
        };
        match (mode, transfer.monitor.as_mut()) {
            (None, _) => {
                if let Some(monitor) = transfer.monitor.take() {
                    monitor.leg.dialog.hang_up("the supervisor left");
                }
            }
            (Some(mode), Some(monitor)) if monitor.leg.agent == supervisor => {
                info!(call = %self.id, %supervisor, ?mode, "supervisor changes mode");
                monitor.mode = mode;
            }
            (Some(_), Some(_)) => warn!(call = %self.id, "another supervisor is on the call"),
            (Some(mode), None) => {
                info!(call = %self.id, %supervisor, ?mode, "calling the supervisor");
                if let Some(leg) = self.dial_leg(supervisor)
                    && let Some(transfer) = self.transfer.as_mut()
                {
                    transfer.monitor = Some(Monitor { leg, mode });
                }
            }
        }
    }

    /// The agent hands the caller on: to an agent, a group, or back into the flow.
    fn hand_on(&mut self, target: TransferTarget) {
        let Some(transfer) = self.transfer.as_mut() else {
            return;
        };
        if !matches!(transfer.machine.stage(), Stage::Connected { .. }) {
            return;
        }
        info!(call = %self.id, ?target, "agent hands the caller on");
        let by = transfer
            .machine
            .agent()
            .map(AgentId::to_string)
            .unwrap_or_default();
        transfer
            .context
            .handover
            .summary
            .tried
            .push(format!("handed on by {by}"));
        match target {
            TransferTarget::Flow(step) => {
                transfer.machine.returned_to_flow();
                self.run_transfer();
                self.leave_transfer(FlowEvent::TransferEnded(TransferOutcome::Returned { step }));
                return;
            }
            TransferTarget::Agent(agent) => {
                transfer.machine.handed_on();
                transfer.reserving = true;
                transfer.queued_at = Instant::now();
                let context = transfer.context.clone();
                self.registry
                    .services
                    .agents
                    .reserve(self.handle.clone(), context, agent);
            }
            TransferTarget::Group(group) => {
                transfer.machine.handed_on();
                transfer.context.group = group;
                transfer.queued_at = Instant::now();
                let context = transfer.context.clone();
                self.registry
                    .services
                    .agents
                    .enqueue(self.handle.clone(), context);
            }
        }
        self.run_transfer();
    }

    /// Carries out what the transfer decided, then plays or stops hold music to match.
    pub(super) fn run_transfer(&mut self) {
        loop {
            let Some(transfer) = self.transfer.as_mut() else {
                return;
            };
            let Some(action) = transfer.machine.poll_action() else {
                break;
            };
            let agents = &self.registry.services.agents;
            match action {
                TransferAction::Dial(agent) => {
                    let leg = self.dial_leg(agent);
                    match (leg, self.transfer.as_mut()) {
                        (Some(leg), Some(transfer)) => transfer.leg = Some(leg),
                        (None, Some(transfer)) => transfer.machine.failed(true),
                        _ => {}
                    }
                }
                TransferAction::DialConsultant(agent) => {
                    let leg = self.dial_leg(agent);
                    match (leg, self.transfer.as_mut()) {
                        (Some(leg), Some(transfer)) => transfer.consult = Some(leg),
                        (None, Some(transfer)) => {
                            transfer.machine.consultation_ended(Declined::Rejected)
                        }
                        _ => {}
                    }
                }
                TransferAction::HangUpAgent => {
                    if let Some(leg) = transfer.leg.take() {
                        leg.dialog.hang_up("transfer ended");
                    }
                }
                TransferAction::HangUpConsultant => {
                    if let Some(leg) = transfer.consult.take() {
                        leg.dialog.hang_up("consultation ended");
                    }
                }
                TransferAction::HandOverToConsultant => {
                    if let Some(leg) = transfer.leg.take() {
                        leg.dialog.hang_up("transferred to a colleague");
                    }
                    transfer.leg = transfer.consult.take();
                    self.record.agent = transfer.machine.agent().map(AgentId::to_string);
                    self.registry.services.records.save(self.record.clone());
                }
                TransferAction::PlayBrief => self.play_brief(),
                TransferAction::Bridge => self.stop_music(),
                TransferAction::Unbridge | TransferAction::BridgeConsultation => {}
                TransferAction::Declined { agent, why } => {
                    transfer
                        .context
                        .handover
                        .summary
                        .tried
                        .push(why.note(&agent));
                    agents.declined(self.id, agent, why);
                }
                TransferAction::Connected(agent) => {
                    agents.connected(self.id, agent.clone());
                    if transfer.machine.consultant().is_none() {
                        self.registry
                            .services
                            .metrics
                            .queue_connect
                            .observe(transfer.queued_at.elapsed().as_secs_f64());
                        self.record.agent = Some(agent.to_string());
                        self.registry.services.records.save(self.record.clone());
                        mark(&mut self.recorder, MarkEvent::Resumed, self.id);
                        mark(&mut self.recorder, MarkEvent::Agent, self.id);
                    }
                }
                TransferAction::Finished(agent) => agents.finished(self.id, agent),
                TransferAction::Completed => {
                    self.leave_transfer(FlowEvent::TransferEnded(TransferOutcome::Completed));
                    return;
                }
            }
        }
        self.sync_music();
    }

    /// Calls an agent's (or supervisor's) phone on a new leg; `None` without media ports.
    fn dial_leg(&mut self, agent: AgentId) -> Option<AgentLeg> {
        let services = &self.registry.services;
        let transfer = self.transfer.as_mut()?;
        let sockets = match MediaSockets::open(&self.registry.ports, services.config.media.address)
        {
            Ok(sockets) => sockets,
            Err(error) => {
                warn!(call = %self.id, %error, "no media ports for the agent leg");
                return None;
            }
        };
        let local_rtp = match services.config.sip.public_address {
            Some(public) => std::net::SocketAddr::new(public, sockets.rtp_address().port()),
            None => sockets.rtp_address(),
        };
        let number = transfer.next_leg;
        transfer.next_leg += 1;
        let context = &transfer.context;
        let display_name = match &context.customer_name {
            Some(name) => format!("{name} ({})", context.group),
            None => format!("{} ({})", context.caller, context.group),
        };
        let call = OutboundCall {
            agent: agent.to_string(),
            display_name,
            caller: context.caller.clone(),
            local_rtp,
            bound_rtp: sockets.reachable_rtp_address(),
            call_id: self.id.to_string(),
        };
        let events = Box::new(LegEvents {
            handle: self.handle.clone(),
            leg: number,
        });
        let dialog = match services.phones.dial(call, events) {
            Ok(dialog) => dialog,
            Err((call, events)) => services.dialer.dial(call, events),
        };
        Some(AgentLeg {
            number,
            agent,
            dialog,
            sockets,
            media: None,
            speaking: None,
            answered_at: None,
            counters: LegCounters {
                reported: MediaMetrics::new(Instant::now()),
                metrics: services.metrics.clone(),
            },
        })
    }

    /// Speaks the brief and how to accept to the agent who answered.
    fn play_brief(&mut self) {
        let services = &self.registry.services;
        let Some(transfer) = self.transfer.as_mut() else {
            return;
        };
        let Some(leg) = transfer.leg.as_mut() else {
            return;
        };
        services.agents.briefing(self.id, leg.agent.clone());
        let brief = format!(
            "{} {}",
            transfer.spoken_brief, services.config.acd.accept_prompt
        );
        match &services.synthesizer {
            Some(service) => leg.speaking = Some(Speaking::start(service, brief)),
            None => transfer.machine.brief_finished(Instant::now()),
        }
    }

    /// Plays hold music whenever the caller should hear it and nothing else plays.
    pub(super) fn sync_music(&mut self) {
        let Some(transfer) = self.transfer.as_mut() else {
            return;
        };
        if !transfer.machine.caller_hears_music() {
            if transfer.music {
                self.media.stop_playback();
                transfer.music = false;
            }
            return;
        }
        if transfer.music || transfer.announcing || self.media.is_playing() {
            return;
        }
        let Some(path) = &self.registry.services.config.acd.hold_music else {
            return;
        };
        match self.registry.services.prompts.get(path) {
            Ok(music) => {
                self.media.play(music);
                transfer.music = true;
            }
            Err(error) => warn!(call = %self.id, %error, "hold music unavailable"),
        }
    }

    fn stop_music(&mut self) {
        if let Some(transfer) = self.transfer.as_mut()
            && (transfer.music || transfer.announcing)
        {
            self.media.stop_playback();
            self.speaking = None;
            transfer.music = false;
            transfer.announcing = false;
        }
    }

    /// The caller's playback ended during a transfer: the music clip or an announcement.
    pub(super) fn transfer_playback_finished(&mut self) {
        if let Some(transfer) = self.transfer.as_mut() {
            transfer.music = false;
            transfer.announcing = false;
        }
        self.sync_music();
    }

    /// The caller is gone: every leg ends and the agent service hears of it.
    pub(super) fn end_transfer(&mut self) {
        let Some(transfer) = self.transfer.as_mut() else {
            return;
        };
        let waiting = !matches!(
            transfer.machine.stage(),
            Stage::Connected { .. } | Stage::Consulting { .. }
        );
        transfer.machine.caller_left();
        if waiting {
            self.registry.services.agents.leave(self.id);
        }
        if let Some(monitor) = transfer.monitor.take() {
            monitor.leg.dialog.hang_up("the caller hung up");
        }
        self.run_transfer();
        self.transfer = None;
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
