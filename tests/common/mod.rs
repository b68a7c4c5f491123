//! Shared end-to-end harness: free ports, a `hotline serve` child process with its own config and
//! data dir, a tiny HTTP client, and re-exports of the RTP peer, audio, sipp and raw-SIP helpers.
//! Every spawned process is killed on Drop and every wait is bounded.
#![allow(dead_code)]

pub mod audio;
pub mod browser_client;
pub mod desk;
pub mod network;
pub mod playwright;
pub mod rtp;
pub mod sip;
pub mod sipp;
pub mod softphone;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// One second: tests wait in whole seconds (`10 * SECOND`).
pub const SECOND: Duration = Duration::from_secs(1);

/// A port free for both UDP and TCP on 127.0.0.1 (SIP listens on both).
pub fn free_port() -> u16 {
    for _ in 0..200 {
        let udp = UdpSocket::bind("127.0.0.1:0").expect("bind udp");
        let port = udp.local_addr().unwrap().port();
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free UDP+TCP port");
}

/// Where a sipp instance's media ports start: sipp binds four from there (audio and video,
/// RTP and RTCP), so a whole block probed free, below the ephemeral range that other tests'
/// sockets take ports from.
pub fn sipp_media_port() -> u16 {
    rtp_range(4).0
}

/// An even-aligned block of `len` UDP ports below the ephemeral range (20000..32000), distinct per
/// test in this process (counter) and likely distinct across test binaries (pid), probed free.
pub fn rtp_range(len: u16) -> (u16, u16) {
    let len = (len + 1) & !1;
    let slots = (12000 / len) as u32;
    let start = (std::process::id() * 7 + COUNTER.fetch_add(1, Ordering::SeqCst) * 13) % slots;
    for i in 0..slots {
        let first = 20000 + ((start + i) % slots) as u16 * len;
        let free = (first..first + len).all(|p| UdpSocket::bind(("127.0.0.1", p)).is_ok());
        if free {
            return (first, first + len - 1);
        }
    }
    panic!("no free RTP port block of {len}");
}

/// A fresh directory under the system temp dir.
pub fn temp_dir(tag: &str) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let dir =
        std::env::temp_dir().join(format!("hotline-{tag}-{}-{n}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn repo_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The repository's voice models (`make models`).
pub fn models_dir() -> PathBuf {
    repo_dir().join("voice-models")
}

/// A finished command's standard output and error, as text.
pub fn output_text(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A copy of the repository's flows (`prompts/`) in a fresh directory, for tests that publish
/// or edit them.
pub fn copied_prompts() -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("directory");
        for entry in std::fs::read_dir(from).expect("readable").flatten() {
            let target = to.join(entry.file_name());
            if entry.path().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).expect("copied");
            }
        }
    }
    let directory = temp_dir("prompts");
    copy(&repo_dir().join("prompts"), &directory);
    directory
}

pub fn sipp_scenario(name: &str) -> PathBuf {
    repo_dir().join("tests/sipp").join(name)
}

pub struct Route {
    pub number: String,
    pub flow: String,
    pub mode: String,
    /// How long Hotline rings before answering, e.g. "5s".
    pub ring_time: String,
}

/// The number the default options route with a long ring time, for CANCEL tests.
pub const RINGING_NUMBER: &str = "1009";

pub struct ServerOptions {
    pub routes: Vec<Route>,
    /// `[flows] directory`; defaults to the repo's prompts/.
    pub flows_dir: PathBuf,
    pub media_timeout: String,
    pub drain_timeout: String,
    pub rtp_ports: u16,
    /// `[orders] seed`, the demo order system's seed directory; defaults to the repo's
    /// prompts/demo/data. `None` leaves the section out.
    pub orders_seed: Option<PathBuf>,
    /// TOML appended to the config as it is (`[acd]`, `[[agents]]`...).
    pub extra_config: String,
    /// Settings put inside the config's `[speech]` table (`recognition_model = "..."`).
    pub speech_config: String,
    /// `[sip] websocket`: the port SIP over WebSocket listens on, if any.
    pub sip_websocket: Option<u16>,
}

impl Default for ServerOptions {
    fn default() -> Self {
        let route = |n: &str, m: &str, ring: &str| Route {
            number: n.into(),
            flow: "main".into(),
            mode: m.into(),
            ring_time: ring.into(),
        };
        ServerOptions {
            routes: vec![
                route("1000", "speech", "0s"),
                route("1001", "dtmf", "0s"),
                route(RINGING_NUMBER, "dtmf", "10s"),
            ],
            flows_dir: repo_dir().join("prompts"),
            media_timeout: "30s".into(),
            drain_timeout: "5s".into(),
            rtp_ports: 40,
            orders_seed: Some(repo_dir().join("prompts/demo/data")),
            extra_config: String::new(),
            speech_config: String::new(),
            sip_websocket: None,
        }
    }
}

/// The product's Mandarin voice (also the only Mandarin voice the registries offer, so tests
/// and benchmarks speak the callers' Mandarin with it).
pub const MANDARIN_VOICE: &str = "zh_CN-baker-fastspeech2";

impl ServerOptions {
    /// Adds the demo's Mandarin line 1002 and the bilingual 1003, with the shipped config's
    /// models for Mandarin flows.
    pub fn with_mandarin_lines(mut self) -> Self {
        self.routes.push(Route {
            number: "1002".into(),
            flow: "main-zh".into(),
            mode: "speech".into(),
            ring_time: "0s".into(),
        });
        self.extra_config += &format!(
            "\n[[routes]]\nnumber = \"1003\"\nflow = \"main\"\nmode = \"speech\"\n\
             translations = [\"main-zh\"]\n\n[speech.languages.zh]\n\
             recognition_model = \"whisper-base-q8_0\"\nembedding_model = \"multilingual-e5-small\"\n\
             voice = {{ name = \"{MANDARIN_VOICE}\" }}\n"
        );
        self
    }
}

pub struct Server {
    child: Option<Child>,
    pub sip: SocketAddr,
    pub http: SocketAddr,
    pub rtp: (u16, u16),
    pub dir: PathBuf,
    pub data: PathBuf,
    pub log: PathBuf,
    pub config: PathBuf,
    /// An admin's API token (`hotline users add admin --role admin`): what `get` sends.
    pub admin_token: String,
    /// A compliance reviewer's API token, `reviewer` (password [`REVIEWER_PASSWORD`]).
    pub reviewer_token: String,
}

/// Spawns `hotline serve`, its output appended to `log`.
fn spawn_server(
    config: &Path,
    sip: SocketAddr,
    http: SocketAddr,
    data: &Path,
    log: &Path,
) -> Child {
    let err = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    let out = err.try_clone().unwrap();
    Command::new(env!("CARGO_BIN_EXE_hotline"))
        .arg("serve")
        .arg("--config")
        .arg(config)
        .arg("--sip")
        .arg(sip.to_string())
        .arg("--http")
        .arg(http.to_string())
        .arg("--data")
        .arg(data)
        .env(
            "RUST_LOG",
            std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into()),
        )
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .expect("spawn hotline")
}

/// The password of the `reviewer` user every test server has.
pub const REVIEWER_PASSWORD: &str = "reviewer-secret";

/// Runs `hotline users add NAME --role ROLE --data DATA` (with a password when given) and
/// returns the token it prints.
pub fn add_user(data: &Path, name: &str, role: &str, password: Option<&str>) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hotline"));
    command
        .args(["users", "add", name, "--role", role, "--data"])
        .arg(data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if password.is_some() {
        command.arg("--password-stdin");
    }
    let mut child = command.spawn().expect("hotline users add");
    {
        let mut stdin = child.stdin.take().unwrap();
        if let Some(password) = password {
            writeln!(stdin, "{password}").unwrap();
        }
    }
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "users add {name}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

impl Server {
    /// Starts a server on free ports. Ports are probed before the server binds them, so another
    /// process can take one in between; the server then exits at once, and it is started again
    /// on new ports.
    pub fn start(opts: ServerOptions) -> Server {
        const ATTEMPTS: usize = 5;
        for attempt in 1..=ATTEMPTS {
            match Server::launch(&opts) {
                Ok(server) => return server,
                Err(log) if log.contains("Address already in use") && attempt < ATTEMPTS => {}
                Err(log) => panic!("hotline exited early; log:\n{log}"),
            }
        }
        unreachable!("the last attempt either returns or panics")
    }

    /// One start attempt; an early exit (a port taken, a bad config) returns the server's log.
    pub fn launch(opts: &ServerOptions) -> Result<Server, String> {
        let dir = temp_dir("server");
        let data = dir.join("data");
        std::fs::create_dir_all(&data).unwrap();
        let sip: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
        let http: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
        let rtp = rtp_range(opts.rtp_ports);
        let websocket = opts
            .sip_websocket
            .map(|port| format!("websocket = \"127.0.0.1:{port}\"\n"))
            .unwrap_or_default();
        let mut cfg = format!(
            "[sip]\nlisten = \"{sip}\"\n{websocket}\n[media]\naddress = \"127.0.0.1\"\nrtp_port_first = {}\nrtp_port_last = {}\n\
             media_timeout = \"{}\"\n\n[http]\nlisten = \"{http}\"\n\n[flows]\ndirectory = \"{}\"\n\n\
             [recording]\ndirectory = \"recordings\"\n\n[shutdown]\ndrain_timeout = \"{}\"\n\n\
             [speech]\nmodels_directory = \"{}\"\n{}\n",
            rtp.0,
            rtp.1,
            opts.media_timeout,
            opts.flows_dir.display(),
            opts.drain_timeout,
            repo_dir().join("voice-models").display(),
            opts.speech_config
        );
        if let Some(seed) = &opts.orders_seed {
            cfg += &format!("\n[orders]\nseed = \"{}\"\n", seed.display());
        }
        for r in &opts.routes {
            cfg += &format!(
                "\n[[routes]]\nnumber = \"{}\"\nflow = \"{}\"\nmode = \"{}\"\nring_time = \"{}\"\n",
                r.number, r.flow, r.mode, r.ring_time
            );
        }
        cfg += &opts.extra_config;
        let config = dir.join("hotline.toml");
        std::fs::write(&config, cfg).unwrap();
        let admin_token = add_user(&data, "admin", "admin", None);
        let reviewer_token = add_user(&data, "reviewer", "compliance", Some(REVIEWER_PASSWORD));
        let log = dir.join("hotline.log");
        let child = spawn_server(&config, sip, http, &data, &log);
        let mut server = Server {
            child: Some(child),
            sip,
            http,
            rtp,
            dir,
            data,
            log,
            config,
            admin_token,
            reviewer_token,
        };
        // Generous: a cold start embeds every intent example and article once (then cached).
        server.wait_ready(Duration::from_secs(90))?;
        Ok(server)
    }

    /// Waits for `/healthz`; an early exit returns the server's log.
    fn wait_ready(&mut self, timeout: Duration) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                return Err(format!("({status})\n{}", self.log_text()));
            }
            if let Ok((200, body)) = http_get(self.http, "/healthz")
                && body.trim() == "ok"
            {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!(
            "hotline not healthy within {timeout:?}; log:\n{}",
            self.log_text()
        );
    }

    /// `kill -9`: no shutdown, nothing flushed or closed.
    pub fn kill_hard(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again with the same config, ports and data directory.
    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "stop or kill the server first");
        self.child = Some(spawn_server(
            &self.config,
            self.sip,
            self.http,
            &self.data,
            &self.log,
        ));
        self.wait_ready(Duration::from_secs(90))
            .unwrap_or_else(|log| panic!("hotline did not restart; log:\n{log}"));
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `GET path` as the admin.
    pub fn get(&self, path: &str) -> (u16, String) {
        self.get_as(path, &self.admin_token)
    }

    /// `GET path` with a bearer token.
    pub fn get_as(&self, path: &str, token: &str) -> (u16, String) {
        let bearer = format!("Bearer {token}");
        http_request_with(self.http, "GET", path, None, &[("Authorization", &bearer)])
            .unwrap_or_else(|e| panic!("GET {path}: {e}; log:\n{}", self.log_text()))
    }

    /// The decrypted recording of a call, as the reviewer plays it (`/api/recordings/ID/audio`),
    /// written to a WAV file in the server's directory.
    pub fn recording_wav(&self, call: &str) -> PathBuf {
        let bearer = format!("Bearer {}", self.reviewer_token);
        let (status, _, body) = http_bytes(
            self.http,
            &format!("/api/recordings/{call}/audio"),
            &[("Authorization", &bearer)],
        )
        .unwrap_or_else(|e| panic!("recording of {call}: {e}"));
        assert_eq!(
            status,
            200,
            "recording of {call}: {}",
            String::from_utf8_lossy(&body)
        );
        let path = self.dir.join(format!("{call}.wav"));
        std::fs::write(&path, body).unwrap();
        path
    }

    /// `GET /api/calls` parsed.
    pub fn calls(&self) -> Vec<serde_json::Value> {
        let (status, body) = self.get("/api/calls");
        assert_eq!(status, 200, "/api/calls: {body}");
        serde_json::from_str::<Vec<serde_json::Value>>(&body)
            .unwrap_or_else(|e| panic!("/api/calls JSON {e}: {body}"))
    }

    /// Polls `/api/calls` until a call matches `pred` (e.g. ended with an outcome).
    pub fn wait_call(
        &self,
        timeout: Duration,
        pred: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let deadline = Instant::now() + timeout;
        loop {
            let calls = self.calls();
            if let Some(c) = calls.iter().find(|c| pred(c)) {
                return c.clone();
            }
            if Instant::now() > deadline {
                panic!(
                    "no matching call within {timeout:?}; calls: {calls:#?}\nlog:\n{}",
                    self.log_text()
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// The ended call with this SIP peer's user/Call-ID is not visible; match on outcome and
    /// `ended_at` instead, newest first.
    pub fn wait_ended(&self, outcome: &str, timeout: Duration) -> serde_json::Value {
        self.wait_call(timeout, |c| {
            c["outcome"] == outcome && !c["ended_at"].is_null()
        })
    }

    /// `GET /metrics` value of a sample (exact name including labels), if present.
    pub fn metric(&self, sample: &str) -> Option<f64> {
        let (_, body) = self.get("/metrics");
        metric_value(&body, sample)
    }

    /// SIGTERM and wait for exit (bounded); returns the exit status.
    pub fn stop(&mut self, timeout: Duration) -> ExitStatus {
        let mut child = self.child.take().expect("server running");
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status();
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "hotline did not exit within {timeout:?} of SIGTERM; log:\n{}",
                    self.log_text()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends SIGTERM without waiting (for the shutdown test).
    pub fn sigterm(&self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.pid().to_string())
            .status();
    }

    /// Waits for a process already told to stop.
    pub fn wait_exit(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.as_mut().expect("running").try_wait().unwrap() {
                self.child = None;
                return status;
            }
            if Instant::now() > deadline {
                panic!(
                    "hotline still running after {timeout:?}; log:\n{}",
                    self.log_text()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        if std::thread::panicking() || std::env::var_os("HOTLINE_KEEP_TEST_DIR").is_some() {
            eprintln!("hotline test dir kept: {}", self.dir.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Value of one Prometheus sample line, e.g. `hotline_calls_total{outcome="caller_hangup"}`.
pub fn metric_value(body: &str, sample: &str) -> Option<f64> {
    body.lines().filter(|l| !l.starts_with('#')).find_map(|l| {
        let (name, value) = l.rsplit_once(' ')?;
        (name.trim() == sample)
            .then(|| value.trim().parse().ok())
            .flatten()
    })
}

/// Minimal HTTP/1.1 GET over std TCP (Connection: close, handles chunked bodies), 5 s timeouts.
pub fn http_get(addr: SocketAddr, path: &str) -> std::io::Result<(u16, String)> {
    http_request(addr, "GET", path, None)
}

/// Like `http_get` for any method, with an optional JSON body.
pub fn http_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    json: Option<&str>,
) -> std::io::Result<(u16, String)> {
    http_request_with(addr, method, path, json, &[])
}

/// Like `http_request`, with extra headers (`("Authorization", "Bearer ...")`).
pub fn http_request_with(
    addr: SocketAddr,
    method: &str,
    path: &str,
    json: Option<&str>,
    headers: &[(&str, &str)],
) -> std::io::Result<(u16, String)> {
    let (status, head, body) = http_exchange(addr, method, path, json, headers, 5)?;
    let body = String::from_utf8_lossy(&body).into_owned();
    let chunked = head.lines().any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    let body = if chunked { dechunk(&body) } else { body };
    Ok((status, body))
}

/// A request with a bearer token and an optional JSON body; the status and the answer as JSON
/// (or, when it is not JSON, as a string).
pub fn json_request(
    addr: SocketAddr,
    token: &str,
    method: &str,
    path: &str,
    json: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let bearer = format!("Bearer {token}");
    let body = json.map(|json| json.to_string());
    let (status, text) = http_request_with(
        addr,
        method,
        path,
        body.as_deref(),
        &[("Authorization", &bearer)],
    )
    .unwrap_or_else(|error| panic!("{method} {path}: {error}"));
    let value = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
    (status, value)
}

/// `GET path` with headers; the status, the response head and the body as bytes (no chunked
/// bodies: the recording API sends lengths).
pub fn http_bytes(
    addr: SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
) -> std::io::Result<(u16, String, Vec<u8>)> {
    http_exchange(addr, "GET", path, None, headers, 10)
}

/// One request on a fresh connection (`Connection: close`): the status, the response head and
/// the raw body.
fn http_exchange(
    addr: SocketAddr,
    method: &str,
    path: &str,
    json: Option<&str>,
    headers: &[(&str, &str)],
    read_timeout_seconds: u64,
) -> std::io::Result<(u16, String, Vec<u8>)> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    s.set_read_timeout(Some(Duration::from_secs(read_timeout_seconds)))?;
    s.set_write_timeout(Some(Duration::from_secs(5)))?;
    let body = match json {
        Some(json) => format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{json}",
            json.len()
        ),
        None => "Content-Length: 0\r\n\r\n".to_string(),
    };
    let extra: String = headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{extra}{body}"
    )?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = raw.get(split + 4..).unwrap_or_default().to_vec();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Ok((status, head, body))
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.split(';').next().unwrap().trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// Polls `f` until it returns Some or the timeout passes.
pub fn wait_for<T>(timeout: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The texts of a call record's transcript lines spoken by `speaker` ("hotline" or "caller"),
/// in order.
pub fn lines_by<'a>(call: &'a serde_json::Value, speaker: &str) -> Vec<&'a str> {
    call["transcript"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|line| line["speaker"] == speaker)
        .filter_map(|line| line["text"].as_str())
        .collect()
}

/// Every file under `dir` whose name ends with `suffix`.
pub fn find_files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p)
            } else if p.to_string_lossy().ends_with(suffix) {
                out.push(p)
            }
        }
    }
    out
}

/// Hands a timing figure to the benchmarks: when `HOTLINE_BENCH_FIGURES` names a file (as
/// `bench/test_timings.sh` sets it), appends the line `NAME VALUE` to it. Tests never assert on
/// timing; the benchmark reports these figures.
pub fn bench_figure(name: &str, value: f64) {
    let Some(path) = std::env::var_os("HOTLINE_BENCH_FIGURES") else {
        return;
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .unwrap_or_else(|error| panic!("HOTLINE_BENCH_FIGURES {path:?}: {error}"));
    writeln!(file, "{name} {value:.3}").expect("the figures file is writable");
}

pub fn file_exists(p: &Path) -> bool {
    p.metadata().map(|m| m.is_file()).unwrap_or(false)
}

/// Tests that run a server with both speech models, or a browser, take turns within their test
/// binary: one at a time keeps the recognition of what they hear honest on a small machine.
pub fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
