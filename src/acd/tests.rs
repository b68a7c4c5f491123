//! The distributor on simulated time, with the demo's skill groups.

use super::*;
use crate::ids::{AgentId, CallId};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const SECOND: Duration = Duration::from_secs(1);

fn profile(name: &str, skills: &[(&str, u8)]) -> AgentProfile {
    AgentProfile {
        id: AgentId::new(name),
        display_name: name.to_string(),
        skills: skills
            .iter()
            .map(|(group, level)| (group.to_string(), *level))
            .collect(),
    }
}

fn settings() -> AcdSettings {
    AcdSettings {
        wrap_up: 10 * SECOND,
        announce_every: 30 * SECOND,
        overflow: BTreeMap::from([("orders".to_string(), (45 * SECOND, "support".to_string()))]),
        assumed_handle_time: 120 * SECOND,
    }
}

/// The demo's agents (DEMO.md), none signed in.
fn demo(now: Instant) -> Distributor {
    Distributor::new(
        settings(),
        vec![
            profile("agent1", &[("orders", 5), ("support", 2)]),
            profile("agent2", &[("orders", 3), ("billing", 2)]),
            profile("agent3", &[("billing", 5)]),
            profile("agent4", &[("support", 5)]),
        ],
        now,
    )
}

fn agent(name: &str) -> AgentId {
    AgentId::new(name)
}

fn register(acd: &mut Distributor, now: Instant, names: &[&str]) {
    for name in names {
        acd.registration(now, &agent(name), 1).expect("known agent");
    }
}

fn drain(acd: &mut Distributor) -> Vec<AcdOutput> {
    std::iter::from_fn(|| acd.poll_output()).collect()
}

fn offers(outputs: &[AcdOutput]) -> Vec<(CallId, String)> {
    outputs
        .iter()
        .filter_map(|output| match output {
            AcdOutput::Offer { call, agent } => Some((*call, agent.to_string())),
            _ => None,
        })
        .collect()
}

fn presence(acd: &Distributor, now: Instant, name: &str) -> Presence {
    acd.agent(&agent(name), now).expect("known agent").presence
}

#[test]
fn calls_go_to_the_best_skilled_available_agent() {
    let now = Instant::now();
    let mut acd = demo(now);
    register(&mut acd, now, &["agent1", "agent2", "agent3"]);
    drain(&mut acd);
    let billing = CallId::new();
    acd.enqueue(now, billing, "billing", Priority::Normal)
        .unwrap();
    let orders = CallId::new();
    acd.enqueue(now, orders, "orders", Priority::Normal)
        .unwrap();
    let outputs = drain(&mut acd);
    assert_eq!(
        offers(&outputs),
        vec![
            (billing, "agent3".to_string()),
            (orders, "agent1".to_string())
        ]
    );
    assert_eq!(presence(&acd, now, "agent3"), Presence::Ringing);
    // With agent3 busy, the next billing call goes to agent2, whose billing skill is lower.
    let second = CallId::new();
    acd.enqueue(now, second, "billing", Priority::Normal)
        .unwrap();
    assert_eq!(
        offers(&drain(&mut acd)),
        vec![(second, "agent2".to_string())]
    );
}

#[test]
fn among_equal_skills_the_longest_idle_agent_is_offered_the_call() {
    let start = Instant::now();
    let mut acd = Distributor::new(
        settings(),
        vec![
            profile("early", &[("support", 3)]),
            profile("late", &[("support", 3)]),
        ],
        start,
    );
    acd.registration(start + SECOND, &agent("late"), 1).unwrap();
    acd.registration(start, &agent("early"), 1).unwrap();
    let call = CallId::new();
    acd.enqueue(start + 2 * SECOND, call, "support", Priority::Normal)
        .unwrap();
    assert_eq!(offers(&drain(&mut acd)), vec![(call, "early".to_string())]);
}

#[test]
fn unknown_and_unstaffed_groups_are_refused() {
    let now = Instant::now();
    let mut acd = demo(now);
    assert_eq!(
        acd.enqueue(now, CallId::new(), "sales", Priority::Normal),
        Err(AcdError::UnknownGroup("sales".to_string()))
    );
    assert_eq!(
        acd.enqueue(now, CallId::new(), "billing", Priority::Normal),
        Err(AcdError::Unstaffed("billing".to_string()))
    );
    // An agent signed in but away still staffs the group: the caller waits for them.
    acd.sign_in(now, &agent("agent3")).unwrap();
    acd.choose_presence(now, &agent("agent3"), Presence::Away)
        .unwrap();
    let call = CallId::new();
    acd.enqueue(now, call, "billing", Priority::Normal).unwrap();
    assert_eq!(
        acd.enqueue(now, call, "billing", Priority::Normal),
        Err(AcdError::AlreadyWaiting(call))
    );
}

#[test]
fn vip_callers_go_first_then_complaints_then_by_wait() {
    let start = Instant::now();
    let mut acd = demo(start);
    register(&mut acd, start, &["agent4"]);
    let busy = CallId::new();
    acd.enqueue(start, busy, "support", Priority::Normal)
        .unwrap();
    acd.connected(start, busy, &agent("agent4"));
    let normal = CallId::new();
    let raised = CallId::new();
    let vip = CallId::new();
    let later = CallId::new();
    acd.enqueue(start + SECOND, normal, "support", Priority::Normal)
        .unwrap();
    acd.enqueue(start + 2 * SECOND, raised, "support", Priority::Raised)
        .unwrap();
    acd.enqueue(start + 3 * SECOND, vip, "support", Priority::Vip)
        .unwrap();
    acd.enqueue(start + 4 * SECOND, later, "support", Priority::Normal)
        .unwrap();
    assert_eq!(acd.position(vip).map(|(position, _)| position), Some(1));
    assert_eq!(acd.position(raised).map(|(position, _)| position), Some(2));
    assert_eq!(acd.position(normal).map(|(position, _)| position), Some(3));
    assert_eq!(acd.position(later).map(|(position, _)| position), Some(4));
    drain(&mut acd);
    let mut served = Vec::new();
    let mut now = start + 5 * SECOND;
    for _ in 0..4 {
        acd.finished(now, &agent("agent4"));
        now += settings().wrap_up;
        acd.handle_timeout(now);
        let offered = offers(&drain(&mut acd));
        assert_eq!(offered.len(), 1, "{offered:?}");
        served.push(offered[0].0);
        acd.connected(now, offered[0].0, &agent("agent4"));
    }
    assert_eq!(served, vec![vip, raised, normal, later]);
}

#[test]
fn a_ring_timeout_moves_on_to_the_next_agent_and_keeps_the_place() {
    let now = Instant::now();
    let mut acd = demo(now);
    register(&mut acd, now, &["agent1", "agent2"]);
    let first = CallId::new();
    acd.enqueue(now, first, "orders", Priority::Normal).unwrap();
    drain(&mut acd);
    // agent1 rings out: set away, and the call goes to agent2.
    acd.declined(
        now + 15 * SECOND,
        first,
        &agent("agent1"),
        Declined::NoAnswer,
    );
    let outputs = drain(&mut acd);
    assert_eq!(offers(&outputs), vec![(first, "agent2".to_string())]);
    assert!(outputs.contains(&AcdOutput::PresenceChanged {
        agent: agent("agent1"),
        presence: Presence::Away
    }));
    // agent2 says no: the call waits at the head of the queue, agent2 stays available.
    let second = CallId::new();
    acd.enqueue(now + 16 * SECOND, second, "orders", Priority::Normal)
        .unwrap();
    acd.declined(
        now + 17 * SECOND,
        first,
        &agent("agent2"),
        Declined::Rejected,
    );
    let outputs = drain(&mut acd);
    assert_eq!(offers(&outputs), vec![(second, "agent2".to_string())]);
    assert_eq!(acd.position(first).map(|(position, _)| position), Some(1));
    // agent1, back soon after letting it ring out, is not offered it again at once...
    acd.choose_presence(now + 20 * SECOND, &agent("agent1"), Presence::Available)
        .unwrap();
    assert!(offers(&drain(&mut acd)).is_empty());
    // ...but once a while has passed, the first call (not a later one) is theirs.
    acd.handle_timeout(now + 75 * SECOND);
    assert_eq!(
        offers(&drain(&mut acd)),
        vec![(first, "agent1".to_string())]
    );
}

#[test]
fn a_rejected_call_is_offered_to_the_same_agent_again_only_after_a_while() {
    let now = Instant::now();
    let mut acd = demo(now);
    register(&mut acd, now, &["agent3"]);
    let call = CallId::new();
    acd.enqueue(now, call, "billing", Priority::Normal).unwrap();
    drain(&mut acd);
    acd.declined(now, call, &agent("agent3"), Declined::Rejected);
    assert!(offers(&drain(&mut acd)).is_empty());
    let again = acd.poll_timeout().expect("a re-offer is due");
    assert!(again <= now + 60 * SECOND, "{:?}", again - now);
    acd.handle_timeout(now + 60 * SECOND);
    assert_eq!(offers(&drain(&mut acd)), vec![(call, "agent3".to_string())]);
}

#[test]
fn a_call_waiting_too_long_overflows_to_another_group() {
    let now = Instant::now();
    let mut acd = demo(now);
    register(&mut acd, now, &["agent1", "agent4"]);
    let busy = CallId::new();
    acd.enqueue(now, busy, "orders", Priority::Normal).unwrap();
    acd.connected(now, busy, &agent("agent1"));
    drain(&mut acd);
    let call = CallId::new();
    acd.enqueue(now, call, "orders", Priority::Normal).unwrap();
    assert!(offers(&drain(&mut acd)).is_empty());
    acd.handle_timeout(now + 44 * SECOND);
    assert!(offers(&drain(&mut acd)).is_empty());
    assert!(acd.poll_timeout().is_some_and(|at| at <= now + 45 * SECOND));
    acd.handle_timeout(now + 45 * SECOND);
    let outputs = drain(&mut acd);
    assert!(outputs.contains(&AcdOutput::Overflowed {
        call,
        from: "orders".to_string(),
        to: "support".to_string()
    }));
    assert_eq!(offers(&outputs), vec![(call, "agent4".to_string())]);
}

#[test]
fn waiting_callers_hear_their_position_on_joining_and_then_regularly() {
    let now = Instant::now();
    let mut acd = demo(now);
    acd.sign_in(now, &agent("agent4")).unwrap();
    drain(&mut acd);
    let first = CallId::new();
    let second = CallId::new();
    acd.enqueue(now, first, "support", Priority::Normal)
        .unwrap();
    acd.enqueue(now, second, "support", Priority::Normal)
        .unwrap();
    // agent4 has no phone registered, so both wait; one agent: two rounds of handle time.
    assert_eq!(
        drain(&mut acd),
        vec![
            AcdOutput::Position {
                call: first,
                position: 1,
                expected_wait: 120 * SECOND
            },
            AcdOutput::Position {
                call: second,
                position: 2,
                expected_wait: 240 * SECOND
            },
        ]
    );
    acd.handle_timeout(now + 30 * SECOND);
    assert_eq!(drain(&mut acd).len(), 2);
    acd.leave(now + 31 * SECOND, first);
    acd.handle_timeout(now + 60 * SECOND);
    assert_eq!(
        drain(&mut acd),
        vec![AcdOutput::Position {
            call: second,
            position: 1,
            expected_wait: 120 * SECOND
        }]
    );
}

#[test]
fn after_a_call_the_agent_wraps_up_then_takes_the_next() {
    let now = Instant::now();
    let mut acd = demo(now);
    register(&mut acd, now, &["agent3"]);
    let first = CallId::new();
    let second = CallId::new();
    acd.enqueue(now, first, "billing", Priority::Normal)
        .unwrap();
    acd.enqueue(now, second, "billing", Priority::Normal)
        .unwrap();
    acd.connected(now, first, &agent("agent3"));
    drain(&mut acd);
    acd.finished(now + 60 * SECOND, &agent("agent3"));
    assert_eq!(
        presence(&acd, now + 60 * SECOND, "agent3"),
        Presence::WrapUp
    );
    assert!(offers(&drain(&mut acd)).is_empty());
    assert!(acd.poll_timeout().is_some_and(|at| at <= now + 70 * SECOND));
    acd.handle_timeout(now + 70 * SECOND);
    assert_eq!(
        offers(&drain(&mut acd)),
        vec![(second, "agent3".to_string())]
    );
    // The measured handle time (60 s) pulls the expected wait down from the assumed 120 s;
    // the call being offered is still ahead, so two rounds of it.
    let third = CallId::new();
    acd.enqueue(now + 71 * SECOND, third, "billing", Priority::Normal)
        .unwrap();
    assert_eq!(acd.position(third), Some((2, Duration::from_secs(216))));
}

#[test]
fn phones_sign_agents_in_and_out_and_a_lost_phone_withdraws_an_offer() {
    let now = Instant::now();
    let mut acd = demo(now);
    acd.registration(now, &agent("agent4"), 1).unwrap();
    assert_eq!(presence(&acd, now, "agent4"), Presence::Available);
    // A second contact and refreshes change nothing.
    acd.registration(now, &agent("agent4"), 2).unwrap();
    let call = CallId::new();
    acd.enqueue(now, call, "support", Priority::Normal).unwrap();
    drain(&mut acd);
    acd.registration(now, &agent("agent4"), 0).unwrap();
    let outputs = drain(&mut acd);
    assert!(outputs.contains(&AcdOutput::Withdraw {
        call,
        agent: agent("agent4")
    }));
    assert_eq!(presence(&acd, now, "agent4"), Presence::Offline);
    assert_eq!(
        acd.registration(now, &agent("nobody"), 1),
        Err(AcdError::UnknownAgent(agent("nobody")))
    );
}

#[test]
fn presence_chosen_during_a_call_applies_when_it_ends() {
    let now = Instant::now();
    let mut acd = demo(now);
    register(&mut acd, now, &["agent4"]);
    let call = CallId::new();
    acd.enqueue(now, call, "support", Priority::Normal).unwrap();
    acd.connected(now, call, &agent("agent4"));
    acd.choose_presence(now, &agent("agent4"), Presence::Away)
        .unwrap();
    assert_eq!(presence(&acd, now, "agent4"), Presence::OnCall);
    acd.finished(now + SECOND, &agent("agent4"));
    assert_eq!(presence(&acd, now, "agent4"), Presence::Away);
    assert_eq!(
        acd.choose_presence(now, &agent("agent4"), Presence::OnCall),
        Err(AcdError::NotChoosable("on_call"))
    );
    acd.sign_out(now, &agent("agent4")).unwrap();
    assert_eq!(
        acd.choose_presence(now, &agent("agent4"), Presence::Available),
        Err(AcdError::SignedOut(agent("agent4")))
    );
}

#[test]
fn a_caller_leaving_frees_the_agent_being_offered_the_call() {
    let now = Instant::now();
    let mut acd = demo(now);
    register(&mut acd, now, &["agent4"]);
    let call = CallId::new();
    acd.enqueue(now, call, "support", Priority::Normal).unwrap();
    assert_eq!(presence(&acd, now, "agent4"), Presence::Ringing);
    acd.leave(now, call);
    assert_eq!(presence(&acd, now, "agent4"), Presence::Available);
    assert!(acd.queues(now).iter().all(|queue| queue.waiting.is_empty()));
}

#[test]
fn a_named_agent_is_reserved_only_when_free() {
    let now = Instant::now();
    let mut acd = demo(now);
    let call = CallId::new();
    assert_eq!(
        acd.reserve(now, &agent("agent2"), call),
        Err(AcdError::SignedOut(agent("agent2")))
    );
    register(&mut acd, now, &["agent2"]);
    acd.reserve(now, &agent("agent2"), call).unwrap();
    assert_eq!(presence(&acd, now, "agent2"), Presence::Ringing);
    let other = CallId::new();
    assert!(matches!(
        acd.reserve(now, &agent("agent2"), other),
        Err(AcdError::Busy { .. })
    ));
    acd.declined(now, call, &agent("agent2"), Declined::Rejected);
    assert_eq!(presence(&acd, now, "agent2"), Presence::Available);
}
