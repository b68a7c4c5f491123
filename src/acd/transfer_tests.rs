use super::*;

const SECOND: Duration = Duration::from_secs(1);

fn timing() -> TransferTiming {
    TransferTiming {
        ring_timeout: 15 * SECOND,
        accept_timeout: 20 * SECOND,
    }
}

fn actions(transfer: &mut WarmTransfer) -> Vec<TransferAction> {
    std::iter::from_fn(|| transfer.poll_action()).collect()
}

fn agent(name: &str) -> AgentId {
    AgentId::new(name)
}

#[test]
fn the_agent_hears_the_brief_accepts_and_is_bridged_until_they_hang_up() {
    let now = Instant::now();
    let mut transfer = WarmTransfer::waiting(timing());
    assert!(transfer.caller_hears_music());
    transfer.offered(now, agent("agent1"));
    assert_eq!(
        actions(&mut transfer),
        vec![TransferAction::Dial(agent("agent1"))]
    );
    transfer.answered();
    assert_eq!(actions(&mut transfer), vec![TransferAction::PlayBrief]);
    assert!(
        transfer.caller_hears_music(),
        "music goes on during the brief"
    );
    transfer.brief_finished(now + 5 * SECOND);
    assert_eq!(transfer.poll_timeout(), Some(now + 25 * SECOND));
    transfer.accepted();
    assert_eq!(
        actions(&mut transfer),
        vec![
            TransferAction::Bridge,
            TransferAction::Connected(agent("agent1"))
        ]
    );
    assert!(!transfer.caller_hears_music());
    assert_eq!(transfer.poll_timeout(), None);
    transfer.set_held(true);
    assert!(transfer.caller_hears_music());
    transfer.set_held(false);
    assert_eq!(
        actions(&mut transfer),
        vec![TransferAction::Unbridge, TransferAction::Bridge]
    );
    transfer.agent_hung_up();
    assert_eq!(
        actions(&mut transfer),
        vec![
            TransferAction::Unbridge,
            TransferAction::Finished(agent("agent1")),
            TransferAction::Completed
        ]
    );
    assert_eq!(transfer.stage(), &Stage::Done);
}

#[test]
fn ringing_out_or_no_decision_gives_the_call_back_as_no_answer() {
    let now = Instant::now();
    let mut transfer = WarmTransfer::waiting(timing());
    transfer.offered(now, agent("agent1"));
    actions(&mut transfer);
    transfer.handle_timeout(now + 14 * SECOND);
    assert!(actions(&mut transfer).is_empty());
    transfer.handle_timeout(now + 15 * SECOND);
    assert_eq!(
        actions(&mut transfer),
        vec![
            TransferAction::HangUpAgent,
            TransferAction::Declined {
                agent: agent("agent1"),
                why: Declined::NoAnswer
            }
        ]
    );
    assert_eq!(transfer.stage(), &Stage::Waiting);
    transfer.offered(now + 16 * SECOND, agent("agent2"));
    transfer.answered();
    transfer.brief_finished(now + 20 * SECOND);
    actions(&mut transfer);
    transfer.handle_timeout(now + 40 * SECOND);
    assert_eq!(
        actions(&mut transfer),
        vec![
            TransferAction::HangUpAgent,
            TransferAction::Declined {
                agent: agent("agent2"),
                why: Declined::NoAnswer
            }
        ]
    );
}

#[test]
fn a_rejection_a_busy_phone_or_an_early_hang_up_puts_the_call_back() {
    let now = Instant::now();
    let mut transfer = WarmTransfer::waiting(timing());
    transfer.offered(now, agent("agent1"));
    transfer.answered();
    actions(&mut transfer);
    transfer.rejected();
    assert_eq!(
        actions(&mut transfer),
        vec![
            TransferAction::HangUpAgent,
            TransferAction::Declined {
                agent: agent("agent1"),
                why: Declined::Rejected
            }
        ]
    );
    transfer.offered(now, agent("agent2"));
    actions(&mut transfer);
    transfer.failed(false);
    assert_eq!(
        actions(&mut transfer),
        vec![TransferAction::Declined {
            agent: agent("agent2"),
            why: Declined::Unreachable
        }]
    );
    transfer.offered(now, agent("agent3"));
    transfer.answered();
    actions(&mut transfer);
    transfer.agent_hung_up();
    assert_eq!(
        actions(&mut transfer),
        vec![TransferAction::Declined {
            agent: agent("agent3"),
            why: Declined::Rejected
        }]
    );
    assert!(transfer.caller_hears_music());
}

#[test]
fn the_caller_leaving_ends_the_agent_leg() {
    let now = Instant::now();
    let mut transfer = WarmTransfer::waiting(timing());
    transfer.offered(now, agent("agent1"));
    actions(&mut transfer);
    transfer.caller_left();
    assert_eq!(
        actions(&mut transfer),
        vec![
            TransferAction::HangUpAgent,
            TransferAction::Declined {
                agent: agent("agent1"),
                why: Declined::Rejected
            }
        ]
    );
    let mut connected = WarmTransfer::waiting(timing());
    connected.offered(now, agent("agent4"));
    connected.answered();
    connected.accepted();
    actions(&mut connected);
    connected.caller_left();
    assert_eq!(
        actions(&mut connected),
        vec![
            TransferAction::HangUpAgent,
            TransferAction::Finished(agent("agent4"))
        ]
    );
    assert_eq!(connected.stage(), &Stage::Done);
}

#[test]
fn a_second_offer_or_a_stale_withdrawal_changes_nothing() {
    let now = Instant::now();
    let mut transfer = WarmTransfer::waiting(timing());
    transfer.offered(now, agent("agent1"));
    transfer.offered(now, agent("agent2"));
    assert_eq!(
        actions(&mut transfer),
        vec![
            TransferAction::Dial(agent("agent1")),
            TransferAction::Declined {
                agent: agent("agent2"),
                why: Declined::Rejected
            }
        ]
    );
    transfer.withdrawn(&agent("agent2"));
    assert!(actions(&mut transfer).is_empty());
    transfer.withdrawn(&agent("agent1"));
    assert_eq!(actions(&mut transfer), vec![TransferAction::HangUpAgent]);
    assert_eq!(transfer.stage(), &Stage::Waiting);
}

#[test]
fn a_blind_transfer_ends_the_agents_part_and_waits_again() {
    let now = Instant::now();
    let mut transfer = WarmTransfer::waiting(timing());
    transfer.offered(now, agent("agent1"));
    transfer.answered();
    transfer.accepted();
    actions(&mut transfer);
    transfer.handed_on();
    assert_eq!(
        actions(&mut transfer),
        vec![
            TransferAction::Unbridge,
            TransferAction::HangUpAgent,
            TransferAction::Finished(agent("agent1"))
        ]
    );
    assert!(transfer.caller_hears_music());
    transfer.offered(now, agent("agent2"));
    assert_eq!(
        actions(&mut transfer),
        vec![TransferAction::Dial(agent("agent2"))]
    );
}

#[test]
fn an_attended_transfer_consults_then_hands_the_caller_over() {
    let now = Instant::now();
    let mut transfer = WarmTransfer::waiting(timing());
    transfer.offered(now, agent("agent1"));
    transfer.answered();
    transfer.accepted();
    actions(&mut transfer);
    transfer.consult(now, agent("agent3"));
    assert_eq!(
        actions(&mut transfer),
        vec![
            TransferAction::Unbridge,
            TransferAction::DialConsultant(agent("agent3"))
        ]
    );
    assert!(transfer.caller_hears_music());
    assert_eq!(transfer.consultant(), Some(&agent("agent3")));
    assert_eq!(transfer.poll_timeout(), Some(now + 15 * SECOND));
    transfer.consultant_answered();
    assert_eq!(
        actions(&mut transfer),
        vec![
            TransferAction::BridgeConsultation,
            TransferAction::Connected(agent("agent3"))
        ]
    );
    assert_eq!(transfer.poll_timeout(), None);
    transfer.complete_consultation();
    assert_eq!(
        actions(&mut transfer),
        vec![
            TransferAction::HandOverToConsultant,
            TransferAction::Finished(agent("agent1"))
        ]
    );
    assert_eq!(transfer.agent(), Some(&agent("agent3")));
    assert!(transfer.talking());
}

#[test]
fn a_consultation_that_fails_or_is_cancelled_returns_the_caller_to_the_agent() {
    let now = Instant::now();
    let mut transfer = WarmTransfer::waiting(timing());
    transfer.offered(now, agent("agent1"));
    transfer.answered();
    transfer.accepted();
    transfer.consult(now, agent("agent3"));
    actions(&mut transfer);
    transfer.handle_timeout(now + 15 * SECOND);
    assert_eq!(
        actions(&mut transfer),
        vec![
            TransferAction::HangUpConsultant,
            TransferAction::Declined {
                agent: agent("agent3"),
                why: Declined::NoAnswer
            },
            TransferAction::Bridge
        ]
    );
    assert!(transfer.talking());
    transfer.consult(now, agent("agent2"));
    transfer.consultant_answered();
    actions(&mut transfer);
    transfer.consultation_ended(Declined::Rejected);
    assert_eq!(
        actions(&mut transfer),
        vec![
            TransferAction::HangUpConsultant,
            TransferAction::Finished(agent("agent2")),
            TransferAction::Bridge
        ]
    );
    // Hanging up while the consultant listens completes the transfer.
    transfer.consult(now, agent("agent4"));
    transfer.consultant_answered();
    actions(&mut transfer);
    transfer.agent_hung_up();
    assert_eq!(
        actions(&mut transfer),
        vec![
            TransferAction::HandOverToConsultant,
            TransferAction::Finished(agent("agent1"))
        ]
    );
    assert_eq!(transfer.agent(), Some(&agent("agent4")));
}
