//! Who hears whom on a call: the caller and the legs to agents' phones, and the audio routes
//! between them that the transfer's stage and a supervisor's mode allow.
//!
//! Invariant: nobody hears themselves, and nobody hears a leg that has not answered: the core
//! computes a route only from what it was told, and the driver relays frames only along routes.

use crate::agents::MonitorMode;

/// Which leg to an agent's phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    /// The agent who has the caller.
    Agent,
    /// The agent consulted before an attended transfer.
    Consultant,
    /// A supervisor listening in.
    Supervisor,
}

impl Slot {
    /// Every slot, in a fixed order.
    pub const ALL: [Slot; 3] = [Slot::Agent, Slot::Consultant, Slot::Supervisor];

    /// The slot's place among [`Slot::ALL`].
    pub fn index(self) -> usize {
        match self {
            Slot::Agent => 0,
            Slot::Consultant => 1,
            Slot::Supervisor => 2,
        }
    }
}

/// Someone on the call who can speak or listen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Party {
    /// The caller.
    Caller,
    /// The leg in a slot.
    Leg(Slot),
}

impl Party {
    /// Every party, in a fixed order.
    pub const ALL: [Party; 4] = [
        Party::Caller,
        Party::Leg(Slot::Agent),
        Party::Leg(Slot::Consultant),
        Party::Leg(Slot::Supervisor),
    ];

    /// The party's place among [`Party::ALL`], also its media relay source: one per speaker, so
    /// a session mixes what several parties say instead of interleaving them.
    pub fn index(self) -> usize {
        match self {
            Party::Caller => 0,
            Party::Leg(slot) => slot.index() + 1,
        }
    }
}

/// What the routes depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Situation {
    /// Caller and agent talk (connected, not held).
    pub talking: bool,
    /// The agent talks to an answered consultant.
    pub consulting: bool,
    /// A supervisor whose phone answered, and what they do.
    pub supervisor: Option<MonitorMode>,
}

/// Who hears whom now: `hears[speaker][listener]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Routing {
    hears: [[bool; 4]; 4],
}

impl Routing {
    /// The routes of a situation.
    pub fn of(situation: Situation) -> Routing {
        let mut hears = [[false; 4]; 4];
        for speaker in Party::ALL {
            for listener in Party::ALL {
                hears[speaker.index()][listener.index()] = hears_now(situation, speaker, listener);
            }
        }
        Routing { hears }
    }

    /// Whether `listener` hears `speaker`.
    pub fn hears(&self, speaker: Party, listener: Party) -> bool {
        self.hears[speaker.index()][listener.index()]
    }

    /// Everyone who hears `speaker`.
    pub fn listeners(&self, speaker: Party) -> impl Iterator<Item = Party> + '_ {
        Party::ALL
            .into_iter()
            .filter(move |listener| self.hears(speaker, *listener))
    }
}

fn hears_now(situation: Situation, speaker: Party, listener: Party) -> bool {
    let (caller, agent) = (Party::Caller, Party::Leg(Slot::Agent));
    let (consultant, boss) = (Party::Leg(Slot::Consultant), Party::Leg(Slot::Supervisor));
    let pair = (speaker, listener);
    if pair == (caller, agent) || pair == (agent, caller) {
        return situation.talking;
    }
    if pair == (agent, consultant) || pair == (consultant, agent) {
        return situation.consulting;
    }
    if listener == boss {
        return speaker != boss && situation.supervisor.is_some();
    }
    if pair == (boss, agent) {
        return matches!(
            situation.supervisor,
            Some(MonitorMode::Whisper | MonitorMode::Barge)
        );
    }
    pair == (boss, caller) && situation.talking && situation.supervisor == Some(MonitorMode::Barge)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CALLER: Party = Party::Caller;
    const AGENT: Party = Party::Leg(Slot::Agent);
    const CONSULTANT: Party = Party::Leg(Slot::Consultant);
    const BOSS: Party = Party::Leg(Slot::Supervisor);

    #[test]
    fn nobody_hears_anybody_while_the_caller_waits() {
        let routing = Routing::of(Situation::default());
        for speaker in Party::ALL {
            assert_eq!(routing.listeners(speaker).count(), 0, "{speaker:?}");
        }
    }

    #[test]
    fn caller_and_agent_hear_each_other_while_talking() {
        let routing = Routing::of(Situation {
            talking: true,
            ..Situation::default()
        });
        assert!(routing.hears(CALLER, AGENT) && routing.hears(AGENT, CALLER));
        assert!(!routing.hears(CALLER, CONSULTANT) && !routing.hears(CALLER, CALLER));
    }

    #[test]
    fn a_consultation_keeps_the_caller_out() {
        let routing = Routing::of(Situation {
            consulting: true,
            ..Situation::default()
        });
        assert!(routing.hears(AGENT, CONSULTANT) && routing.hears(CONSULTANT, AGENT));
        assert!(!routing.hears(CONSULTANT, CALLER) && !routing.hears(CALLER, CONSULTANT));
    }

    #[test]
    fn supervisor_modes_decide_who_hears_the_supervisor() {
        let situation = |mode| Situation {
            talking: true,
            consulting: false,
            supervisor: Some(mode),
        };
        let listen = Routing::of(situation(MonitorMode::Listen));
        assert!(listen.hears(CALLER, BOSS) && listen.hears(AGENT, BOSS));
        assert_eq!(listen.listeners(BOSS).count(), 0);
        let whisper = Routing::of(situation(MonitorMode::Whisper));
        assert_eq!(whisper.listeners(BOSS).collect::<Vec<_>>(), [AGENT]);
        let barge = Routing::of(situation(MonitorMode::Barge));
        assert_eq!(barge.listeners(BOSS).collect::<Vec<_>>(), [CALLER, AGENT]);
    }
}
