//! baresip 1.0 as a real softphone caller. It is driven through its ctrl_tcp module (netstring
//! framed JSON: `{"command":"dial"|"sndcode"|"hangup"|"quit","params":..}`), plays a silence WAV as
//! its microphone (aufile), plays to ALSA's null device, and the sndfile module dumps what it
//! heard to `dump-<time>-dec.wav`, which is compared with the greeting prompt.

mod common;

use common::audio::{self, match_prompt};
use common::{Server, ServerOptions, free_port, free_udp_port, temp_dir};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Baresip {
    child: Child,
    dir: PathBuf,
    ctrl: TcpStream,
    events: String,
}

impl Baresip {
    fn start() -> Baresip {
        let dir = temp_dir("baresip");
        let silence = dir.join("silence.wav");
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 8000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(&silence, spec).unwrap();
        for _ in 0..8000 * 120 {
            w.write_sample(0i16).unwrap();
        }
        w.finalize().unwrap();
        let ctrl_port = free_port();
        let rtp_first = common::rtp_range(4).0;
        let config = format!(
            "poll_method epoll\nsip_listen 127.0.0.1:{sip}\naudio_player alsa,null\naudio_alert alsa,null\n\
             audio_source aufile,{src}\nmodule_path /usr/lib/baresip/modules\nmodule g711.so\nmodule aufile.so\n\
             module alsa.so\nmodule sndfile.so\nmodule_app account.so\nmodule_app menu.so\nmodule ctrl_tcp.so\n\
             ctrl_tcp_listen 127.0.0.1:{ctrl_port}\nsnd_path {dir}\nrtp_ports {rtp}-{rtp_end}\n",
            sip = free_port(),
            src = silence.display(),
            dir = dir.display(),
            rtp = rtp_first,
            rtp_end = rtp_first + 3,
        );
        std::fs::write(dir.join("config"), config).unwrap();
        std::fs::write(dir.join("accounts"), "<sip:harness@127.0.0.1>;regint=0\n").unwrap();
        let log = std::fs::File::create(dir.join("baresip.log")).unwrap();
        let child = Command::new("baresip")
            .arg("-f")
            .arg(&dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("spawn baresip");
        let addr: SocketAddr = format!("127.0.0.1:{ctrl_port}").parse().unwrap();
        let ctrl = common::wait_for(Duration::from_secs(10), || TcpStream::connect(addr).ok())
            .unwrap_or_else(|| {
                panic!(
                    "baresip ctrl_tcp not up; log:\n{}",
                    std::fs::read_to_string(dir.join("baresip.log")).unwrap_or_default()
                )
            });
        ctrl.set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        Baresip {
            child,
            dir,
            ctrl,
            events: String::new(),
        }
    }

    fn command(&mut self, command: &str, params: &str) {
        let json =
            serde_json::json!({"command": command, "params": params, "token": command}).to_string();
        write!(self.ctrl, "{}:{},", json.len(), json).unwrap();
    }

    /// Reads ctrl_tcp output until it contains `needle` (bounded).
    fn wait_event(&mut self, needle: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let mut buf = [0u8; 8192];
        while !self.events.contains(needle) {
            assert!(
                Instant::now() < deadline,
                "baresip: no {needle} within {timeout:?}; events: {}\nlog:\n{}",
                self.events,
                self.log()
            );
            if let Ok(n) = self.ctrl.read(&mut buf) {
                self.events.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("baresip.log")).unwrap_or_default()
    }

    /// The WAV sndfile wrote with the decoded (heard) audio.
    fn heard_wav(&self) -> PathBuf {
        std::fs::read_dir(&self.dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .ends_with("-dec.wav")
            })
            .unwrap_or_else(|| panic!("sndfile wrote no -dec.wav; log:\n{}", self.log()))
    }

    fn quit(&mut self) {
        self.command("quit", "");
        let ok = common::wait_for(Duration::from_secs(5), || {
            self.child.try_wait().ok().flatten()
        });
        if ok.is_none() {
            let _ = self.child.kill();
        }
    }
}

impl Drop for Baresip {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        } else {
            eprintln!("baresip dir kept: {}", self.dir.display());
        }
    }
}

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
            &free_udp_port().to_string(),
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
    let mut b = Baresip::start();
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
    let mut b = Baresip::start();
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
