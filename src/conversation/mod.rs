//! The async side of a conversation's flow, shared by call actors and chat sessions: the work
//! the flow engine asks for that takes time (understanding an utterance with the embedding
//! model, asking a business backend) runs as tasks, and each result comes back on one channel
//! as the flow event it produces. A call may also ask what a tentative transcript means while
//! its caller pauses; those meanings come back on a channel of their own.

use crate::dialogue::flow_file::lookup::LookupRequest;
use crate::dialogue::{FlowEvent, Meaning};
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
    tentative_sender: mpsc::Sender<TentativeMeaning>,
    tentative_results: mpsc::Receiver<TentativeMeaning>,
}

/// The words of a tentative transcript and what they mean, if that could be worked out.
pub type TentativeMeaning = (String, Option<Meaning>);

/// A finished errand of a call.
#[derive(Debug)]
pub enum Finished {
    /// The flow event an errand ends in.
    Event(FlowEvent),
    /// A tentative transcript's meaning ([`Errands::understand_tentative`]).
    Tentative(TentativeMeaning),
}

impl Errands {
    /// Errands for a conversation in `flow`.
    pub fn new(
        flow: &str,
        understanding: Option<UnderstandingService>,
        lookups: LookupClient,
    ) -> Errands {
        let (sender, results) = mpsc::channel(RESULTS);
        let (tentative_sender, tentative_results) = mpsc::channel(RESULTS);
        Errands {
            flow: flow.to_string(),
            understanding,
            lookups,
            sender,
            results,
            tentative_sender,
            tentative_results,
        }
    }

    /// The understanding service, if `text` needs it: not for text without words, nor in a
    /// flow without intents or knowledge.
    fn service_for(&self, text: &str) -> Option<UnderstandingService> {
        self.understanding
            .clone()
            .filter(|service| service.understands(&self.flow) && !text.trim().is_empty())
    }

    /// Works out what the words of a tentative transcript mean, then delivers them with their
    /// meaning on [`Errands::next_finished`]; returned at once where no work is needed (see
    /// [`Errands::understand`]).
    pub fn understand_tentative(&self, text: String) -> Option<TentativeMeaning> {
        let Some(service) = self.service_for(&text) else {
            return Some((text, None));
        };
        let flow = self.flow.clone();
        let sender = self.tentative_sender.clone();
        tokio::spawn(async move {
            let meaning = service.meaning(&flow, &text).await;
            let _ = sender.send((text, meaning)).await;
        });
        None
    }

    /// The next finished errand of a call: a flow event, or a tentative transcript's meaning;
    /// pending while none runs.
    pub async fn next_finished(&mut self) -> Finished {
        tokio::select! {
            Some(event) = self.results.recv() => Finished::Event(event),
            Some(meaning) = self.tentative_results.recv() => Finished::Tentative(meaning),
            // `self` holds both senders, so neither channel closes while it exists.
            else => std::future::pending().await,
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
        let Some(service) = self.service_for(&text) else {
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
