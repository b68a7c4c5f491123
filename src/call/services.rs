//! What every call shares: the services calls use, and the registry of running calls that the
//! manager admits into and each actor leaves.

use super::handle::CallHandle;
use super::prompts::PromptCache;
use super::records::RecordWriter;
use crate::agents::AgentService;
use crate::config::Config;
use crate::dialogue::PublishedFlows;
use crate::ids::CallId;
use crate::lookup::LookupClient;
use crate::net::PortPool;
use crate::sip::Dialer;
use crate::speech_services::SpeechServices;
use crate::telemetry::Metrics;
use dashmap::DashMap;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use tokio::sync::Notify;

/// What every call shares: read-only configuration and thread-safe services.
pub struct CallServices {
    /// Server configuration.
    pub config: Arc<Config>,
    /// The published flows.
    pub flows: PublishedFlows,
    /// Converted prompt audio.
    pub prompts: PromptCache,
    /// Metrics registry.
    pub metrics: Metrics,
    /// Ordered writer of call records (shared with chat sessions).
    pub records: Arc<RecordWriter>,
    /// Where recordings are written.
    pub recordings: Arc<crate::recording::RecordingService>,
    /// Recognition, voices and understanding by language: without a recogniser speech-mode
    /// calls take keys only, without a voice `say` steps are skipped, without understanding
    /// utterances carry no meaning.
    pub speech: SpeechServices,
    /// The HTTP client of `lookup` steps.
    pub lookups: LookupClient,
    /// Hotline's own HTTP origin (e.g. `http://127.0.0.1:8080`), the flows' `{server}`.
    pub http_origin: String,
    /// Queues and agents: where transfers go.
    pub agents: AgentService,
    /// Calls agents' phones.
    pub dialer: Dialer,
    /// Agents' browser phones, rung before their SIP phones.
    pub phones: crate::webrtc::BrowserPhones,
    /// The operations board calls keep their line on.
    pub board: crate::operations::CallBoard,
}

pub(super) struct Registry {
    pub(super) services: CallServices,
    pub(super) ports: PortPool,
    pub(super) calls: DashMap<CallId, CallHandle>,
    pub(super) draining: AtomicBool,
    pub(super) changed: Notify,
}

impl Registry {
    pub(super) fn new(services: CallServices, ports: PortPool) -> Registry {
        Registry {
            services,
            ports,
            calls: DashMap::new(),
            draining: AtomicBool::new(false),
            changed: Notify::new(),
        }
    }

    pub(super) fn remove(&self, id: CallId) {
        if self.calls.remove(&id).is_some() {
            self.services.metrics.active_calls.dec();
        }
        self.changed.notify_waiters();
    }
}
