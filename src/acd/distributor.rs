//! The distributor: the ACD's one state machine over agents and waiting calls.

use super::agents::Agent;
use super::error::AcdError;
use super::model::{
    AcdOutput, AcdSettings, AgentProfile, AgentStatus, Declined, Presence, Priority, QueueStatus,
    WaitingStatus,
};
use super::queue::{Entry, Queue, REOFFER_AFTER};
use crate::ids::{AgentId, CallId};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::{Duration, Instant};

/// Weight of the latest call in the average handle time (an exponential moving average).
const HANDLE_TIME_WEIGHT: f64 = 0.2;

/// Agents, presence and queues, deciding which agent is offered which call.
#[derive(Debug)]
pub struct Distributor {
    settings: AcdSettings,
    agents: BTreeMap<AgentId, Agent>,
    queue: Queue,
    outputs: VecDeque<AcdOutput>,
    handle_time: Duration,
}

impl Distributor {
    /// A distributor for the configured agents, all signed out.
    pub fn new(settings: AcdSettings, profiles: Vec<AgentProfile>, now: Instant) -> Distributor {
        let handle_time = settings.assumed_handle_time;
        Distributor {
            settings,
            agents: profiles
                .into_iter()
                .map(|profile| (profile.id.clone(), Agent::new(profile, now)))
                .collect(),
            queue: Queue::default(),
            outputs: VecDeque::new(),
            handle_time,
        }
    }

    /// Every skill group some agent has.
    pub fn groups(&self) -> BTreeSet<&str> {
        self.agents
            .values()
            .flat_map(|agent| agent.profile.skills.keys().map(String::as_str))
            .collect()
    }

    fn agent_mut<'a>(
        agents: &'a mut BTreeMap<AgentId, Agent>,
        agent: &AgentId,
    ) -> Result<&'a mut Agent, AcdError> {
        agents
            .get_mut(agent)
            .ok_or_else(|| AcdError::UnknownAgent(agent.clone()))
    }

    /// A call starts waiting for `group`. Refused when the group does not exist or nobody of it
    /// is signed in (nobody could take the call).
    pub fn enqueue(
        &mut self,
        now: Instant,
        call: CallId,
        group: &str,
        priority: Priority,
    ) -> Result<(), AcdError> {
        if self.queue.find(call).is_some() {
            return Err(AcdError::AlreadyWaiting(call));
        }
        let members: Vec<&Agent> = self
            .agents
            .values()
            .filter(|agent| agent.skill(group).is_some())
            .collect();
        if members.is_empty() {
            return Err(AcdError::UnknownGroup(group.to_string()));
        }
        if !members.iter().any(|agent| agent.signed_in()) {
            return Err(AcdError::Unstaffed(group.to_string()));
        }
        self.queue.insert(Entry {
            call,
            group: group.to_string(),
            priority,
            enqueued_at: now,
            sequence: 0,
            group_since: now,
            offered_to: None,
            declined: BTreeMap::new(),
            next_announcement: now + self.settings.announce_every,
        });
        self.dispatch(now);
        if self
            .queue
            .find(call)
            .is_some_and(|entry| entry.offered_to.is_none())
        {
            self.announce(call);
        }
        Ok(())
    }

    /// The call stopped waiting (hung up, left a callback request, was transferred elsewhere).
    /// An agent it was being offered to is free again.
    pub fn leave(&mut self, now: Instant, call: CallId) {
        let Some(entry) = self.queue.remove(call) else {
            return;
        };
        if let Some(agent) = entry.offered_to.and_then(|id| self.agents.get_mut(&id))
            && agent.call == Some(call)
        {
            agent.set(Presence::Available, now, &mut self.outputs);
        }
        self.dispatch(now);
    }

    /// The agent offered `call` did not take it: the call keeps its place, and the agent is not
    /// offered it again for a while. An agent who let it ring out or could not be reached is set
    /// away; one who said no stays available.
    pub fn declined(&mut self, now: Instant, call: CallId, agent: &AgentId, why: Declined) {
        if let Some(entry) = self.queue.find_mut(call)
            && entry.offered_to.as_ref() == Some(agent)
        {
            entry.offered_to = None;
            entry.declined.insert(agent.clone(), now);
            entry.next_announcement = entry.next_announcement.max(now);
        }
        if let Some(state) = self.agents.get_mut(agent)
            && state.call == Some(call)
            && state.presence == Presence::Ringing
        {
            let next = match why {
                Declined::Rejected => state.after_call.take().unwrap_or(Presence::Available),
                Declined::NoAnswer | Declined::Unreachable => Presence::Away,
            };
            state.set(next, now, &mut self.outputs);
        }
        self.dispatch(now);
    }

    /// Caller and agent are talking: the call leaves the queue and the agent is on it.
    pub fn connected(&mut self, now: Instant, call: CallId, agent: &AgentId) {
        self.queue.remove(call);
        if let Some(state) = self.agents.get_mut(agent) {
            state.set(Presence::OnCall, now, &mut self.outputs);
            state.call = Some(call);
            state.connected_at = Some(now);
        }
    }

    /// The agent's call is over: wrap-up, then available again (or what they chose meanwhile).
    pub fn finished(&mut self, now: Instant, agent: &AgentId) {
        let wrap_up = self.settings.wrap_up;
        let Some(state) = self.agents.get_mut(agent) else {
            return;
        };
        if !matches!(state.presence, Presence::OnCall | Presence::Ringing) {
            return;
        }
        if let Some(connected_at) = state.connected_at {
            let handled = now.saturating_duration_since(connected_at).as_secs_f64();
            let average = self.handle_time.as_secs_f64();
            self.handle_time =
                Duration::from_secs_f64(average + HANDLE_TIME_WEIGHT * (handled - average));
        }
        match state.after_call.take() {
            Some(chosen) => state.set(chosen, now, &mut self.outputs),
            None if wrap_up.is_zero() => state.set(Presence::Available, now, &mut self.outputs),
            None => {
                state.set(Presence::WrapUp, now, &mut self.outputs);
                state.wrap_up_until = Some(now + wrap_up);
            }
        }
        self.dispatch(now);
    }

    /// Offers `call` to this agent directly (a transfer or consultation to a named agent),
    /// when they are available and reachable.
    pub fn reserve(&mut self, now: Instant, agent: &AgentId, call: CallId) -> Result<(), AcdError> {
        let state = Self::agent_mut(&mut self.agents, agent)?;
        if !state.signed_in() {
            return Err(AcdError::SignedOut(agent.clone()));
        }
        if !state.routable() {
            let presence = if state.contacts == 0 {
                "without a registered phone"
            } else {
                state.presence.name()
            };
            return Err(AcdError::Busy {
                agent: agent.clone(),
                presence,
            });
        }
        state.set(Presence::Ringing, now, &mut self.outputs);
        state.call = Some(call);
        Ok(())
    }

    /// The agent signs in (desk, API, or their phone registering): available.
    pub fn sign_in(&mut self, now: Instant, agent: &AgentId) -> Result<(), AcdError> {
        let state = Self::agent_mut(&mut self.agents, agent)?;
        if state.presence == Presence::Offline {
            state.set(Presence::Available, now, &mut self.outputs);
            self.dispatch(now);
        }
        Ok(())
    }

    /// The agent signs out. A call being offered to them goes back to its place; a call in hand
    /// goes on, and they are signed out when it ends.
    pub fn sign_out(&mut self, now: Instant, agent: &AgentId) -> Result<(), AcdError> {
        let state = Self::agent_mut(&mut self.agents, agent)?;
        match state.presence {
            Presence::OnCall => state.after_call = Some(Presence::Offline),
            Presence::Ringing => {
                if let Some(call) = state.call {
                    self.outputs.push_back(AcdOutput::Withdraw {
                        call,
                        agent: agent.clone(),
                    });
                    if let Some(entry) = self.queue.find_mut(call) {
                        entry.offered_to = None;
                    }
                }
                state.set(Presence::Offline, now, &mut self.outputs);
            }
            _ => state.set(Presence::Offline, now, &mut self.outputs),
        }
        self.dispatch(now);
        Ok(())
    }

    /// The agent chooses to take calls (`Available`) or not (`Away`). While busy the choice
    /// applies when the call ends; during wrap-up it applies at once.
    pub fn choose_presence(
        &mut self,
        now: Instant,
        agent: &AgentId,
        presence: Presence,
    ) -> Result<(), AcdError> {
        if !matches!(presence, Presence::Available | Presence::Away) {
            return Err(AcdError::NotChoosable(presence.name()));
        }
        let state = Self::agent_mut(&mut self.agents, agent)?;
        match state.presence {
            Presence::Offline => return Err(AcdError::SignedOut(agent.clone())),
            Presence::Ringing | Presence::OnCall => {
                state.after_call = (presence == Presence::Away).then_some(Presence::Away);
            }
            _ => state.set(presence, now, &mut self.outputs),
        }
        self.dispatch(now);
        Ok(())
    }

    /// The agent's phone now has `contacts` registered contacts. The first contact signs a
    /// signed-out agent in; losing the last signs them out.
    pub fn registration(
        &mut self,
        now: Instant,
        agent: &AgentId,
        contacts: usize,
    ) -> Result<(), AcdError> {
        let state = Self::agent_mut(&mut self.agents, agent)?;
        let before = state.contacts;
        state.contacts = contacts;
        match (before, contacts) {
            (0, 1..) => self.sign_in(now, agent),
            (1.., 0) => self.sign_out(now, agent),
            _ => {
                self.dispatch(now);
                Ok(())
            }
        }
    }

    /// The next instant [`Distributor::handle_timeout`] has work: a wrap-up ending, a call due to
    /// overflow or to hear its position, a declined offer that may be made again.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let wrap_ups = self.agents.values().filter_map(|agent| agent.wrap_up_until);
        let waiting = self
            .queue
            .entries
            .iter()
            .filter(|entry| entry.offered_to.is_none());
        let entries = waiting.flat_map(|entry| {
            let overflow = self
                .settings
                .overflow
                .get(&entry.group)
                .map(|(after, _)| entry.group_since + *after);
            let reoffer = entry.declined.values().map(|at| *at + REOFFER_AFTER).min();
            [Some(entry.next_announcement), overflow, reoffer]
        });
        wrap_ups.chain(entries.flatten()).min()
    }

    /// Ends wrap-ups, overflows calls, announces positions, and offers what can be offered.
    pub fn handle_timeout(&mut self, now: Instant) {
        for agent in self.agents.values_mut() {
            if agent.wrap_up_until.is_some_and(|until| until <= now) {
                agent.set(Presence::Available, now, &mut self.outputs);
            }
        }
        for entry in &mut self.queue.entries {
            if entry.offered_to.is_some() {
                continue;
            }
            if let Some((after, to)) = self.settings.overflow.get(&entry.group)
                && entry.group_since + *after <= now
            {
                self.outputs.push_back(AcdOutput::Overflowed {
                    call: entry.call,
                    from: std::mem::replace(&mut entry.group, to.clone()),
                    to: to.clone(),
                });
                entry.group_since = now;
            }
            entry
                .declined
                .retain(|_, at| now.saturating_duration_since(*at) < REOFFER_AFTER);
        }
        self.dispatch(now);
        let due: Vec<CallId> = self
            .queue
            .entries
            .iter()
            .filter(|entry| entry.offered_to.is_none() && entry.next_announcement <= now)
            .map(|entry| entry.call)
            .collect();
        for call in due {
            self.announce(call);
            if let Some(entry) = self.queue.find_mut(call) {
                entry.next_announcement = now + self.settings.announce_every;
            }
        }
    }

    /// The next decision to carry out.
    pub fn poll_output(&mut self) -> Option<AcdOutput> {
        self.outputs.pop_front()
    }

    /// Offers waiting calls, in serving order, to the best available agent each: the highest
    /// skill in the call's group, the longest idle among equals.
    fn dispatch(&mut self, now: Instant) {
        for entry in &mut self.queue.entries {
            if entry.offered_to.is_some() {
                continue;
            }
            let best = self
                .agents
                .values()
                .filter(|agent| agent.routable() && !entry.declined_by(&agent.profile.id, now))
                .filter_map(|agent| Some((agent.skill(&entry.group)?, agent)))
                .max_by(|(left_skill, left), (right_skill, right)| {
                    left_skill
                        .cmp(right_skill)
                        .then(right.idle_since.cmp(&left.idle_since))
                })
                .map(|(_, agent)| agent.profile.id.clone());
            let Some(agent) = best.and_then(|id| self.agents.get_mut(&id)) else {
                continue;
            };
            agent.set(Presence::Ringing, now, &mut self.outputs);
            agent.call = Some(entry.call);
            entry.offered_to = Some(agent.profile.id.clone());
            self.outputs.push_back(AcdOutput::Offer {
                call: entry.call,
                agent: agent.profile.id.clone(),
            });
        }
    }

    fn announce(&mut self, call: CallId) {
        if let Some((position, expected_wait)) = self.expected(call) {
            self.outputs.push_back(AcdOutput::Position {
                call,
                position,
                expected_wait,
            });
        }
    }

    /// Position in the group and expected wait: the calls ahead shared among the group's
    /// signed-in agents, each taking the average handle time.
    fn expected(&self, call: CallId) -> Option<(usize, Duration)> {
        let position = self.queue.position(call)?;
        let group = &self.queue.find(call)?.group;
        let staffed = self
            .agents
            .values()
            .filter(|agent| agent.skill(group).is_some())
            .filter(|agent| !matches!(agent.presence, Presence::Offline | Presence::Away))
            .count()
            .max(1);
        let rounds = position.div_ceil(staffed) as u32;
        Some((position, self.handle_time * rounds))
    }

    /// One agent's status.
    pub fn agent(&self, agent: &AgentId, now: Instant) -> Option<AgentStatus> {
        Some(self.agents.get(agent)?.status(now))
    }

    /// Every agent's status.
    pub fn agents(&self, now: Instant) -> Vec<AgentStatus> {
        self.agents
            .values()
            .map(|agent| agent.status(now))
            .collect()
    }

    /// Every group's queue.
    pub fn queues(&self, now: Instant) -> Vec<QueueStatus> {
        self.groups()
            .into_iter()
            .map(|group| {
                let members = || {
                    self.agents
                        .values()
                        .filter(move |agent| agent.skill(group).is_some())
                };
                let waiting = self
                    .queue
                    .entries
                    .iter()
                    .filter(|entry| entry.group == group);
                QueueStatus {
                    group: group.to_string(),
                    signed_in: members().filter(|agent| agent.signed_in()).count(),
                    available: members().filter(|agent| agent.routable()).count(),
                    waiting: waiting
                        .enumerate()
                        .map(|(index, entry)| WaitingStatus {
                            call: entry.call,
                            position: index + 1,
                            priority: entry.priority,
                            waited_seconds: now
                                .saturating_duration_since(entry.enqueued_at)
                                .as_secs(),
                            offered_to: entry.offered_to.clone(),
                        })
                        .collect(),
                }
            })
            .collect()
    }

    /// Whether the call waits in a queue or is offered to or handled by an agent.
    pub fn involves(&self, call: CallId) -> bool {
        self.queue.find(call).is_some()
            || self.agents.values().any(|agent| agent.call == Some(call))
    }

    /// Where a waiting call stands: position and expected wait.
    pub fn position(&self, call: CallId) -> Option<(usize, Duration)> {
        self.expected(call)
    }
}
