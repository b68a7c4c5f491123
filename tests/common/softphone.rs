//! baresip 1.0 as a real softphone, for callers and agents. It is driven through its ctrl_tcp
//! module (netstring-framed JSON: `{"command":"dial"|"sndcode"|"hangup"|"transfer"|"quit",..}`),
//! plays a WAV as its microphone (aufile), plays to ALSA's null device, and its sndfile module
//! dumps what it heard to `dump-<time>-dec.wav`. Agents register with digest auth and, with
//! `answermode=auto`, answer the calls Hotline places to them.

use super::{free_port, rtp_range, temp_dir, wait_for};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How an agent's phone takes calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Answers every call at once.
    Automatically,
    /// Rings until the caller gives up.
    Never,
}

pub struct Softphone {
    child: Child,
    pub dir: PathBuf,
    ctrl: TcpStream,
    events: String,
    /// The port baresip's SIP listens on.
    pub sip_port: u16,
}

impl Softphone {
    /// Starts baresip with one account line; `microphone` is a WAV it sends as its voice (two
    /// minutes of silence without one).
    pub fn start(account: &str, microphone: Option<&Path>) -> Softphone {
        let dir = temp_dir("baresip");
        let source = match microphone {
            Some(path) => path.to_path_buf(),
            None => {
                let path = dir.join("silence.wav");
                super::audio::write_wav(&path, &vec![0; 8000 * 120]);
                path
            }
        };
        let sip_port = free_port();
        // baresip also listens for TLS on the SIP port + 1: keep ctrl_tcp off it.
        let ctrl_port = loop {
            let port = free_port();
            if port != sip_port + 1 {
                break port;
            }
        };
        let rtp_first = rtp_range(4).0;
        let config = format!(
            "poll_method epoll\nsip_listen 127.0.0.1:{sip_port}\naudio_player alsa,null\naudio_alert alsa,null\n\
             audio_source aufile,{source}\nmodule_path /usr/lib/baresip/modules\nmodule g711.so\nmodule aufile.so\n\
             module alsa.so\nmodule sndfile.so\nmodule_app account.so\nmodule_app menu.so\nmodule ctrl_tcp.so\n\
             ctrl_tcp_listen 127.0.0.1:{ctrl_port}\nsnd_path {dir}\nrtp_ports {rtp_first}-{rtp_end}\n",
            source = source.display(),
            dir = dir.display(),
            rtp_end = rtp_first + 3,
        );
        std::fs::write(dir.join("config"), config).unwrap();
        std::fs::write(dir.join("accounts"), format!("{account}\n")).unwrap();
        let log = std::fs::File::create(dir.join("baresip.log")).unwrap();
        let child = Command::new("baresip")
            .arg("-f")
            .arg(&dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("spawn baresip");
        let address: SocketAddr = format!("127.0.0.1:{ctrl_port}").parse().unwrap();
        let ctrl = wait_for(Duration::from_secs(10), || TcpStream::connect(address).ok())
            .unwrap_or_else(|| {
                panic!(
                    "baresip ctrl_tcp not up; log:\n{}",
                    std::fs::read_to_string(dir.join("baresip.log")).unwrap_or_default()
                )
            });
        ctrl.set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        Softphone {
            child,
            dir,
            ctrl,
            events: String::new(),
            sip_port,
        }
    }

    /// An agent's phone registering at `registrar` (Hotline's SIP address) with digest auth.
    pub fn agent(
        registrar: SocketAddr,
        name: &str,
        password: &str,
        answer: Answer,
        microphone: Option<&Path>,
    ) -> Softphone {
        Softphone::agent_with(registrar, name, password, answer, microphone, "")
    }

    /// Like [`Softphone::agent`], with more account parameters (`;audio_codecs=PCMA`).
    pub fn agent_with(
        registrar: SocketAddr,
        name: &str,
        password: &str,
        answer: Answer,
        microphone: Option<&Path>,
        parameters: &str,
    ) -> Softphone {
        let mode = match answer {
            Answer::Automatically => "auto",
            Answer::Never => "manual",
        };
        let account = format!(
            "<sip:{name}@{registrar}>;auth_pass={password};answermode={mode};regint=60{parameters}"
        );
        Softphone::start(&account, microphone)
    }

    pub fn command(&mut self, command: &str, params: &str) {
        let json =
            serde_json::json!({"command": command, "params": params, "token": command}).to_string();
        write!(self.ctrl, "{}:{},", json.len(), json).unwrap();
    }

    /// Reads ctrl_tcp output until it contains `needle` (bounded).
    pub fn wait_event(&mut self, needle: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let mut buffer = [0u8; 8192];
        while !self.events.contains(needle) {
            assert!(
                Instant::now() < deadline,
                "baresip: no {needle} within {timeout:?}; events: {}\nlog:\n{}",
                self.events,
                self.log()
            );
            if let Ok(length) = self.ctrl.read(&mut buffer) {
                self.events
                    .push_str(&String::from_utf8_lossy(&buffer[..length]));
            }
        }
    }

    /// Whether ctrl_tcp reported `needle` so far (reads what is waiting first).
    pub fn saw_event(&mut self, needle: &str) -> bool {
        let mut buffer = [0u8; 8192];
        while let Ok(length) = self.ctrl.read(&mut buffer) {
            if length == 0 {
                break;
            }
            self.events
                .push_str(&String::from_utf8_lossy(&buffer[..length]));
        }
        self.events.contains(needle)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("baresip.log")).unwrap_or_default()
    }

    /// The WAV sndfile wrote with the decoded (heard) audio of the first call.
    pub fn heard_wav(&self) -> PathBuf {
        let mut dumps: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .unwrap()
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| {
                path.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .ends_with("-dec.wav")
            })
            .collect();
        dumps.sort();
        dumps
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("sndfile wrote no -dec.wav; log:\n{}", self.log()))
    }

    pub fn quit(&mut self) {
        self.command("quit", "");
        let done = wait_for(Duration::from_secs(5), || {
            self.child.try_wait().ok().flatten()
        });
        if done.is_none() {
            let _ = self.child.kill();
        }
    }
}

impl Drop for Softphone {
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
