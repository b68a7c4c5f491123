//! The agent desk in a real browser: Debian's headless Chromium, driven by Playwright
//! (`tests/desk/desk.mjs`), signs agent3 in at /desk while agent3's softphone (baresip) is
//! registered. A caller (sipp) asks for billing; the desk shows the context, the browser accepts,
//! holds and resumes, pauses and resumes the recording; the phone hangs up and the browser saves
//! the wrap-up, which the call record then holds; the recording's segments show the IVR, the
//! queue, the agent and the pause.

mod common;

use common::SECOND;
use common::desk::{QUEUES, password, queue_server};
use common::playwright::Script;
use common::softphone::{Answer, Softphone};
use std::time::Instant;

#[test]
fn an_agent_takes_a_call_at_the_desk_in_the_browser() {
    let server = queue_server("ring_timeout = \"10s\"\naccept_timeout = \"40s\"\nwrap_up = \"5s\"");
    let mut phone = Softphone::agent(
        server.sip,
        "agent3",
        &password("agent3"),
        Answer::Automatically,
        None,
    );
    let screenshot = server.dir.join("desk.png");
    let mut browser = Script::start(
        "desk.mjs",
        &[
            ("DESK_URL", format!("http://{}/desk", server.http)),
            ("AGENT", "agent3".to_string()),
            ("PASSWORD", password("agent3")),
            ("SCREENSHOT", screenshot.display().to_string()),
        ],
    );
    browser.expect("READY", 60 * SECOND, &server);

    let (peer, sipp) = common::sipp::dial(&server, QUEUES, "+15550100004", 120_000);
    common::sipp::press_after_prompt(&peer, "3");
    browser.expect("OFFERED", 30 * SECOND, &server);
    browser.expect("CONNECTED", 60 * SECOND, &server);
    browser.expect("RESUMED", 20 * SECOND, &server);
    browser.expect("RECORDING_RESUMED", 20 * SECOND, &server);
    phone.command("hangup", "");
    browser.expect("DONE", 30 * SECOND, &server);
    browser.finish();
    assert!(common::file_exists(&screenshot), "no screenshot");

    let call = server.wait_call(10 * SECOND, |call| call["from"] == "+15550100004");
    assert_eq!(call["agent"], "agent3", "{call:#}");
    assert_eq!(call["wrap_up"]["disposition"], "resolved", "{call:#}");
    assert_eq!(
        call["wrap_up"]["notes"], "Explained the double charge; refund issued.",
        "{call:#}"
    );
    let id = call["id"].as_str().unwrap();
    let deadline = Instant::now() + 20 * SECOND;
    let detail = loop {
        let (_, body) = server.get_as(&format!("/api/recordings/{id}"), &server.reviewer_token);
        let detail: serde_json::Value = serde_json::from_str(&body).unwrap();
        if detail["recording"]["sealed"] == true || Instant::now() > deadline {
            break detail;
        }
        std::thread::sleep(SECOND / 5);
    };
    let phases: Vec<&str> = detail["recording"]["segments"]
        .as_array()
        .unwrap_or_else(|| panic!("no segments: {detail}"))
        .iter()
        .filter_map(|segment| segment["phase"].as_str())
        .collect();
    assert!(
        phases.starts_with(&["ivr", "queue", "agent"]) && phases.contains(&"paused"),
        "{phases:?}: {detail:#}"
    );
    drop(sipp);
}
