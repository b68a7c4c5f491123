//! The warm transfer of one call, sans-IO: the caller waits in the queue, an agent is rung, hears
//! the brief, accepts, and the two are bridged; when any side drops out, the call goes back to
//! its place or the transfer ends.
//!
//! The call actor feeds in what happened (the distributor's offers, the agent leg's ringing,
//! answer, keys and hang-up, the caller leaving) and carries out [`TransferAction`]s. The caller
//! hears hold music whenever [`WarmTransfer::caller_hears_music`] says so.
//!
//! Invariants: at most one agent leg exists at a time; every offer ends in exactly one report to
//! the distributor (declined, or connected and later finished); a ringing leg is given up after
//! the ring timeout and an answered one after the accept timeout, so no call waits on an agent
//! forever.

use super::model::Declined;
use crate::ids::AgentId;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// How long each step of the hand-over may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransferTiming {
    /// How long the agent's phone rings.
    pub ring_timeout: Duration,
    /// After the brief, how long the agent has to accept.
    pub accept_timeout: Duration,
}

/// Where the hand-over stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// In the queue, no agent in sight.
    Waiting,
    /// The agent's phone rings.
    Ringing {
        /// The agent.
        agent: AgentId,
        /// When ringing gives up.
        deadline: Instant,
    },
    /// The agent answered and hears the brief.
    Briefing {
        /// The agent.
        agent: AgentId,
    },
    /// The brief is over; the agent accepts or declines.
    Deciding {
        /// The agent.
        agent: AgentId,
        /// When the offer lapses.
        deadline: Instant,
    },
    /// Caller and agent are talking (or the agent holds the caller).
    Connected {
        /// The agent.
        agent: AgentId,
        /// The agent put the caller on hold: music, no audio between them.
        held: bool,
    },
    /// The agent consults another agent before handing the caller over (an attended transfer):
    /// the caller waits with music, the agent talks to the consultant once they answer.
    Consulting {
        /// The agent who has the caller.
        agent: AgentId,
        /// The agent consulted.
        consultant: AgentId,
        /// Whether the consultant answered.
        answered: bool,
        /// When ringing the consultant gives up (until they answer).
        deadline: Instant,
    },
    /// The transfer is over.
    Done,
}

/// What the call actor does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferAction {
    /// Call the agent's phone.
    Dial(AgentId),
    /// End the agent leg (CANCEL while ringing, BYE once answered).
    HangUpAgent,
    /// Speak the brief to the agent.
    PlayBrief,
    /// Connect caller and agent audio (music stops).
    Bridge,
    /// Disconnect them (hold, or the agent left).
    Unbridge,
    /// Tell the distributor the agent did not take the call.
    Declined {
        /// The agent.
        agent: AgentId,
        /// Why.
        why: Declined,
    },
    /// Tell the distributor the agent took the call.
    Connected(AgentId),
    /// Tell the distributor the agent's call is over.
    Finished(AgentId),
    /// The conversation with the agent is over and the caller is still there: the flow goes on.
    Completed,
    /// Call the consultant's phone (a second leg).
    DialConsultant(AgentId),
    /// End the consultant's leg.
    HangUpConsultant,
    /// Connect agent and consultant audio (the caller waits with music).
    BridgeConsultation,
    /// The consultant takes over: their leg becomes the call's agent leg, bridged to the caller;
    /// the first agent's leg ends.
    HandOverToConsultant,
}

/// One call's hand-over to an agent.
#[derive(Debug)]
pub struct WarmTransfer {
    timing: TransferTiming,
    stage: Stage,
    actions: VecDeque<TransferAction>,
}

impl WarmTransfer {
    /// A hand-over whose call has just joined the queue.
    pub fn waiting(timing: TransferTiming) -> WarmTransfer {
        WarmTransfer {
            timing,
            stage: Stage::Waiting,
            actions: VecDeque::new(),
        }
    }

    /// Where it stands.
    pub fn stage(&self) -> &Stage {
        &self.stage
    }

    /// The agent involved now, if any.
    pub fn agent(&self) -> Option<&AgentId> {
        match &self.stage {
            Stage::Ringing { agent, .. }
            | Stage::Briefing { agent }
            | Stage::Deciding { agent, .. }
            | Stage::Connected { agent, .. }
            | Stage::Consulting { agent, .. } => Some(agent),
            Stage::Waiting | Stage::Done => None,
        }
    }

    /// The agent being consulted, if any.
    pub fn consultant(&self) -> Option<&AgentId> {
        match &self.stage {
            Stage::Consulting { consultant, .. } => Some(consultant),
            _ => None,
        }
    }

    /// Whether the caller should hear hold music now.
    pub fn caller_hears_music(&self) -> bool {
        match &self.stage {
            Stage::Connected { held, .. } => *held,
            Stage::Done => false,
            _ => true,
        }
    }

    /// Whether caller and agent are talking to each other now.
    pub fn talking(&self) -> bool {
        matches!(self.stage, Stage::Connected { held: false, .. })
    }

    /// The distributor offers the call to `agent` (queued) or the agent was reserved directly.
    pub fn offered(&mut self, now: Instant, agent: AgentId) {
        if self.stage != Stage::Waiting {
            // Already handing over: the distributor's view is stale; give the offer back.
            self.actions.push_back(TransferAction::Declined {
                agent,
                why: Declined::Rejected,
            });
            return;
        }
        self.actions.push_back(TransferAction::Dial(agent.clone()));
        self.stage = Stage::Ringing {
            agent,
            deadline: now + self.timing.ring_timeout,
        };
    }

    /// The distributor took its offer back (the agent signed out): drop the leg, keep waiting.
    pub fn withdrawn(&mut self, agent: &AgentId) {
        let offered = matches!(
            self.stage,
            Stage::Ringing { .. } | Stage::Briefing { .. } | Stage::Deciding { .. }
        );
        if offered && self.agent() == Some(agent) {
            self.actions.push_back(TransferAction::HangUpAgent);
            self.stage = Stage::Waiting;
        }
    }

    /// The agent answered: they hear the brief first.
    pub fn answered(&mut self) {
        if let Stage::Ringing { agent, .. } = &self.stage {
            self.stage = Stage::Briefing {
                agent: agent.clone(),
            };
            self.actions.push_back(TransferAction::PlayBrief);
        }
    }

    /// The brief has played: the agent decides.
    pub fn brief_finished(&mut self, now: Instant) {
        if let Stage::Briefing { agent } = &self.stage {
            self.stage = Stage::Deciding {
                agent: agent.clone(),
                deadline: now + self.timing.accept_timeout,
            };
        }
    }

    /// The agent accepts (a key or the desk), during or after the brief: bridge.
    pub fn accepted(&mut self) {
        let agent = match &self.stage {
            Stage::Briefing { agent } | Stage::Deciding { agent, .. } => agent.clone(),
            _ => return,
        };
        self.actions.push_back(TransferAction::Bridge);
        self.actions
            .push_back(TransferAction::Connected(agent.clone()));
        self.stage = Stage::Connected { agent, held: false };
    }

    /// The agent declines (a key or the desk) before accepting: back to the queue.
    pub fn rejected(&mut self) {
        self.give_back(Declined::Rejected, true);
    }

    /// The agent's phone could not take the call (busy, declined, unreachable).
    pub fn failed(&mut self, busy: bool) {
        let why = if busy {
            Declined::Rejected
        } else {
            Declined::Unreachable
        };
        self.give_back(why, false);
    }

    fn give_back(&mut self, why: Declined, hang_up: bool) {
        let agent = match &self.stage {
            Stage::Ringing { agent, .. }
            | Stage::Briefing { agent }
            | Stage::Deciding { agent, .. } => agent.clone(),
            _ => return,
        };
        if hang_up {
            self.actions.push_back(TransferAction::HangUpAgent);
        }
        self.actions
            .push_back(TransferAction::Declined { agent, why });
        self.stage = Stage::Waiting;
    }

    /// The agent put the caller on hold, or took them off it.
    pub fn set_held(&mut self, hold: bool) {
        if let Stage::Connected { held, .. } = &mut self.stage
            && *held != hold
        {
            *held = hold;
            self.actions.push_back(if hold {
                TransferAction::Unbridge
            } else {
                TransferAction::Bridge
            });
        }
    }

    /// The connected agent calls `consultant` while the caller waits with music.
    pub fn consult(&mut self, now: Instant, consultant: AgentId) {
        let Stage::Connected { agent, held } = &self.stage else {
            return;
        };
        let agent = agent.clone();
        if !*held {
            self.actions.push_back(TransferAction::Unbridge);
        }
        self.actions
            .push_back(TransferAction::DialConsultant(consultant.clone()));
        self.stage = Stage::Consulting {
            agent,
            consultant,
            answered: false,
            deadline: now + self.timing.ring_timeout,
        };
    }

    /// The consultant answered: agent and consultant talk.
    pub fn consultant_answered(&mut self) {
        if let Stage::Consulting {
            consultant,
            answered,
            ..
        } = &mut self.stage
            && !*answered
        {
            *answered = true;
            self.actions.push_back(TransferAction::BridgeConsultation);
            self.actions
                .push_back(TransferAction::Connected(consultant.clone()));
        }
    }

    /// The consultation ends without a hand-over (the agent cancels it, or the consultant hangs
    /// up, is busy or does not answer): the agent has the caller again.
    pub fn consultation_ended(&mut self, why: Declined) {
        let Stage::Consulting {
            agent,
            consultant,
            answered,
            ..
        } = &self.stage
        else {
            return;
        };
        let (agent, consultant) = (agent.clone(), consultant.clone());
        self.actions.push_back(TransferAction::HangUpConsultant);
        self.actions.push_back(if *answered {
            TransferAction::Finished(consultant)
        } else {
            TransferAction::Declined {
                agent: consultant,
                why,
            }
        });
        self.actions.push_back(TransferAction::Bridge);
        self.stage = Stage::Connected { agent, held: false };
    }

    /// The agent completes the attended transfer: the consultant who answered takes the caller.
    pub fn complete_consultation(&mut self) {
        let Stage::Consulting {
            agent,
            consultant,
            answered: true,
            ..
        } = &self.stage
        else {
            return;
        };
        let (agent, consultant) = (agent.clone(), consultant.clone());
        self.actions.push_back(TransferAction::HandOverToConsultant);
        self.actions.push_back(TransferAction::Finished(agent));
        self.stage = Stage::Connected {
            agent: consultant,
            held: false,
        };
    }

    /// The agent hung up. Before accepting, that is a no; after, the conversation is over; while
    /// consulting someone who answered, it completes the transfer.
    pub fn agent_hung_up(&mut self) {
        match &self.stage {
            Stage::Consulting { answered: true, .. } => self.complete_consultation(),
            Stage::Consulting { .. } => {
                self.consultation_ended(Declined::Rejected);
                self.agent_hung_up();
            }
            Stage::Connected { agent, .. } => {
                let agent = agent.clone();
                self.actions.push_back(TransferAction::Unbridge);
                self.actions.push_back(TransferAction::Finished(agent));
                self.actions.push_back(TransferAction::Completed);
                self.stage = Stage::Done;
            }
            Stage::Ringing { .. } => self.give_back(Declined::Rejected, false),
            Stage::Briefing { .. } | Stage::Deciding { .. } => {
                self.give_back(Declined::Rejected, false)
            }
            Stage::Waiting | Stage::Done => {}
        }
    }

    /// The agent hands the caller on (a blind transfer): their part is over, and the call waits
    /// again, for a group or the agent being rung next.
    pub fn handed_on(&mut self) {
        if let Stage::Connected { agent, .. } = &self.stage {
            let agent = agent.clone();
            self.actions.push_back(TransferAction::Unbridge);
            self.actions.push_back(TransferAction::HangUpAgent);
            self.actions.push_back(TransferAction::Finished(agent));
            self.stage = Stage::Waiting;
        }
    }

    /// The agent sends the caller back into the flow: their part is over.
    pub fn returned_to_flow(&mut self) {
        if let Stage::Connected { agent, .. } = &self.stage {
            let agent = agent.clone();
            self.actions.push_back(TransferAction::Unbridge);
            self.actions.push_back(TransferAction::HangUpAgent);
            self.actions.push_back(TransferAction::Finished(agent));
            self.stage = Stage::Done;
        }
    }

    /// The caller hung up or left the queue: whatever agent leg exists ends.
    pub fn caller_left(&mut self) {
        if let Stage::Consulting { .. } = self.stage {
            self.consultation_ended(Declined::Rejected);
        }
        match &self.stage {
            Stage::Connected { agent, .. } => {
                let agent = agent.clone();
                self.actions.push_back(TransferAction::HangUpAgent);
                self.actions.push_back(TransferAction::Finished(agent));
            }
            Stage::Ringing { agent, .. }
            | Stage::Briefing { agent }
            | Stage::Deciding { agent, .. } => {
                let agent = agent.clone();
                self.actions.push_back(TransferAction::HangUpAgent);
                self.actions.push_back(TransferAction::Declined {
                    agent,
                    why: Declined::Rejected,
                });
            }
            // Ended just above: the agent has the caller again.
            Stage::Consulting { .. } | Stage::Waiting | Stage::Done => {}
        }
        self.stage = Stage::Done;
    }

    /// When [`WarmTransfer::handle_timeout`] has work: the ring, accept or consultation
    /// ringing deadline.
    pub fn poll_timeout(&self) -> Option<Instant> {
        match &self.stage {
            Stage::Ringing { deadline, .. }
            | Stage::Deciding { deadline, .. }
            | Stage::Consulting {
                deadline,
                answered: false,
                ..
            } => Some(*deadline),
            _ => None,
        }
    }

    /// Gives up on an agent (or consultant) who did not answer or decide in time.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.poll_timeout().is_none_or(|deadline| deadline > now) {
            return;
        }
        if let Stage::Consulting { .. } = self.stage {
            self.consultation_ended(Declined::NoAnswer);
        } else {
            self.give_back(Declined::NoAnswer, true);
        }
    }

    /// The next thing to do.
    pub fn poll_action(&mut self) -> Option<TransferAction> {
        self.actions.pop_front()
    }
}

#[cfg(test)]
#[path = "transfer_tests.rs"]
mod tests;
