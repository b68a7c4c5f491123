//! Runs sipp scenarios from tests/sipp/ against the server, each in its own directory with
//! `-m 1 -trace_err -trace_msg`, a bounded global timeout, and kill-on-drop.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

pub struct Sipp {
    scenario: String,
    target: SocketAddr,
    service: String,
    tcp: bool,
    duration_ms: u64,
    rtp_port: u16,
    caller: String,
    extra: Vec<String>,
}

pub struct SippHandle {
    child: Option<Child>,
    dir: PathBuf,
    name: String,
    timeout: Duration,
    started: Instant,
}

#[derive(Debug)]
pub struct SippRun {
    pub status: Option<ExitStatus>,
    pub dir: PathBuf,
    pub output: String,
    pub messages: String,
    pub errors: String,
}

impl Sipp {
    /// `scenario` is a file name in tests/sipp/.
    pub fn new(scenario: &str, target: SocketAddr) -> Sipp {
        Sipp {
            scenario: scenario.into(),
            target,
            service: "1001".into(),
            tcp: false,
            duration_ms: 2000,
            rtp_port: 9,
            caller: "caller".into(),
            extra: vec![],
        }
    }
    pub fn service(mut self, s: &str) -> Self {
        self.service = s.into();
        self
    }
    pub fn tcp(mut self) -> Self {
        self.tcp = true;
        self
    }
    /// Length of each `<pause/>` (sipp `-d`).
    pub fn pause_ms(mut self, ms: u64) -> Self {
        self.duration_ms = ms;
        self
    }
    /// The port put in the SDP `m=audio` line (the test's RtpPeer).
    pub fn rtp_port(mut self, port: u16) -> Self {
        self.rtp_port = port;
        self
    }
    /// The user part of the From URI (the caller's number), in scenarios that use `[caller]`.
    pub fn caller(mut self, number: &str) -> Self {
        self.caller = number.into();
        self
    }
    pub fn arg(mut self, a: &str) -> Self {
        self.extra.push(a.into());
        self
    }

    pub fn spawn(self) -> SippHandle {
        let dir = super::temp_dir("sipp");
        let name = self.scenario.trim_end_matches(".xml").to_string();
        // Every <pause/> is -d ms; scenarios have at most 3 pauses plus fixed waits of ~12 s.
        let timeout = Duration::from_millis(self.duration_ms * 4 + 40_000);
        let mut cmd = Command::new("sipp");
        cmd.arg(self.target.to_string())
            .arg("-sf")
            .arg(super::sipp_scenario(&self.scenario))
            .arg("-s")
            .arg(&self.service)
            .args(["-i", "127.0.0.1", "-p"])
            .arg(super::free_port().to_string())
            .arg("-mp")
            .arg(super::sipp_media_port().to_string())
            .arg("-key")
            .arg("rtp_port")
            .arg(self.rtp_port.to_string())
            .arg("-key")
            .arg("caller")
            .arg(&self.caller)
            .args([
                "-m",
                "1",
                "-l",
                "1",
                "-nostdin",
                "-trace_err",
                "-trace_msg",
                "-timeout_error",
            ])
            .arg("-d")
            .arg(self.duration_ms.to_string())
            .arg("-timeout")
            .arg(format!("{}s", timeout.as_secs().saturating_sub(5)))
            .arg("-message_file")
            .arg(dir.join("messages.log"))
            .arg("-error_file")
            .arg(dir.join("errors.log"))
            .args(&self.extra)
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(dir.join("output.log")).unwrap())
            .stderr(std::fs::File::create(dir.join("stderr.log")).unwrap());
        if self.tcp {
            cmd.args(["-t", "t1"]);
        }
        let child = cmd.spawn().expect("spawn sipp (is sip-tester installed?)");
        SippHandle {
            child: Some(child),
            dir,
            name,
            timeout,
            started: Instant::now(),
        }
    }

    pub fn run(self) -> SippRun {
        self.spawn().wait()
    }
}

impl SippHandle {
    /// Waits for sipp to finish (bounded by the run's own timeout plus slack, then killed).
    pub fn wait(mut self) -> SippRun {
        let mut child = self.child.take().unwrap();
        let deadline = self.started + self.timeout + Duration::from_secs(10);
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break Some(s);
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let read = |f: &str| std::fs::read_to_string(self.dir.join(f)).unwrap_or_default();
        let output = read("output.log") + &read("stderr.log");
        SippRun {
            status,
            dir: self.dir.clone(),
            output,
            messages: read("messages.log"),
            errors: read("errors.log"),
        }
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.as_mut().map(|c| c.try_wait()), Some(Ok(None)))
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for SippHandle {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl SippRun {
    pub fn ok(&self) -> bool {
        self.status.is_some_and(|s| s.success())
    }

    /// Everything needed to understand a failure.
    pub fn report(&self) -> String {
        let tail = |s: &str, n: usize| {
            s.lines()
                .rev()
                .take(n)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<Vec<_>>()
                .join("\n")
        };
        format!(
            "sipp status {:?} (dir {})\n--- errors ---\n{}\n--- messages ---\n{}\n--- output (tail) ---\n{}",
            self.status,
            self.dir.display(),
            self.errors,
            tail(&self.messages, 200),
            tail(&self.output, 30)
        )
    }

    /// Asserts success, with the logs (and the server log, if given) in the panic message.
    pub fn assert_ok(&self, server_log: &str) {
        assert!(
            self.ok(),
            "{}\n--- hotline log (tail) ---\n{}",
            self.report(),
            server_log
                .lines()
                .rev()
                .take(80)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<Vec<_>>()
                .join("\n")
        );
    }

    /// Received SIP messages (responses and requests) whose first line contains `needle`.
    pub fn received_lines(&self, needle: &str) -> Vec<String> {
        self.messages
            .lines()
            .filter(|l| (l.starts_with("SIP/2.0") || l.contains(" SIP/2.0")) && l.contains(needle))
            .map(String::from)
            .collect()
    }
}

/// Calls `number` from `caller` with sipp (`call.xml`, which hangs up after `pause_ms`) and a
/// fresh RTP peer for its media; returns once Hotline's first audio packet arrived.
pub fn dial(
    server: &super::Server,
    number: &str,
    caller: &str,
    pause_ms: u64,
) -> (super::rtp::RtpPeer, SippHandle) {
    let peer = super::rtp::RtpPeer::start();
    let sipp = Sipp::new("call.xml", server.sip)
        .service(number)
        .caller(caller)
        .rtp_port(peer.port)
        .pause_ms(pause_ms)
        .spawn();
    assert!(
        peer.wait_packets(1, Duration::from_secs(10)),
        "no RTP:\n{}",
        server.log_text()
    );
    (peer, sipp)
}

/// Waits for the prompt playing to the caller to end (half a second of silence), then presses
/// `keys` (RFC 4733).
pub fn press_after_prompt(peer: &super::rtp::RtpPeer, keys: &str) {
    peer.wait_prompt_end(
        Instant::now(),
        Duration::from_millis(500),
        Duration::from_secs(30),
    )
    .expect("the prompt never ended");
    peer.send_dtmf(keys);
    peer.wait_dtmf_sent(Duration::from_secs(5));
}
