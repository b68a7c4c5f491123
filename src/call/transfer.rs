//! The call actor's side of a warm transfer: it joins the queue, plays hold music and position
//! announcements to the caller, calls the offered agent, speaks the brief to them, bridges the
//! two legs once the agent accepts, and carries the agent's transfers and hold.
//!
//! The decisions are [`WarmTransfer`]'s (sans-IO); this file only executes its actions over the
//! call's media sessions, the dialer and the agent service.

use super::actor::CallActor;
use super::agent_leg::{AgentLeg, LegEvents, LegInput};
use super::speaking::Speaking;
use super::{DeskCommand, TransferTarget};
use crate::acd::{Stage, TransferAction, TransferTiming, WarmTransfer};
use crate::agents::{CallContext, QueueEvent};
use crate::dialogue::{FlowEvent, Handover, Priority as FlowPriority, TransferOutcome};
use crate::ids::AgentId;
use crate::media::{JitterConfig, MediaEvent, TransmitKind};
use crate::net::MediaSockets;
use crate::sip::{OutboundCall, OutboundEvent};
use std::time::{Duration, Instant};
use tracing::{debug, info, warn};

/// A call's transfer in progress: from joining the queue to the agent hanging up.
pub(super) struct TransferPhase {
    pub machine: WarmTransfer,
    pub context: CallContext,
    pub leg: Option<AgentLeg>,
    pub next_leg: u64,
    /// Caller and agent hear each other.
    pub bridged: bool,
    /// Hold music is queued on the caller's media.
    pub music: bool,
    /// A position announcement is being spoken to the caller.
    pub announcing: bool,
    /// A transfer to a named agent waits for the agent service's answer; refused, the call
    /// waits for its group instead.
    pub reserving: bool,
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

impl CallActor {
    fn now_and_wall() -> (Instant, chrono::DateTime<chrono::Utc>) {
        (Instant::now(), chrono::Utc::now())
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
            handover: handover.clone(),
            recording: format!("/api/calls/{}/recording", self.id),
        };
        self.registry
            .services
            .agents
            .enqueue(self.handle.clone(), context.clone());
        self.transfer = Some(TransferPhase {
            machine: WarmTransfer::waiting(timing),
            context,
            leg: None,
            next_leg: 1,
            bridged: false,
            music: false,
            announcing: false,
            reserving: false,
        });
        self.sync_music();
    }

    /// News from the agent service.
    pub(super) fn on_queue(&mut self, event: QueueEvent) {
        let now = Instant::now();
        let Some(transfer) = self.transfer.as_mut() else {
            if let QueueEvent::Offer { agent } = event {
                // The call left the transfer meanwhile: give the offer back.
                self.registry.services.agents.declined(
                    self.id,
                    agent,
                    crate::acd::Declined::Rejected,
                );
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
                self.stop_music();
                self.transfer = None;
                let (now, wall) = Self::now_and_wall();
                self.flow
                    .handle_event(now, wall, FlowEvent::TransferFailed { reason });
            }
            QueueEvent::Offer { agent } => {
                transfer.reserving = false;
                transfer.machine.offered(now, agent);
            }
            QueueEvent::Withdraw { agent } => transfer.machine.withdrawn(&agent),
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

    /// Something happened on a leg to an agent's phone.
    pub(super) fn on_agent_leg(&mut self, number: u64, event: OutboundEvent) {
        let Some(transfer) = self.transfer.as_mut() else {
            return;
        };
        let Some(leg) = transfer.leg.as_mut().filter(|leg| leg.number == number) else {
            debug!(call = %self.id, number, ?event, "event of a leg already given up");
            return;
        };
        match event {
            OutboundEvent::Ringing => {
                info!(call = %self.id, agent = %leg.agent, "agent phone rings")
            }
            OutboundEvent::Answered(audio) => {
                info!(call = %self.id, agent = %leg.agent, codec = %audio.codec, "agent answered");
                let media = &self.registry.services.config.media;
                let jitter = JitterConfig {
                    minimum_delay: media.jitter_minimum_delay,
                    maximum_delay: media.jitter_maximum_delay,
                };
                leg.answered(&audio, jitter, format!("hotline-{}-agent", self.id));
                transfer.machine.answered();
            }
            OutboundEvent::Failed { status, reason } => {
                info!(call = %self.id, agent = %leg.agent, status, %reason, "agent leg failed");
                transfer.leg = None;
                transfer.machine.failed(matches!(status, 486 | 600 | 603));
            }
            OutboundEvent::Ended(reason) => {
                info!(call = %self.id, agent = %leg.agent, ?reason, "agent hung up");
                transfer.leg = None;
                transfer.bridged = false;
                transfer.machine.agent_hung_up();
            }
            OutboundEvent::UpdateAudio(audio) => {
                let held = audio.direction != crate::sip::sdp::Direction::SendReceive;
                if let Some(media) = leg.media.as_mut() {
                    media.set_direction(super::actor::media_direction(audio.direction));
                    media.update_remote(audio.remote_rtp, audio.remote_rtcp);
                }
                transfer.machine.set_held(held);
            }
            OutboundEvent::Key(key) => {
                self.agent_key(key);
                return;
            }
            OutboundEvent::Refer(target) => {
                let target = self.refer_target(&target);
                match target {
                    Some(target) => self.hand_on(target),
                    None => warn!(call = %self.id, "REFER to an unknown target ignored"),
                }
                return;
            }
        }
        self.run_transfer();
    }

    /// What a REFER's user part names: an agent, a group, or a number routed to a flow.
    fn refer_target(&self, user: &str) -> Option<TransferTarget> {
        let config = &self.registry.services.config;
        if config.agents.iter().any(|agent| agent.name == user) {
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
    fn agent_key(&mut self, key: char) {
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
            Stage::Connected { .. } | Stage::Done
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
            self.stop_music();
            self.transfer = None;
            let (now, wall) = Self::now_and_wall();
            self.flow.handle_event(
                now,
                wall,
                FlowEvent::TransferEnded(TransferOutcome::Callback),
            );
        }
        true
    }

    /// The desk of the agent offered or handling the call acts on it.
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
            DeskCommand::Hold(hold) => {
                transfer.machine.set_held(hold);
                if let Some(media) = transfer.leg.as_mut().and_then(|leg| leg.media.as_mut()) {
                    // The agent hears nothing while the caller is held.
                    media.stop_playback();
                }
            }
            DeskCommand::Transfer(target) => return self.hand_on(target),
        }
        self.run_transfer();
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
        let note = format!(
            "handed on by {}",
            transfer
                .machine
                .agent()
                .map(AgentId::as_str)
                .unwrap_or("an agent")
        );
        transfer.context.handover.summary.tried.push(note);
        match target {
            TransferTarget::Flow(step) => {
                transfer.machine.returned_to_flow();
                self.run_transfer();
                self.stop_music();
                self.transfer = None;
                let (now, wall) = Self::now_and_wall();
                self.flow.handle_event(
                    now,
                    wall,
                    FlowEvent::TransferEnded(TransferOutcome::Returned { step }),
                );
                return;
            }
            TransferTarget::Agent(agent) => {
                transfer.machine.handed_on();
                transfer.reserving = true;
                let context = transfer.context.clone();
                self.registry
                    .services
                    .agents
                    .reserve(self.handle.clone(), context, agent);
            }
            TransferTarget::Group(group) => {
                transfer.machine.handed_on();
                transfer.context.group = group;
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
                TransferAction::Dial(agent) => self.dial(agent),
                TransferAction::HangUpAgent => {
                    if let Some(leg) = transfer.leg.take() {
                        leg.dialog.hang_up("transfer ended");
                    }
                    transfer.bridged = false;
                }
                TransferAction::PlayBrief => self.play_brief(),
                TransferAction::Bridge => {
                    transfer.bridged = true;
                    self.stop_music();
                }
                TransferAction::Unbridge => {
                    transfer.bridged = false;
                }
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
                    self.record.agent = Some(agent.to_string());
                    self.registry.services.records.save(self.record.clone());
                }
                TransferAction::Finished(agent) => agents.finished(self.id, agent),
                TransferAction::Completed => {
                    self.stop_music();
                    self.transfer = None;
                    let (now, wall) = Self::now_and_wall();
                    self.flow.handle_event(
                        now,
                        wall,
                        FlowEvent::TransferEnded(TransferOutcome::Completed),
                    );
                    return;
                }
            }
        }
        self.sync_music();
    }

    /// Calls the offered agent's phone on a new leg.
    fn dial(&mut self, agent: AgentId) {
        let services = &self.registry.services;
        let Some(transfer) = self.transfer.as_mut() else {
            return;
        };
        let sockets = match MediaSockets::open(&self.registry.ports, services.config.media.address)
        {
            Ok(sockets) => sockets,
            Err(error) => {
                warn!(call = %self.id, %error, "no media ports for the agent leg");
                transfer.machine.failed(true);
                return;
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
        let dialog = services.dialer.dial(
            OutboundCall {
                agent: agent.to_string(),
                display_name,
                caller: context.caller.clone(),
                local_rtp,
                call_id: self.id.to_string(),
            },
            Box::new(LegEvents {
                handle: self.handle.clone(),
                leg: number,
            }),
        );
        transfer.leg = Some(AgentLeg {
            number,
            agent,
            dialog,
            sockets,
            media: None,
            speaking: None,
            answered_at: None,
        });
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
            transfer.context.handover.summary.brief, services.config.acd.accept_prompt
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

    /// A datagram or a sentence of the brief arrived for the agent leg.
    pub(super) fn on_leg_input(&mut self, input: LegInput, rtp: &[u8], rtcp: &[u8]) {
        let Some(leg) = self
            .transfer
            .as_mut()
            .and_then(|transfer| transfer.leg.as_mut())
        else {
            return;
        };
        let now = Instant::now();
        match input {
            LegInput::Rtp(length, source) => {
                if let Some(media) = leg.media.as_mut()
                    && let Err(error) = media.handle_rtp(now, source, &rtp[..length])
                {
                    debug!(call = %self.id, %error, %source, "agent RTP dropped");
                }
            }
            LegInput::Rtcp(length, source) => {
                if let Some(media) = leg.media.as_mut()
                    && let Err(error) = media.handle_rtcp(now, source, &rtcp[..length])
                {
                    debug!(call = %self.id, %error, %source, "agent RTCP dropped");
                }
            }
            LegInput::Brief(Some(Ok(chunk))) => {
                if let Some(media) = leg.media.as_mut() {
                    media.play(chunk.samples);
                }
            }
            LegInput::Brief(Some(Err(error))) => {
                warn!(call = %self.id, %error, "the brief could not be spoken");
                leg.speaking = None;
                self.brief_played();
            }
            LegInput::Brief(None) => {
                leg.speaking = None;
                if !leg.media.as_ref().is_some_and(|media| media.is_playing()) {
                    self.brief_played();
                }
            }
            LegInput::ReceiveFailed(error) => {
                debug!(call = %self.id, %error, "agent leg receive error")
            }
        }
    }

    fn brief_played(&mut self) {
        if let Some(transfer) = self.transfer.as_mut() {
            transfer.machine.brief_finished(Instant::now());
            self.run_transfer();
        }
    }

    /// Moves the agent leg's output: datagrams out, the agent's voice to the caller when
    /// bridged, the agent's keys, the end of the brief.
    pub(super) fn pump_agent_leg(&mut self) {
        let Some(transfer) = self.transfer.as_mut() else {
            return;
        };
        let Some(leg) = transfer.leg.as_mut() else {
            return;
        };
        let Some(media) = leg.media.as_mut() else {
            return;
        };
        while let Some(transmit) = media.poll_transmit() {
            let socket = match transmit.kind {
                TransmitKind::Rtp => &leg.sockets.rtp,
                TransmitKind::Rtcp => &leg.sockets.rtcp,
            };
            if let Err(error) = socket.try_send_to(&transmit.payload, transmit.destination) {
                debug!(call = %self.id, %error, "agent send failed");
            }
        }
        while let Some(pair) = media.poll_frame() {
            if transfer.bridged {
                self.media.relay(&pair.received);
            }
        }
        let mut keys = Vec::new();
        let mut brief_over = false;
        while let Some(event) = media.poll_event() {
            match event {
                MediaEvent::Dtmf { digit } => keys.push(digit),
                MediaEvent::PlaybackFinished if leg.speaking.is_none() => brief_over = true,
                MediaEvent::PlaybackFinished | MediaEvent::RemoteLatched { .. } => {}
            }
        }
        if brief_over {
            self.brief_played();
        }
        for key in keys {
            self.agent_key(key);
        }
    }

    /// The earliest deadline of the agent leg's media and the transfer's timers.
    pub(super) fn transfer_deadline(&self) -> Option<Instant> {
        let transfer = self.transfer.as_ref()?;
        let media = transfer
            .leg
            .as_ref()
            .and_then(|leg| leg.media.as_ref())
            .map(|media| media.poll_timeout());
        [media, transfer.machine.poll_timeout()]
            .into_iter()
            .flatten()
            .min()
    }

    /// Runs the agent leg's timers: media ticks, the ring and accept deadlines, and the media
    /// timeout of an answered leg whose RTP stopped.
    pub(super) fn transfer_timeout(&mut self, now: Instant) {
        let media_timeout = self.registry.services.config.media.media_timeout;
        let Some(transfer) = self.transfer.as_mut() else {
            return;
        };
        if let Some(leg) = transfer.leg.as_mut()
            && let Some(media) = leg.media.as_mut()
        {
            media.handle_timeout(now);
            let last = media.last_received_at().or(leg.answered_at);
            if last.is_some_and(|last| now.duration_since(last) > media_timeout) {
                info!(call = %self.id, agent = %leg.agent, "no RTP from the agent: hanging up");
                leg.dialog.hang_up("media timeout");
                transfer.leg = None;
                transfer.bridged = false;
                transfer.machine.agent_hung_up();
            }
        }
        transfer.machine.handle_timeout(now);
        self.run_transfer();
    }

    /// The caller is gone: the agent leg ends and the agent service hears of it.
    pub(super) fn end_transfer(&mut self) {
        let Some(transfer) = self.transfer.as_mut() else {
            return;
        };
        let waiting = !matches!(transfer.machine.stage(), Stage::Connected { .. });
        transfer.machine.caller_left();
        if waiting {
            self.registry.services.agents.leave(self.id);
        }
        self.run_transfer();
        self.transfer = None;
    }

    /// Caller audio during a transfer: relayed to the agent when bridged.
    pub(super) fn relay_to_agent(&mut self, frame: &[i16; crate::media::FRAME_SAMPLES]) {
        if let Some(transfer) = self.transfer.as_mut()
            && transfer.bridged
            && let Some(media) = transfer.leg.as_mut().and_then(|leg| leg.media.as_mut())
        {
            media.relay(frame);
        }
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
