//! The text channel: web chat sessions that run the same flows, intents, knowledge, lookups and
//! escalation as phone calls.
//!
//! Each session is an actor (a task) that owns its flow engine, like a call. A message from the
//! user is a `Speech` event with full confidence, so the flow understands it exactly as it
//! understands a caller's words; a message that is a single key ("1") works where the step
//! takes that key. What the flow plays becomes text: `say` texts as they are, recorded prompts
//! by their caption (`prompts.tsv`). Playback is instant, and the flow's no-input timers do not
//! run in chat (a person typing may take their time); a lookup's guard timer does. A turn's
//! reply holds everything the flow said until it waits for the user again.
//!
//! Sessions are kept as conversation records (mode `chat`) beside calls, and end after
//! `IDLE_TIMEOUT` without a message or when the flow hangs up.

mod error;
mod session;

pub use error::ChatError;

use crate::call::RecordWriter;
use crate::dialogue::{Flow, Handover, PublishedFlows};
use crate::ids::CallId;
use crate::language::Language;
use crate::lookup::LookupClient;
use crate::speech_services::SpeechServices;
use dashmap::DashMap;
use serde::Serialize;
use session::{SessionCommand, SessionSetup};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// How long a session lives without a message.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30 * 60);
/// The longest message accepted, in bytes.
pub const MAXIMUM_MESSAGE: usize = 2000;
/// Sessions open at once, at most.
const MAXIMUM_SESSIONS: usize = 10_000;

/// What the flow answered to one message (or to the start of a session).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChatTurn {
    /// The session.
    pub session: CallId,
    /// What Hotline said, in order.
    pub messages: Vec<String>,
    /// The language the flow speaks, which the page follows.
    pub language: Language,
    /// Whether the flow ended the session.
    pub ended: bool,
    /// The hand-over to a person, when the flow asked for one in this turn.
    pub handover: Option<Handover>,
}

/// What every session shares.
#[derive(Clone)]
pub struct ChatServices {
    /// The published flows.
    pub flows: PublishedFlows,
    /// The flow sessions run unless they ask for another.
    pub default_flow: String,
    /// Intents and knowledge, by the flow's language.
    pub speech: SpeechServices,
    /// The HTTP client of `lookup` steps.
    pub lookups: LookupClient,
    /// Hotline's own HTTP origin, the flows' `{server}`.
    pub http_origin: String,
    /// Where conversation records go.
    pub records: Arc<RecordWriter>,
    /// The operations board sessions keep their line on.
    pub board: crate::operations::CallBoard,
}

/// Starts sessions and routes messages to them. Cheap to clone.
#[derive(Clone)]
pub struct ChatService {
    services: Arc<ChatServices>,
    sessions: Arc<DashMap<CallId, mpsc::Sender<SessionCommand>>>,
}

impl ChatService {
    /// A chat service without sessions.
    pub fn new(services: ChatServices) -> ChatService {
        ChatService {
            services: Arc::new(services),
            sessions: Arc::new(DashMap::new()),
        }
    }

    /// Starts a session in the published flow `flow` (else the default flow) and returns the
    /// flow's opening.
    pub async fn start(&self, flow: Option<&str>) -> Result<ChatTurn, ChatError> {
        let name = flow.unwrap_or(&self.services.default_flow);
        let flow = self
            .services
            .flows
            .get(name)
            .ok_or_else(|| ChatError::UnknownFlow {
                name: name.to_string(),
            })?;
        self.start_in(flow).await
    }

    /// Starts a session in `flow`, published or not (an admin trying a draft), and returns
    /// the flow's opening.
    pub async fn start_in(&self, flow: Arc<Flow>) -> Result<ChatTurn, ChatError> {
        if self.sessions.len() >= MAXIMUM_SESSIONS {
            return Err(ChatError::Busy);
        }
        let id = CallId::new();
        let (commands, receiver) = mpsc::channel(4);
        self.sessions.insert(id, commands);
        let (reply, opening) = oneshot::channel();
        let setup = SessionSetup {
            id,
            flow,
            services: self.services.clone(),
            commands: receiver,
            opening: reply,
        };
        let sessions = self.sessions.clone();
        tokio::spawn(async move {
            session::run(setup).await;
            sessions.remove(&id);
        });
        opening.await.map_err(|_| ChatError::Ended)
    }

    /// Sends the user's `text` to session `id` and returns the flow's answer.
    pub async fn send(&self, id: CallId, text: &str) -> Result<ChatTurn, ChatError> {
        if text.len() > MAXIMUM_MESSAGE {
            return Err(ChatError::TooLong {
                maximum: MAXIMUM_MESSAGE,
            });
        }
        if text.trim().is_empty() {
            return Err(ChatError::Empty);
        }
        let commands = self
            .sessions
            .get(&id)
            .map(|entry| entry.value().clone())
            .ok_or(ChatError::UnknownSession)?;
        let (reply, answer) = oneshot::channel();
        let command = SessionCommand {
            text: text.to_string(),
            reply,
        };
        commands.send(command).await.map_err(|_| ChatError::Ended)?;
        answer.await.map_err(|_| ChatError::Ended)
    }
}
