//! The async side of a conversation's flow, shared by call actors and chat sessions: the work
//! the flow engine asks for that takes time (understanding an utterance with the embedding
//! model, asking a business backend) runs as tasks, and each result comes back on one channel
//! as the flow event it produces.

use crate::dialogue::FlowEvent;
use crate::dialogue::flow_file::lookup::LookupRequest;
use crate::lookup::LookupClient;
use crate::understanding::UnderstandingService;
use tokio::sync::mpsc;

/// Results that may wait to be taken at once; tasks wait when it is full.
const RESULTS: usize = 16;

/// Runs a conversation's slow work and hands back the events it ends in.
pub struct Errands {
    flow: String,
    understanding: Option<UnderstandingService>,
    lookups: LookupClient,
    sender: mpsc::Sender<FlowEvent>,
    results: mpsc::Receiver<FlowEvent>,
}

impl Errands {
    /// Errands for a conversation in `flow`.
    pub fn new(
        flow: &str,
        understanding: Option<UnderstandingService>,
        lookups: LookupClient,
    ) -> Errands {
        let (sender, results) = mpsc::channel(RESULTS);
        Errands {
            flow: flow.to_string(),
            understanding,
            lookups,
            sender,
            results,
        }
    }

    /// Goes on in `flow` (a translation the conversation switched to), understood by
    /// `understanding`.
    pub fn converse_in(&mut self, flow: &str, understanding: Option<UnderstandingService>) {
        self.flow = flow.to_string();
        self.understanding = understanding;
    }

    /// Works out what `text` means, then delivers it as a `Speech` event. Text without words,
    /// or a flow without intents or knowledge, needs no work: its event is returned at once.
    pub fn understand(&self, text: String, confidence: f32) -> Option<FlowEvent> {
        let Some(service) = self
            .understanding
            .clone()
            .filter(|service| service.understands(&self.flow) && !text.trim().is_empty())
        else {
            return Some(FlowEvent::Speech {
                text,
                confidence,
                meaning: None,
            });
        };
        let flow = self.flow.clone();
        let sender = self.sender.clone();
        tokio::spawn(async move {
            let meaning = service.meaning(&flow, &text).await;
            let event = FlowEvent::Speech {
                text,
                confidence,
                meaning,
            };
            // The conversation may have ended meanwhile; then nobody needs the event.
            let _ = sender.send(event).await;
        });
        None
    }

    /// Asks the backend, then delivers the outcome as a `LookupFinished` event.
    pub fn look_up(&self, request: LookupRequest) {
        let client = self.lookups.clone();
        let sender = self.sender.clone();
        tokio::spawn(async move {
            let outcome = client.execute(&request).await;
            let _ = sender.send(FlowEvent::LookupFinished(outcome)).await;
        });
    }

    /// The next finished errand's event; pending while none runs.
    pub async fn next(&mut self) -> FlowEvent {
        match self.results.recv().await {
            Some(event) => event,
            // `self` holds a sender, so the channel never closes while it exists.
            None => std::future::pending().await,
        }
    }
}
