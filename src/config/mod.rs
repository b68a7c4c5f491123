//! Typed server configuration, loaded from `sip-config/hotline.toml` (or `--config FILE`).
//!
//! Every section is validated at load; every problem is reported as `file:line: message`, so an
//! admin can fix a broken file without guessing. Durations are written the human way (`"10s"`,
//! `"1500ms"`). Paths that are relative resolve against the directory the config file lives in
//! (flows, voice models, order seed files), except the recording directory, which is relative to
//! the data directory.

mod acd;
mod dashboard;
mod error;
mod speech;
mod validate;
mod voice;
#[cfg(test)]
mod voice_tests;
mod webrtc;

/// The smallest valid configuration (`[sip]`, `[media]`, `[http]`, `[flows]`: ten lines), for
/// tests to extend.
#[cfg(test)]
macro_rules! minimal_config {
    () => {
        "[sip]\nlisten = \"127.0.0.1:5060\"\n[media]\naddress = \"127.0.0.1\"\n\
         rtp_port_first = 20000\nrtp_port_last = 20100\n[http]\nlisten = \"127.0.0.1:8080\"\n\
         [flows]\ndirectory = \"prompts\"\n"
    };
}
#[cfg(test)]
pub(crate) use minimal_config;

pub use acd::{AcdConfig, AgentConfig, GroupConfig};
pub use dashboard::DashboardConfig;
pub use error::ConfigError;
pub use speech::{DEFAULT_RECOGNITION_MODEL, LanguageModels, ModelChoice, SpeechConfig};
pub use voice::{DEFAULT_VOICE, VoiceConfig};
pub use webrtc::WebRtcConfig;

use serde::Deserialize;
use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The whole server configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// SIP signaling.
    pub sip: SipConfig,
    /// RTP media.
    pub media: MediaConfig,
    /// HTTP API and pages.
    pub http: HttpConfig,
    /// Where the IVR flow files live.
    pub flows: FlowsConfig,
    /// Call recording.
    #[serde(default)]
    pub recording: RecordingConfig,
    /// Graceful shutdown.
    #[serde(default)]
    pub shutdown: ShutdownConfig,
    /// Speech recognition, turn taking and speech synthesis.
    #[serde(default)]
    pub speech: SpeechConfig,
    /// Inbound routing: dialled number to flow.
    #[serde(default)]
    pub routes: Vec<Route>,
    /// The demo order system; without this section there is none.
    #[serde(default)]
    pub orders: Option<OrdersConfig>,
    /// Queues, ringing and the registrar (`[acd]`).
    #[serde(default)]
    pub acd: AcdConfig,
    /// The agents who may sign in (`[[agents]]`).
    #[serde(default)]
    pub agents: Vec<AgentConfig>,
    /// Browser legs.
    #[serde(default)]
    pub webrtc: WebRtcConfig,
    /// The live dashboard's targets and alerts.
    #[serde(default)]
    pub dashboard: DashboardConfig,
}

/// SIP transport settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SipConfig {
    /// Address for both UDP and TCP listeners.
    pub listen: SocketAddr,
    /// Address put into Contact headers and SDP when Hotline sits behind NAT.
    #[serde(default)]
    pub public_address: Option<IpAddr>,
    /// Where SIP over WebSocket (RFC 7118, subprotocol `sip`) listens, for browser softphones;
    /// without it there is none.
    #[serde(default)]
    pub websocket: Option<SocketAddr>,
}

/// RTP media settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediaConfig {
    /// Local address RTP sockets bind to (and, without a public address, the SDP address).
    pub address: IpAddr,
    /// First port of the RTP range (even ports carry RTP, the next odd port RTCP).
    pub rtp_port_first: u16,
    /// Last port of the RTP range.
    pub rtp_port_last: u16,
    /// A call whose RTP stopped arriving this long is hung up.
    #[serde(
        deserialize_with = "crate::duration_text::deserialize",
        default = "default_media_timeout"
    )]
    pub media_timeout: Duration,
    /// Codecs Hotline accepts, in order of preference when the offer allows a choice.
    #[serde(default = "default_codecs")]
    pub codecs: Vec<String>,
    /// Smallest playout delay of the jitter buffer.
    #[serde(
        deserialize_with = "crate::duration_text::deserialize",
        default = "default_jitter_minimum"
    )]
    pub jitter_minimum_delay: Duration,
    /// Largest playout delay of the jitter buffer.
    #[serde(
        deserialize_with = "crate::duration_text::deserialize",
        default = "default_jitter_maximum"
    )]
    pub jitter_maximum_delay: Duration,
}

/// HTTP settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpConfig {
    /// Listen address of the HTTP server.
    pub listen: SocketAddr,
    /// PEM certificate chain: with `tls_key`, HTTP is served over TLS (rustls) only.
    #[serde(default)]
    pub tls_certificate: Option<PathBuf>,
    /// PEM private key of `tls_certificate`.
    #[serde(default)]
    pub tls_key: Option<PathBuf>,
}

/// Flow file settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlowsConfig {
    /// Directory searched recursively for `*.flow.toml` files.
    pub directory: PathBuf,
    /// The flow web chat sessions run (`/api/chat`, `/chat`), unless a session asks for another.
    #[serde(default = "default_chat_flow")]
    pub chat: String,
}

fn default_chat_flow() -> String {
    "main".to_string()
}

/// Demo order system settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrdersConfig {
    /// Directory of the seed files (`customers.toml`, `orders.toml`) loaded at every start.
    pub seed: PathBuf,
}

/// Recording settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordingConfig {
    /// Directory of the recordings, relative to the data directory unless absolute.
    #[serde(default = "default_recording_directory")]
    pub directory: PathBuf,
    /// File of the recording keys (`ID HEX` lines, the last current), relative to the data
    /// directory unless absolute. `HOTLINE_RECORDING_KEYS` overrides it; without either, a key
    /// file is generated under the data directory.
    #[serde(default)]
    pub keys_file: Option<PathBuf>,
    /// How long recordings are kept, unless a flow has its own period.
    #[serde(
        deserialize_with = "crate::duration_text::deserialize",
        default = "default_retention"
    )]
    pub retention: Duration,
    /// Retention periods by flow name.
    #[serde(deserialize_with = "crate::duration_text::deserialize_map", default)]
    pub retention_by_flow: BTreeMap<String, Duration>,
    /// How often the sweeper looks for recordings past their retention.
    #[serde(
        deserialize_with = "crate::duration_text::deserialize",
        default = "default_sweep_every"
    )]
    pub sweep_every: Duration,
    /// Whether every one-second record is forced to disk (fdatasync) as it is written.
    #[serde(default = "default_true")]
    pub sync_every_record: bool,
    /// Patterns redacted in transcripts besides cards, phone numbers and e-mail addresses.
    #[serde(default)]
    pub redact: Vec<crate::recording::RedactionPattern>,
}

/// Graceful shutdown settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShutdownConfig {
    /// How long active calls may go on after SIGTERM before they are ended with BYE.
    #[serde(
        deserialize_with = "crate::duration_text::deserialize",
        default = "default_drain_timeout"
    )]
    pub drain_timeout: Duration,
}

/// How a routed call takes input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputMode {
    /// Speech and keys.
    Speech,
    /// Keys only.
    Dtmf,
}

impl InputMode {
    /// The mode's name as written in config and shown in the API.
    pub fn name(self) -> &'static str {
        match self {
            InputMode::Speech => "speech",
            InputMode::Dtmf => "dtmf",
        }
    }
}

/// One inbound route.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// The dialled number (user part of the Request-URI).
    pub number: String,
    /// Name of the flow that answers it.
    pub flow: String,
    /// Input mode of the call.
    #[serde(default = "default_mode")]
    pub mode: InputMode,
    /// How long the caller hears ringing before Hotline answers.
    #[serde(deserialize_with = "crate::duration_text::deserialize", default)]
    pub ring_time: Duration,
    /// The same flow in other languages, by flow name: the language the caller's first words
    /// are in picks the flow the call goes on in (a bilingual line). Each translation is in
    /// another language than `flow` and has the same step names.
    #[serde(default)]
    pub translations: Vec<String>,
}

impl Default for RecordingConfig {
    fn default() -> Self {
        RecordingConfig {
            directory: default_recording_directory(),
            keys_file: None,
            retention: default_retention(),
            retention_by_flow: BTreeMap::new(),
            sweep_every: default_sweep_every(),
            sync_every_record: true,
            redact: Vec::new(),
        }
    }
}

impl Default for ShutdownConfig {
    fn default() -> Self {
        ShutdownConfig {
            drain_timeout: default_drain_timeout(),
        }
    }
}

fn default_media_timeout() -> Duration {
    Duration::from_secs(30)
}
fn default_codecs() -> Vec<String> {
    vec!["PCMU".to_string(), "PCMA".to_string()]
}
fn default_jitter_minimum() -> Duration {
    Duration::from_millis(40)
}
fn default_jitter_maximum() -> Duration {
    Duration::from_millis(200)
}
fn default_recording_directory() -> PathBuf {
    PathBuf::from("recordings")
}
/// Three years.
fn default_retention() -> Duration {
    Duration::from_secs(3 * 365 * 24 * 3600)
}
fn default_true() -> bool {
    true
}
fn default_sweep_every() -> Duration {
    Duration::from_secs(3600)
}
fn default_drain_timeout() -> Duration {
    Duration::from_secs(30)
}
fn default_mode() -> InputMode {
    InputMode::Speech
}

impl Config {
    /// Reads, parses and validates a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mut config = Config::parse(path, &text)?;
        if let Some(base) = path.parent() {
            let orders_seed = config.orders.as_mut().map(|orders| &mut orders.seed);
            for directory in [
                Some(&mut config.flows.directory),
                Some(&mut config.speech.models_directory),
                orders_seed,
                config.acd.hold_music.as_mut(),
                config.http.tls_certificate.as_mut(),
                config.http.tls_key.as_mut(),
            ]
            .into_iter()
            .flatten()
            {
                if directory.is_relative() {
                    *directory = base.join(&*directory);
                }
            }
        }
        Ok(config)
    }

    /// Parses and validates config text; `path` only names the file in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|error| ConfigError::Invalid {
            path: path.to_path_buf(),
            line: error
                .span()
                .map(|span| crate::text::lines::line_of(text, span.start))
                .unwrap_or(1),
            message: error.message().to_string(),
        })?;
        validate::check(&config, path, text)?;
        Ok(config)
    }

    /// The recording directory resolved against the data directory.
    pub fn recording_directory(&self, data_directory: &Path) -> PathBuf {
        data_directory.join(&self.recording.directory)
    }

    /// The configured agent called `name`, if any.
    pub fn agent(&self, name: &str) -> Option<&AgentConfig> {
        self.agents.iter().find(|agent| agent.name == name)
    }

    /// Whether `name` is a configured agent with supervisor rights.
    pub fn is_supervisor(&self, name: &str) -> bool {
        self.agent(name).is_some_and(|agent| agent.supervisor)
    }

    /// The route for a dialled number, if any.
    pub fn route(&self, number: &str) -> Option<&Route> {
        self.routes.iter().find(|route| route.number == number)
    }

    /// The number the "call us" page dials: `[webrtc] number`, else the first speech route,
    /// else the first route.
    pub fn browser_number(&self) -> Option<&str> {
        self.webrtc
            .number
            .as_deref()
            .or_else(|| {
                self.routes
                    .iter()
                    .find(|route| route.mode == InputMode::Speech)
                    .map(|route| route.number.as_str())
            })
            .or_else(|| self.routes.first().map(|route| route.number.as_str()))
    }
}
