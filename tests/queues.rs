//! Queues with real softphones: the registrar's digest auth and lockout, ring-out rollover to the
//! next agent, VIP callers first, overflow to another group, a blind transfer by REFER from the
//! agent's phone, hold and wrap-up from the desk, and callback requests. Callers are sipp with an
//! RTP peer on a key-only route to `tests/flows/queues.flow.toml`; agents are baresip.

mod common;

use common::audio::rms;
use common::desk::{Desk, QUEUES, available, phone, queue_server};
use common::rtp::RtpPeer;
use common::sipp::SippHandle;
use common::softphone::Answer;
use common::{SECOND, Server};
use serde_json::{Value, json};
use std::time::Instant;

fn away(desk: &Desk) {
    let (status, answer) = desk.request(
        "POST",
        "/api/agent/presence",
        Some(json!({"presence": "away"})),
    );
    assert_eq!(status, 200, "{answer}");
}

/// A caller on the queue route who presses `key` once the menu question has played.
fn caller(server: &Server, number: &str, key: &str) -> (RtpPeer, SippHandle) {
    let (peer, sipp) = common::sipp::dial(server, QUEUES, number, 90_000);
    common::sipp::press_after_prompt(&peer, key);
    (peer, sipp)
}

/// The call from `number`, as `/api/calls` has it now.
fn call_from(server: &Server, number: &str) -> Value {
    server.wait_call(10 * SECOND, |call| call["from"] == number)
}

/// Waits until the record of the call from `number` names `agent` as the one who took it (the
/// record is written in the background).
fn took_it(server: &Server, number: &str, agent: &str) {
    server.wait_call(10 * SECOND, |call| {
        call["from"] == number && call["agent"] == agent
    });
}

fn accept(desk: &Desk, call: &str) {
    let (status, answer) = desk.request("POST", &format!("/api/agent/calls/{call}/accept"), None);
    assert_eq!(status, 200, "{answer}");
}

#[test]
fn a_phone_that_rings_out_passes_the_call_to_the_next_agent() {
    let server = queue_server("ring_timeout = \"3s\"\naccept_timeout = \"20s\"");
    let agent3 = phone(&server, "agent3", Answer::Never);
    let _agent2 = phone(&server, "agent2", Answer::Automatically);
    let desk3 = available(&server, "agent3");
    let desk2 = available(&server, "agent2");
    let mut events2 = desk2.events();
    let (_peer, sipp) = caller(&server, "+15550100007", "3");
    // agent3 has the better billing skill, so their phone rings first, and rings out.
    let offer = events2.wait("offer", 20 * SECOND, |_| true);
    assert!(
        agent3.log().to_lowercase().contains("incoming call"),
        "agent3's phone never rang:\n{}",
        agent3.log()
    );
    assert_eq!(desk3.me()["agent"]["presence"], "away");
    let call = offer["context"]["call"].as_str().unwrap().to_string();
    let tried = offer["context"]["handover"]["summary"]["tried"].to_string();
    assert!(tried.contains("agent3"), "{offer:#}");
    events2.wait("briefing", 10 * SECOND, |_| true);
    accept(&desk2, &call);
    events2.wait("connected", 10 * SECOND, |_| true);
    took_it(&server, "+15550100007", "agent2");
    drop(sipp);
}

#[test]
fn vip_callers_are_served_before_callers_who_waited_longer() {
    let server = queue_server("announce_every = \"4s\"\nring_timeout = \"10s\"");
    let _agent3 = phone(&server, "agent3", Answer::Automatically);
    let desk = available(&server, "agent3");
    away(&desk);
    let (_first, first_sipp) = caller(&server, "+15550100009", "3");
    let desk_view = |desk: &Desk| desk.request("GET", "/api/agents", None).1;
    common::wait_for(10 * SECOND, || {
        let queues = desk_view(&desk)["queues"].to_string();
        queues.contains("\"position\":1").then_some(())
    })
    .expect("the first caller never waited");
    let (_vip, vip_sipp) = caller(&server, "+15550100001", "3");
    let billing = common::wait_for(10 * SECOND, || {
        let snapshot = desk_view(&desk);
        let billing = snapshot["queues"]
            .as_array()?
            .iter()
            .find(|queue| queue["group"] == "billing")?
            .clone();
        (billing["waiting"].as_array()?.len() == 2).then_some(billing)
    })
    .expect("both callers wait for billing");
    let vip_call = call_from(&server, "+15550100001")["id"].clone();
    let first_call = call_from(&server, "+15550100009")["id"].clone();
    assert_eq!(billing["waiting"][0]["call"], vip_call, "{billing:#}");
    assert_eq!(billing["waiting"][0]["priority"], "vip", "{billing:#}");
    assert_eq!(billing["waiting"][1]["call"], first_call, "{billing:#}");
    // The first caller heard their place, and now hears they are second.
    let announced = common::wait_for(15 * SECOND, || {
        let record = call_from(&server, "+15550100009");
        record["transcript"]
            .to_string()
            .contains("You are number two in line")
            .then_some(())
    });
    assert!(
        announced.is_some(),
        "{:#}",
        call_from(&server, "+15550100009")
    );
    // agent3 comes back: the VIP is offered first.
    let mut events = desk.events();
    let (status, _) = desk.request(
        "POST",
        "/api/agent/presence",
        Some(json!({"presence": "available"})),
    );
    assert_eq!(status, 200);
    let offer = events.wait("offer", 10 * SECOND, |_| true);
    assert_eq!(offer["context"]["caller"], "+15550100001", "{offer:#}");
    assert_eq!(offer["context"]["priority"], "vip", "{offer:#}");
    drop((first_sipp, vip_sipp));
}

#[test]
fn a_caller_waiting_too_long_overflows_to_another_group() {
    let server = queue_server(
        "ring_timeout = \"10s\"\n\n[[acd.groups]]\nname = \"orders\"\noverflow_after = \"3s\"\noverflow_to = \"support\"",
    );
    let _agent1 = phone(&server, "agent1", Answer::Automatically);
    let _agent4 = phone(&server, "agent4", Answer::Automatically);
    let desk1 = available(&server, "agent1");
    away(&desk1);
    let desk4 = available(&server, "agent4");
    let mut events4 = desk4.events();
    let (_peer, sipp) = caller(&server, "+15550100008", "1");
    let offer = events4.wait("offer", 15 * SECOND, |_| true);
    assert_eq!(offer["context"]["group"], "support", "{offer:#}");
    // The record is written in the background: wait for it to note the overflow.
    server.wait_call(10 * SECOND, |record| {
        record["from"] == "+15550100008" && record["variables"]["queue_group"] == "support"
    });
    drop(sipp);
}

#[test]
fn an_agent_hands_the_caller_to_billing_with_a_refer_and_puts_them_on_hold() {
    let server = queue_server("ring_timeout = \"10s\"\nwrap_up = \"30s\"");
    let mut agent1 = phone(&server, "agent1", Answer::Automatically);
    let _agent3 = phone(&server, "agent3", Answer::Automatically);
    let desk1 = available(&server, "agent1");
    let desk3 = available(&server, "agent3");
    let mut events1 = desk1.events();
    let mut events3 = desk3.events();
    let (peer, sipp) = caller(&server, "+15550100006", "1");
    let offer = events1.wait("offer", 15 * SECOND, |_| true);
    let call = offer["context"]["call"].as_str().unwrap().to_string();
    events1.wait("briefing", 10 * SECOND, |_| true);
    accept(&desk1, &call);
    events1.wait("connected", 10 * SECOND, |_| true);

    // Hold from the desk: the caller hears music; resume stops it.
    std::thread::sleep(SECOND);
    let quiet_since = Instant::now();
    std::thread::sleep(2 * SECOND);
    let bridged = rms(&peer.audio_since(quiet_since));
    let (status, answer) = desk1.request("POST", &format!("/api/agent/calls/{call}/hold"), None);
    assert_eq!(status, 200, "{answer}");
    std::thread::sleep(SECOND);
    let held_since = Instant::now();
    std::thread::sleep(2 * SECOND);
    let held = rms(&peer.audio_since(held_since));
    assert!(
        held > 0.01 && held > bridged * 3.0,
        "held {held}, bridged {bridged}"
    );
    let (status, answer) = desk1.request("POST", &format!("/api/agent/calls/{call}/resume"), None);
    assert_eq!(status, 200, "{answer}");

    // The agent's phone transfers the call to billing (REFER).
    agent1.command("transfer", &format!("sip:billing@{}", server.sip));
    let offer3 = events3.wait("offer", 15 * SECOND, |_| true);
    assert_eq!(offer3["context"]["call"], call.as_str());
    assert_eq!(offer3["context"]["group"], "billing");
    let tried = offer3["context"]["handover"]["summary"]["tried"].to_string();
    assert!(tried.contains("handed on by agent1"), "{offer3:#}");
    events1.wait("ended", 10 * SECOND, |_| true);
    assert_eq!(desk1.me()["agent"]["presence"], "wrap_up");
    events3.wait("briefing", 10 * SECOND, |_| true);
    accept(&desk3, &call);
    events3.wait("connected", 10 * SECOND, |_| true);
    took_it(&server, "+15550100006", "agent3");

    // agent1's wrap-up notes are kept with the call; a code not configured is refused.
    let (status, answer) = desk1.request(
        "POST",
        &format!("/api/agent/calls/{call}/wrap_up"),
        Some(json!({"disposition": "escalated", "notes": "sent to billing"})),
    );
    assert_eq!(status, 409, "agent3 handles the call now: {answer}");
    let (status, answer) = desk3.request(
        "POST",
        &format!("/api/agent/calls/{call}/wrap_up"),
        Some(json!({"disposition": "no_such_code"})),
    );
    assert_eq!(status, 400, "{answer}");
    let (status, answer) = desk3.request(
        "POST",
        &format!("/api/agent/calls/{call}/wrap_up"),
        Some(json!({"disposition": "resolved", "notes": "double charge refunded"})),
    );
    assert_eq!(status, 200, "{answer}");
    let record = call_from(&server, "+15550100006");
    assert_eq!(record["wrap_up"]["disposition"], "resolved", "{record:#}");
    assert_eq!(record["wrap_up"]["agent"], "agent3", "{record:#}");
    drop(sipp);
}

#[test]
fn a_waiting_caller_can_ask_to_be_called_back() {
    let server = queue_server("announce_every = \"30s\"");
    let _agent1 = phone(&server, "agent1", Answer::Automatically);
    let desk = available(&server, "agent1");
    away(&desk);
    let (peer, sipp) = caller(&server, "+15550100005", "1");
    common::wait_for(10 * SECOND, || {
        let queues = desk.request("GET", "/api/agents", None).1["queues"].to_string();
        queues.contains("\"position\":1").then_some(())
    })
    .expect("the caller never waited");
    peer.send_dtmf("9");
    let record = server.wait_call(20 * SECOND, |call| {
        call["from"] == "+15550100005" && !call["ended_at"].is_null()
    });
    assert_eq!(
        record["variables"]["callback_requested"], "orders",
        "{record:#}"
    );
    assert!(
        record["transcript"]
            .to_string()
            .contains("We will call you back"),
        "{record:#}"
    );
    let snapshot = desk.request("GET", "/api/agents", None).1;
    assert!(
        snapshot["queues"]
            .as_array()
            .unwrap()
            .iter()
            .all(|queue| queue["waiting"].as_array().unwrap().is_empty()),
        "{snapshot:#}"
    );
    drop(sipp);
}
