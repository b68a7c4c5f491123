//! Compliance end to end on a real server, with sipp callers and Piper's voice:
//! - `kill -9` mid-call: after a restart the recording up to about a second before the kill is
//!   sealed, decrypts and plays, and nothing is left unsealed or broken;
//! - `hotline recordings verify` names a recording with one flipped byte, and one deleted;
//! - a flow step pauses the recording (silence, a `paused` segment) and resumes it;
//! - every role against every endpoint (deny by default);
//! - PII redacted in stored transcripts;
//! - the reviewer page in headless Chromium finds a call about order 12345, plays it, seeks to
//!   its middle with the transcript following, exports it, and the audit log holds each step.

mod common;

use common::SECOND;
use common::{
    REVIEWER_PASSWORD, Route, Server, ServerOptions, add_user, http_bytes, http_request_with,
};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `hotline recordings verify` on the server's data: exit success and what it printed.
fn verify(server: &Server) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .args(["recordings", "verify", "--config"])
        .arg(&server.config)
        .arg("--data")
        .arg(&server.data)
        .output()
        .expect("hotline recordings verify runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

/// The sealed file and manifest of a call's recording.
fn recording_files(server: &Server, call: &str) -> (PathBuf, PathBuf) {
    let path = server
        .calls()
        .into_iter()
        .find(|record| record["id"] == call)
        .and_then(|record| record["recording"].as_str().map(PathBuf::from))
        .unwrap_or_else(|| panic!("call {call} has no recording"));
    let manifest = path.with_extension("manifest.json");
    (path, manifest)
}

fn manifest(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("manifest")).expect("JSON")
}

/// Seconds of a WAV file and its two channels.
fn wav_channels(path: &Path) -> (f64, Vec<i16>, Vec<i16>) {
    let mut reader = hound::WavReader::open(path).expect("a WAV");
    let spec = reader.spec();
    assert_eq!((spec.channels, spec.sample_rate), (2, 8000), "{spec:?}");
    let samples: Vec<i16> = reader.samples::<i16>().map(|s| s.unwrap()).collect();
    let (left, right): (Vec<i16>, Vec<i16>) = samples.chunks_exact(2).map(|f| (f[0], f[1])).unzip();
    (left.len() as f64 / 8000.0, left, right)
}

fn loudest(samples: &[i16]) -> i16 {
    samples
        .iter()
        .map(|s| s.saturating_abs())
        .max()
        .unwrap_or(0)
}

#[test]
fn a_killed_call_keeps_its_recording_and_verify_finds_tampering() {
    let mut server = Server::start(ServerOptions::default());
    let (peer, sipp) = common::sipp::dial(&server, "1001", "caller", 30_000);
    let call = server.wait_call(10 * SECOND, |call| call["outcome"] == "in_progress");
    let id = call["id"].as_str().unwrap().to_string();
    let started: chrono::DateTime<chrono::Utc> =
        call["started_at"].as_str().unwrap().parse().unwrap();
    std::thread::sleep(Duration::from_millis(5500));
    let killed_at = chrono::Utc::now();
    server.kill_hard();
    drop(sipp);
    // The first caller's media stops with it: still sending, it could reach the restarted
    // server's first media port, where the second call would latch onto it.
    drop(peer);
    let lived = (killed_at - started).num_milliseconds() as f64 / 1000.0;

    server.restart();
    assert!(
        server
            .log_text()
            .contains("recovered a recording a crash left unsealed"),
        "{}",
        server.log_text()
    );
    let call = server.wait_call(5 * SECOND, |record| record["id"] == id.as_str());
    assert_eq!(call["outcome"], "failed", "{call}");
    let (sealed, manifest_path) = recording_files(&server, &id);
    let recovered = manifest(&manifest_path);
    assert_eq!(recovered["recovered"], true, "{recovered}");
    let seconds = recovered["duration_seconds"].as_f64().unwrap();
    assert!(
        seconds >= lived - 1.6 && seconds <= lived + 0.1,
        "the recording holds {seconds} s of a call that lived {lived} s"
    );
    let wav = server.recording_wav(&id);
    let (played, _, hotline) = wav_channels(&wav);
    assert!(
        (played - seconds).abs() < 0.01,
        "{played} s played, {seconds} s sealed"
    );
    assert!(
        loudest(&hotline) > 3000,
        "the recording notice is in the right channel"
    );
    let (ok, report) = verify(&server);
    assert!(
        ok && !report.contains("unsealed") && report.contains("1 recordings checked"),
        "{report}"
    );

    let (_peer, sipp) = common::sipp::dial(&server, "1001", "second-caller", 3_000);
    sipp.wait().assert_ok(&server.log_text());
    let second = server.wait_call(10 * SECOND, |record| {
        record["from"] == "second-caller" && record["outcome"] == "caller_hangup"
    });
    let second_id = second["id"].as_str().unwrap().to_string();
    let (second_file, _) = recording_files(&server, &second_id);
    let deadline = Instant::now() + 10 * SECOND;
    while !verify(&server).1.contains("2 recordings checked") {
        assert!(
            Instant::now() < deadline,
            "the second recording was never sealed"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let original = std::fs::read(&second_file).unwrap();
    let mut flipped = original.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x20;
    std::fs::write(&second_file, &flipped).unwrap();
    let (ok, report) = verify(&server);
    assert!(!ok, "{report}");
    assert!(
        report.contains(&format!("BROKEN {second_id}: ")) && report.contains("was altered"),
        "{report}"
    );
    assert!(!report.contains(&format!("BROKEN {id}")), "{report}");

    std::fs::write(&second_file, &original).unwrap();
    assert!(verify(&server).0);
    std::fs::remove_file(&sealed).unwrap();
    std::fs::remove_file(&manifest_path).unwrap();
    let (ok, report) = verify(&server);
    assert!(!ok, "{report}");
    assert!(
        report.contains(&format!("BROKEN {id}: manifest")),
        "{report}"
    );
}

#[test]
fn a_flow_step_pauses_the_recording_and_resumes_it() {
    let server = Server::start(ServerOptions {
        flows_dir: common::repo_dir().join("tests/flows"),
        routes: vec![Route {
            number: "1200".into(),
            flow: "paused".into(),
            mode: "dtmf".into(),
            ring_time: "0s".into(),
        }],
        orders_seed: None,
        ..ServerOptions::default()
    });
    let (_peer, sipp) = common::sipp::dial(&server, "1200", "caller", 40_000);
    let call = server.wait_ended("flow_hangup", 60 * SECOND);
    drop(sipp);
    let id = call["id"].as_str().unwrap();
    let deadline = Instant::now() + 10 * SECOND;
    let detail = loop {
        let (status, body) =
            server.get_as(&format!("/api/recordings/{id}"), &server.reviewer_token);
        assert_eq!(status, 200, "{body}");
        let detail: Value = serde_json::from_str(&body).unwrap();
        if detail["recording"]["sealed"] == true {
            break detail;
        }
        assert!(Instant::now() < deadline, "never sealed: {detail}");
        std::thread::sleep(Duration::from_millis(200));
    };
    let segments = detail["recording"]["segments"].as_array().unwrap();
    let paused = segments
        .iter()
        .find(|segment| segment["phase"] == "paused")
        .unwrap_or_else(|| panic!("no paused segment: {segments:?}"));
    let (start, end) = (
        paused["start_seconds"].as_f64().unwrap(),
        paused["end_seconds"].as_f64().unwrap(),
    );
    assert!(
        end - start > 2.0,
        "the paused stretch lasts the card prompt: {paused}"
    );
    let wav = server.recording_wav(id);
    let (seconds, left, right) = wav_channels(&wav);
    let at = |time: f64| (time * 8000.0) as usize;
    assert!(
        loudest(&right[at(start + 0.05)..at(end - 0.05)]) == 0,
        "silence while paused"
    );
    assert!(
        loudest(&left[at(start + 0.05)..at(end - 0.05)]) == 0,
        "silence while paused"
    );
    assert!(
        loudest(&right[..at(start)]) > 3000,
        "speech before the pause"
    );
    assert!(
        loudest(&right[at(end)..at(seconds)]) > 3000,
        "speech after the pause"
    );
}

/// A token for each role, and none.
struct Tokens {
    agent: String,
    supervisor: String,
    admin: String,
    compliance: String,
}

fn status(
    server: &Server,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> u16 {
    let bearer = token.map(|token| format!("Bearer {token}"));
    let headers: Vec<(&str, &str)> = bearer
        .iter()
        .map(|value| ("Authorization", value.as_str()))
        .collect();
    http_request_with(server.http, method, path, body, &headers)
        .unwrap_or_else(|error| panic!("{method} {path}: {error}"))
        .0
}

#[test]
fn every_role_meets_every_endpoint_and_transcripts_are_redacted() {
    let server = Server::start(ServerOptions::default());
    let tokens = Tokens {
        agent: add_user(&server.data, "agent9", "agent", None),
        supervisor: add_user(&server.data, "lead", "supervisor", None),
        admin: server.admin_token.clone(),
        compliance: server.reviewer_token.clone(),
    };
    let (_peer, sipp) = common::sipp::dial(&server, "1001", "caller", 2_000);
    sipp.wait().assert_ok(&server.log_text());
    let call = server.wait_ended("caller_hangup", 10 * SECOND);
    let id = call["id"].as_str().unwrap().to_string();

    let recording = format!("/api/recordings/{id}");
    let hold = format!("{recording}/legal_hold");
    let rows: Vec<(&str, String, Option<&str>, [u16; 5])> = vec![
        // method, path, body, [nobody, agent, supervisor, admin, compliance]
        ("GET", "/api/me".into(), None, [401, 200, 200, 200, 200]),
        ("GET", "/api/calls".into(), None, [401, 200, 200, 200, 200]),
        (
            "GET",
            format!("/api/calls/{id}"),
            None,
            [401, 403, 200, 200, 200],
        ),
        ("GET", "/metrics".into(), None, [401, 403, 200, 200, 403]),
        (
            "GET",
            "/api/recordings".into(),
            None,
            [401, 200, 200, 403, 200],
        ),
        ("GET", recording.clone(), None, [401, 403, 200, 403, 200]),
        (
            "GET",
            format!("{recording}/audio"),
            None,
            [401, 403, 200, 403, 200],
        ),
        (
            "GET",
            format!("{recording}/waveform"),
            None,
            [401, 403, 200, 403, 200],
        ),
        (
            "GET",
            format!("{recording}/export"),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            "POST",
            hold.clone(),
            Some("{\"hold\":true}"),
            [401, 403, 403, 403, 200],
        ),
        ("GET", "/api/audit".into(), None, [401, 403, 403, 403, 200]),
        ("GET", "/api/agents".into(), None, [401, 401, 401, 401, 401]),
        (
            "POST",
            "/api/agent/presence".into(),
            Some("{\"presence\":\"away\"}"),
            [401, 401, 401, 401, 401],
        ),
        (
            "GET",
            format!("/api/calls/{id}/recording"),
            None,
            [401, 401, 401, 401, 401],
        ),
        ("GET", "/healthz".into(), None, [200, 200, 200, 200, 200]),
        ("GET", "/review".into(), None, [200, 200, 200, 200, 200]),
        ("GET", "/chat".into(), None, [200, 200, 200, 200, 200]),
    ];
    let who: [Option<&str>; 5] = [
        None,
        Some(&tokens.agent),
        Some(&tokens.supervisor),
        Some(&tokens.admin),
        Some(&tokens.compliance),
    ];
    let names = ["nobody", "agent", "supervisor", "admin", "compliance"];
    let mut wrong = Vec::new();
    for (method, path, body, expected) in &rows {
        for ((token, name), expected) in who.iter().zip(names).zip(expected) {
            let got = status(&server, method, path, *token, *body);
            if got != *expected {
                wrong.push(format!(
                    "{name} {method} {path}: {got}, expected {expected}"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    let (_, own) = server.get_as("/api/calls", &tokens.agent);
    assert_eq!(own.trim(), "[]", "an agent sees only their own calls");
    assert_eq!(
        status(&server, "GET", "/api/calls", Some("not-a-token"), None),
        401
    );

    let turn = http_request_with(
        server.http,
        "POST",
        "/api/chat",
        Some(r#"{"text":"my card is 4111 1111 1111 1111, call me on 13812345678 or mail jane.doe@example.org"}"#),
        &[],
    )
    .unwrap();
    assert_eq!(turn.0, 200, "{}", turn.1);
    let chat = server.wait_call(10 * SECOND, |record| record["mode"] == "chat");
    let said = chat["transcript"]
        .as_array()
        .and_then(|lines| lines.iter().find(|line| line["speaker"] == "caller"))
        .and_then(|line| line["text"].as_str())
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        said, "my card is **** **** **** 1111, call me on 138****5678 or mail j*******@example.org",
        "{chat}"
    );
}

#[test]
fn sign_in_is_throttled_and_sessions_end_at_sign_out() {
    let server = Server::start(ServerOptions::default());
    let login = |password: &str| {
        let body = format!(r#"{{"name":"reviewer","password":"{password}"}}"#);
        http_request_with(server.http, "POST", "/api/login", Some(&body), &[]).unwrap()
    };
    let (status, body) = login(REVIEWER_PASSWORD);
    assert_eq!(status, 200, "{body}");
    let session: Value = serde_json::from_str(&body).unwrap();
    let token = session["token"].as_str().unwrap();
    assert_eq!(session["role"], "compliance");
    let (_, me) = server.get_as("/api/me", token);
    assert!(me.contains("\"reviewer\""), "{me}");
    let bearer = format!("Bearer {token}");
    let (status, _) = http_request_with(
        server.http,
        "POST",
        "/api/logout",
        None,
        &[("Authorization", &bearer)],
    )
    .unwrap();
    assert_eq!(status, 200);
    assert_eq!(server.get_as("/api/me", token).0, 401);
    assert_eq!(
        server.get_as("/api/me", &server.reviewer_token).0,
        200,
        "API tokens outlive sign-outs"
    );

    let statuses: Vec<u16> = (0..6).map(|_| login("wrong-password").0).collect();
    assert_eq!(statuses, [401, 401, 401, 401, 429, 429]);
    assert_eq!(
        login(REVIEWER_PASSWORD).0,
        429,
        "locked out, even with the right password"
    );
    assert!(server.log_text().contains("sign-in with a wrong password"));
}

#[test]
fn a_reviewer_finds_plays_seeks_and_exports_a_call_in_the_browser() {
    let server = Server::start(ServerOptions::default());
    let (peer, sipp) = common::sipp::dial(&server, "1001", "+15550100002", 32_000);
    common::sipp::press_after_prompt(&peer, "1");
    common::sipp::press_after_prompt(&peer, "12345#");
    let call = server.wait_call(30 * SECOND, |call| {
        call["variables"]["order_number"] == "12345"
            && call["transcript"].as_array().is_some_and(|lines| {
                lines
                    .iter()
                    .any(|line| line["text"].as_str().unwrap_or("").contains("has shipped"))
            })
    });
    sipp.wait().assert_ok(&server.log_text());
    let id = call["id"].as_str().unwrap().to_string();
    let deadline = Instant::now() + 30 * SECOND;
    while !server
        .get_as(&format!("/api/recordings/{id}"), &server.reviewer_token)
        .1
        .contains("\"sealed\":true")
    {
        assert!(Instant::now() < deadline, "never sealed");
        std::thread::sleep(Duration::from_millis(300));
    }

    let script = common::repo_dir().join("tests/desk/review.mjs");
    let mut browser = Command::new("node")
        .arg(&script)
        .env("REVIEW_URL", format!("http://{}/review", server.http))
        .env("NAME", "reviewer")
        .env("PASSWORD", REVIEWER_PASSWORD)
        .env("SEARCH_TEXT", "12345")
        .env("SCREENSHOT", server.dir.join("review.png"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs the Playwright script (make test installs it)");
    let stdout = browser.stdout.take().unwrap();
    let lines: Vec<String> = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .collect();
    let errors = std::io::read_to_string(browser.stderr.take().unwrap()).unwrap_or_default();
    let status = browser.wait().unwrap();
    assert!(
        status.success(),
        "the browser failed: {errors}\nit printed {lines:#?}\nlog:\n{}",
        server.log_text()
    );
    let step = |prefix: &str| {
        lines
            .iter()
            .find_map(|line| line.strip_prefix(prefix))
            .unwrap_or_else(|| panic!("no {prefix} in {lines:#?}"))
            .trim()
            .to_string()
    };
    assert_eq!(step("FOUND "), id);
    let duration: f64 = step("OPENED ").parse().unwrap();
    let seeked: f64 = step("SEEKED ").parse().unwrap();
    assert!(
        (seeked - duration / 2.0).abs() < duration * 0.15,
        "seeked to {seeked} of {duration}"
    );
    let exported: usize = step("EXPORTED ").parse().unwrap();
    assert!(
        exported as f64 > duration * 32_000.0,
        "the export holds the WAV: {exported} bytes"
    );
    assert!(lines.iter().any(|line| line == "DONE"), "{lines:#?}");

    let (_, audit) = server.get_as(&format!("/api/audit?target={id}"), &server.reviewer_token);
    let entries: Vec<Value> = serde_json::from_str(&audit).unwrap();
    for action in ["view", "play", "export"] {
        assert!(
            entries
                .iter()
                .any(|entry| entry["action"] == action && entry["actor"] == "reviewer"),
            "no {action} in the audit log: {entries:#?}"
        );
    }
    let bearer = format!("Bearer {}", server.reviewer_token);
    let (status, head, zip) = http_bytes(
        server.http,
        &format!("/api/recordings/{id}/export"),
        &[("Authorization", &bearer)],
    )
    .unwrap();
    assert_eq!(status, 200, "{head}");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a zip");
    let names: Vec<String> = archive
        .file_names()
        .map(|name| name.expect("a file name").to_string())
        .collect();
    for name in [
        format!("call-{id}.wav"),
        "transcript.json".into(),
        "manifest.json".into(),
        "call.json".into(),
    ] {
        assert!(names.contains(&name), "{names:?}");
    }
    let mut transcript = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("transcript.json").unwrap(),
        &mut transcript,
    )
    .unwrap();
    assert!(
        transcript.contains("order one two three four five"),
        "{transcript}"
    );
}

#[test]
fn http_is_served_over_tls_when_a_certificate_is_configured() {
    let dir = common::temp_dir("tls");
    let (certificate, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&certificate)
        .output()
        .expect("openssl makes a test certificate");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let (sip, http) = (common::free_port(), common::free_port());
    let (first, last) = common::rtp_range(4);
    let config = dir.join("hotline.toml");
    std::fs::write(
        &config,
        format!(
            "[sip]\nlisten = \"127.0.0.1:{sip}\"\n[media]\naddress = \"127.0.0.1\"\nrtp_port_first = {first}\n\
             rtp_port_last = {last}\n[http]\nlisten = \"127.0.0.1:{http}\"\ntls_certificate = \"cert.pem\"\n\
             tls_key = \"key.pem\"\n[flows]\ndirectory = \"{}\"\n[speech]\nmodels_directory = \"no-models\"\n",
            common::repo_dir().join("prompts").display()
        ),
    )
    .unwrap();
    let data = dir.join("data");
    add_user(&data, "reviewer", "compliance", Some(REVIEWER_PASSWORD));
    let log = std::fs::File::create(dir.join("hotline.log")).unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .args(["serve", "--config"])
        .arg(&config)
        .arg("--data")
        .arg(&data)
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap();
    let curl = |arguments: &[&str]| {
        let output = Command::new("curl")
            .args(["-sk", "--max-time", "3", "-D", "-"])
            .args(arguments)
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let base = format!("https://127.0.0.1:{http}");
    let deadline = Instant::now() + 60 * SECOND;
    while !curl(&[&format!("{base}/healthz")]).ends_with("ok") {
        assert!(
            Instant::now() < deadline,
            "no HTTPS answer; log:\n{}",
            std::fs::read_to_string(dir.join("hotline.log")).unwrap()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let login = curl(&[
        "-H",
        "content-type: application/json",
        "-d",
        &format!(r#"{{"name":"reviewer","password":"{REVIEWER_PASSWORD}"}}"#),
        &format!("{base}/api/login"),
    ]);
    let cookie = login
        .lines()
        .find(|line| line.to_ascii_lowercase().starts_with("set-cookie:"))
        .unwrap_or_else(|| panic!("no cookie: {login}"));
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("Secure"),
        "{cookie}"
    );
    let plain = curl(&[&format!("http://127.0.0.1:{http}/healthz")]);
    assert!(
        !plain.ends_with("ok"),
        "plain HTTP must not be served: {plain}"
    );
    let _ = server.kill();
    let _ = server.wait();
}
