//! baresip 1.0 as a real softphone caller. It is driven through its ctrl_tcp module (netstring
//! framed JSON: `{"command":"dial"|"sndcode"|"hangup"|"quit","params":..}`), plays a silence WAV as
//! its microphone (aufile), plays to ALSA's null device, and the sndfile module dumps what it
//! heard to `dump-<time>-dec.wav`, which is compared with the greeting prompt.

mod common;

use common::audio::{self, match_prompt};
use common::softphone::Softphone;
use common::{Server, ServerOptions, free_port, sipp_media_port, temp_dir};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

fn heard_seconds(path: &Path) -> f32 {
    audio::wav_seconds(path)
}

/// Proves the baresip setup (ctrl_tcp dial/sndcode/hangup, aufile, sndfile) against a sipp UAS
/// that echoes RTP; runs without Hotline.
#[test]
fn baresip_calls_a_sipp_uas() {
    let uas_port = free_port();
    let dir = temp_dir("sipp-uas");
    let mut uas = Command::new("sipp")
        .args([
            "-sn",
            "uas",
            "-i",
            "127.0.0.1",
            "-p",
            &uas_port.to_string(),
            "-mp",
            &sipp_media_port().to_string(),
        ])
        .args([
            "-rtp_echo",
            "-m",
            "1",
            "-nostdin",
            "-timeout",
            "30s",
            "-trace_err",
        ])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn sipp");
    std::thread::sleep(Duration::from_millis(500));
    let mut b = Softphone::start("<sip:harness@127.0.0.1>;regint=0", None);
    b.command("dial", &format!("sip:1001@127.0.0.1:{uas_port}"));
    b.wait_event("CALL_ESTABLISHED", Duration::from_secs(10));
    b.command("sndcode", "1");
    std::thread::sleep(Duration::from_secs(2));
    b.command("hangup", "");
    b.wait_event("CALL_CLOSED", Duration::from_secs(10));
    let uas_done = common::wait_for(Duration::from_secs(10), || uas.try_wait().ok().flatten());
    let _ = uas.kill();
    let _ = uas.wait();
    assert!(
        uas_done.is_some_and(|s| s.success()),
        "sipp uas did not complete the call"
    );
    assert!(b.log().contains("send DTMF digit: '1'"), "{}", b.log());
    let secs = heard_seconds(&b.heard_wav());
    assert!((1.0..5.0).contains(&secs), "dump lasts {secs} s");
    b.quit();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn baresip_hears_the_greeting_and_presses_keys() {
    let server = Server::start(ServerOptions::default());
    let prompt = audio::prompt_wav("greeting");
    let (g, rate) = audio::load_wav_mono(&prompt);
    let greeting_secs = g.len() as f32 / rate as f32;
    let notice_secs = audio::notice_seconds();
    let mut b = Softphone::start("<sip:harness@127.0.0.1>;regint=0", None);
    b.command("dial", &format!("sip:1001@{}", server.sip));
    b.wait_event("CALL_ESTABLISHED", Duration::from_secs(10));
    std::thread::sleep(Duration::from_secs_f32(notice_secs + greeting_secs + 1.5));
    b.command("sndcode", "3");
    std::thread::sleep(Duration::from_secs(1));
    b.command("hangup", "");
    b.wait_event("CALL_CLOSED", Duration::from_secs(10));
    let call = server.wait_ended("caller_hangup", Duration::from_secs(10));
    assert!(
        call["digits"].as_str().unwrap_or("").contains('3'),
        "{call}"
    );
    let heard_path = b.heard_wav();
    let (heard, heard_rate) = audio::load_wav_mono(&heard_path);
    let after_notice = (notice_secs * heard_rate as f32) as usize;
    let m = match_prompt(
        &g,
        rate,
        &heard[after_notice.min(heard.len())..],
        heard_rate,
    );
    assert!(
        m.correlation >= 0.7,
        "baresip did not hear the greeting: {m:?}"
    );
    assert!(
        (m.heard_seconds - m.prompt_seconds).abs() <= m.prompt_seconds * 0.1,
        "greeting duration differs: {m:?}"
    );
    b.quit();
}
