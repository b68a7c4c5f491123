//! What the HTTP handlers share: stores, services and settings, cloned into every request.

use super::desk_sessions::DeskSessions;
use crate::agents::AgentService;
use crate::chat::ChatService;
use crate::config::Config;
use crate::orders::OrderBook;
use crate::recording::RecordingService;
use crate::storage::{AuditLog, CallStore, UserStore};
use crate::telemetry::Metrics;
use std::sync::Arc;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    /// Metrics registry rendered on `/metrics`.
    pub metrics: Metrics,
    /// Call records.
    pub calls: Arc<dyn CallStore>,
    /// The demo order system served under `/demo/`, when the config has one.
    pub orders: Option<Arc<OrderBook>>,
    /// Web chat sessions.
    pub chat: ChatService,
    /// Agents and queues.
    pub agents: AgentService,
    /// The server configuration (agents' credentials, dispositions).
    pub config: Arc<Config>,
    /// Signed-in agent desks.
    pub desk_sessions: DeskSessions,
    /// Users of the pages and APIs, and their tokens.
    pub users: Arc<UserStore>,
    /// The audit log of views, plays and exports.
    pub audit: Arc<AuditLog>,
    /// Sealed recordings.
    pub recordings: Arc<RecordingService>,
    /// Whether cookies are marked `Secure` (HTTP is served over TLS).
    pub secure_cookies: bool,
    /// Browser legs; `None` when they cannot be offered (no address for them).
    pub webrtc: Option<crate::webrtc::Gateway>,
    /// Agents' browser phones.
    pub phones: crate::webrtc::BrowserPhones,
    /// Flow versions: saving, publishing, rollback, trials.
    pub publisher: crate::flows::FlowPublisher,
    /// The server's voices, for previews of what a step will say.
    pub speech: crate::speech_services::SpeechServices,
    /// The live operations dashboard.
    pub dashboard: crate::operations::Dashboard,
}
