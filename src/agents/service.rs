//! The agent service task and its handle.

use super::commands::{DeskCommand, MonitorMode};
use super::context::{CallContext, DeskEvent, QueueEvent};
use super::line::CallLine;
use crate::acd::{
    AcdError, AcdOutput, AcdSettings, AgentProfile, AgentStatus, Declined, Distributor, Presence,
    QueueStatus,
};
use crate::ids::{AgentId, CallId};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::{broadcast, mpsc, oneshot};
use tracing::{debug, info};

/// Desk events kept for slow desks before the oldest are dropped (they then ask for a fresh
/// status).
const DESK_EVENT_CAPACITY: usize = 1024;

/// Every agent and queue at one moment.
#[derive(Debug, Clone, Serialize)]
pub struct Snapshot {
    /// Every agent.
    pub agents: Vec<AgentStatus>,
    /// Every queue.
    pub queues: Vec<QueueStatus>,
}

enum Request {
    Enqueue {
        handle: Arc<dyn CallLine>,
        context: Arc<CallContext>,
    },
    Reserve {
        handle: Arc<dyn CallLine>,
        context: Arc<CallContext>,
        agent: AgentId,
        consultation: bool,
    },
    Leave(CallId),
    Declined {
        call: CallId,
        agent: AgentId,
        why: Declined,
    },
    Briefing {
        call: CallId,
        agent: AgentId,
    },
    Connected {
        call: CallId,
        agent: AgentId,
    },
    Finished {
        call: CallId,
        agent: AgentId,
    },
    Registration {
        agent: AgentId,
        contacts: usize,
    },
    BrowserPhone {
        agent: AgentId,
        connected: bool,
    },
    Presence {
        agent: AgentId,
        change: PresenceChange,
        reply: oneshot::Sender<Result<(), AcdError>>,
    },
    Snapshot(oneshot::Sender<Snapshot>),
    Context {
        call: CallId,
        reply: oneshot::Sender<Option<CallContext>>,
    },
    Desk {
        agent: AgentId,
        call: CallId,
        command: DeskCommand,
        reply: oneshot::Sender<Result<(), String>>,
    },
    Monitor {
        supervisor: AgentId,
        call: CallId,
        mode: Option<MonitorMode>,
        reply: oneshot::Sender<Result<(), String>>,
    },
}

enum PresenceChange {
    SignIn,
    SignOut,
    Choose(Presence),
}

/// A cheap handle to the agent service.
#[derive(Clone)]
pub struct AgentService {
    requests: mpsc::UnboundedSender<Request>,
    events: broadcast::Sender<DeskEvent>,
}

struct Known {
    handle: Arc<dyn CallLine>,
    context: Arc<CallContext>,
}

struct ServiceTask {
    distributor: Distributor,
    calls: HashMap<CallId, Known>,
    events: broadcast::Sender<DeskEvent>,
    /// Registered SIP contacts, by agent.
    sip_contacts: HashMap<AgentId, usize>,
    /// Connected browser phones, by agent.
    browser_phones: HashMap<AgentId, usize>,
}

impl AgentService {
    /// Starts the service for the configured agents (all signed out). Must run inside a tokio
    /// runtime.
    pub fn start(settings: AcdSettings, profiles: Vec<AgentProfile>) -> AgentService {
        let (requests, mut receiver) = mpsc::unbounded_channel();
        let (events, _) = broadcast::channel(DESK_EVENT_CAPACITY);
        let mut task = ServiceTask {
            distributor: Distributor::new(settings, profiles, Instant::now()),
            calls: HashMap::new(),
            events: events.clone(),
            sip_contacts: HashMap::new(),
            browser_phones: HashMap::new(),
        };
        tokio::spawn(async move {
            loop {
                let deadline = task.distributor.poll_timeout();
                tokio::select! {
                    request = receiver.recv() => match request {
                        Some(request) => task.handle(request),
                        None => break,
                    },
                    _ = sleep_until(deadline) => task.distributor.handle_timeout(Instant::now()),
                }
                task.carry_out();
            }
        });
        AgentService { requests, events }
    }

    fn send(&self, request: Request) {
        // The service stops only with the runtime; requests after that have nowhere to go.
        let _ = self.requests.send(request);
    }

    /// The call joins its group's queue; the answer arrives as a queue event on the call's line.
    pub fn enqueue(&self, handle: Arc<dyn CallLine>, context: CallContext) {
        self.send(Request::Enqueue {
            handle,
            context: Arc::new(context),
        });
    }

    /// The call is offered to this agent directly (a transfer to a named agent); the answer
    /// arrives on the call's line (an offer, or refused).
    pub fn reserve(&self, handle: Arc<dyn CallLine>, context: CallContext, agent: AgentId) {
        self.send(Request::Reserve {
            handle,
            context: Arc::new(context),
            agent,
            consultation: false,
        });
    }

    /// The agent is reserved for a consultation about the call (an attended transfer); the
    /// answer arrives as a queue event on the call's line (the consultant, or refused).
    pub fn reserve_consultant(
        &self,
        handle: Arc<dyn CallLine>,
        context: CallContext,
        agent: AgentId,
    ) {
        self.send(Request::Reserve {
            handle,
            context: Arc::new(context),
            agent,
            consultation: true,
        });
    }

    /// The call left the queue (hung up, callback, back to the IVR).
    pub fn leave(&self, call: CallId) {
        self.send(Request::Leave(call));
    }

    /// The agent offered the call did not take it.
    pub fn declined(&self, call: CallId, agent: AgentId, why: Declined) {
        self.send(Request::Declined { call, agent, why });
    }

    /// The agent answered and hears the brief.
    pub fn briefing(&self, call: CallId, agent: AgentId) {
        self.send(Request::Briefing { call, agent });
    }

    /// The agent took the call.
    pub fn connected(&self, call: CallId, agent: AgentId) {
        self.send(Request::Connected { call, agent });
    }

    /// The agent's part of the call is over.
    pub fn finished(&self, call: CallId, agent: AgentId) {
        self.send(Request::Finished { call, agent });
    }

    async fn presence(&self, agent: AgentId, change: PresenceChange) -> Result<(), AcdError> {
        let (reply, answer) = oneshot::channel();
        self.send(Request::Presence {
            agent,
            change,
            reply,
        });
        answer.await.unwrap_or(Ok(()))
    }

    /// The agent signs in at the desk or through the API.
    pub async fn sign_in(&self, agent: AgentId) -> Result<(), AcdError> {
        self.presence(agent, PresenceChange::SignIn).await
    }

    /// The agent signs out.
    pub async fn sign_out(&self, agent: AgentId) -> Result<(), AcdError> {
        self.presence(agent, PresenceChange::SignOut).await
    }

    /// The agent chooses available or away.
    pub async fn choose(&self, agent: AgentId, presence: Presence) -> Result<(), AcdError> {
        self.presence(agent, PresenceChange::Choose(presence)).await
    }

    /// Every agent and queue now.
    pub async fn snapshot(&self) -> Snapshot {
        let (reply, answer) = oneshot::channel();
        self.send(Request::Snapshot(reply));
        answer.await.unwrap_or(Snapshot {
            agents: Vec::new(),
            queues: Vec::new(),
        })
    }

    /// The context of a call the service knows (waiting or with an agent).
    pub async fn context(&self, call: CallId) -> Option<CallContext> {
        let (reply, answer) = oneshot::channel();
        self.send(Request::Context { call, reply });
        answer.await.ok().flatten()
    }

    /// An agent's desk acts on the call offered to or handled by them.
    pub async fn desk(
        &self,
        agent: AgentId,
        call: CallId,
        command: DeskCommand,
    ) -> Result<(), String> {
        let (reply, answer) = oneshot::channel();
        self.send(Request::Desk {
            agent,
            call,
            command,
            reply,
        });
        answer
            .await
            .unwrap_or_else(|_| Err("the agent service stopped".to_string()))
    }

    /// A supervisor joins a call in progress, changes mode, or leaves it (`None`).
    pub async fn monitor(
        &self,
        supervisor: AgentId,
        call: CallId,
        mode: Option<MonitorMode>,
    ) -> Result<(), String> {
        let (reply, answer) = oneshot::channel();
        self.send(Request::Monitor {
            supervisor,
            call,
            mode,
            reply,
        });
        answer
            .await
            .unwrap_or_else(|_| Err("the agent service stopped".to_string()))
    }

    /// `agent`'s browser phone connected or went away; with a SIP phone or a browser phone, the
    /// agent can be reached.
    pub fn browser_phone(&self, agent: &str, connected: bool) {
        self.send(Request::BrowserPhone {
            agent: AgentId::new(agent),
            connected,
        });
    }

    /// Desk events from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<DeskEvent> {
        self.events.subscribe()
    }
}

impl crate::sip::Registrations for AgentService {
    fn contacts_changed(&self, agent: &str, contacts: usize) {
        self.send(Request::Registration {
            agent: AgentId::new(agent),
            contacts,
        });
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(tokio::time::Instant::from_std(deadline)).await,
        None => std::future::pending().await,
    }
}

impl ServiceTask {
    /// Tells the distributor how many ways the agent can be reached: SIP contacts and browser
    /// phones together.
    fn reachability(&mut self, now: Instant, agent: &AgentId) {
        let contacts = self.sip_contacts.get(agent).copied().unwrap_or(0)
            + self.browser_phones.get(agent).copied().unwrap_or(0);
        if let Err(error) = self.distributor.registration(now, agent, contacts) {
            debug!(%error, "registration of an agent the ACD does not know");
        }
    }

    fn publish(&self, event: DeskEvent) {
        // Nobody listening is fine: desks get a status when they connect.
        let _ = self.events.send(event);
    }

    fn tell(&self, call: CallId, event: QueueEvent) {
        if let Some(known) = self.calls.get(&call) {
            known.handle.queue(event);
        }
    }

    fn handle(&mut self, request: Request) {
        let now = Instant::now();
        match request {
            Request::Enqueue { handle, context } => {
                let call = handle.id();
                let joined = self
                    .distributor
                    .enqueue(now, call, &context.group, context.priority);
                match joined {
                    Ok(()) => {
                        info!(%call, group = %context.group, priority = ?context.priority, "call queued");
                        self.calls.insert(call, Known { handle, context });
                    }
                    Err(error) => handle.queue(QueueEvent::Refused(error.to_string())),
                }
            }
            Request::Reserve {
                handle,
                context,
                agent,
                consultation,
            } => {
                let call = handle.id();
                match self.distributor.reserve(now, &agent, call) {
                    Ok(()) => {
                        let event = if consultation {
                            QueueEvent::Consultant {
                                agent: agent.clone(),
                            }
                        } else {
                            QueueEvent::Offer {
                                agent: agent.clone(),
                            }
                        };
                        handle.queue(event);
                        self.publish(DeskEvent::Offer {
                            agent,
                            context: Box::new((*context).clone()),
                        });
                        self.calls.insert(call, Known { handle, context });
                    }
                    Err(error) if consultation => {
                        handle.queue(QueueEvent::ConsultantRefused(error.to_string()))
                    }
                    Err(error) => handle.queue(QueueEvent::Refused(error.to_string())),
                }
            }
            Request::Leave(call) => {
                self.distributor.leave(now, call);
                self.calls.remove(&call);
            }
            Request::Declined { call, agent, why } => {
                info!(%call, %agent, ?why, "offer declined");
                if let Some(known) = self.calls.get_mut(&call) {
                    // The actor notes the same in its copy, which it sends when it queues again.
                    let mut context = (*known.context).clone();
                    context.handover.summary.tried.push(why.note(&agent));
                    known.context = Arc::new(context);
                }
                self.distributor.declined(now, call, &agent, why);
                self.publish(DeskEvent::OfferEnded { agent, call });
            }
            Request::Briefing { call, agent } => self.publish(DeskEvent::Briefing { agent, call }),
            Request::Connected { call, agent } => {
                info!(%call, %agent, "agent connected");
                self.distributor.connected(now, call, &agent);
                self.publish(DeskEvent::Connected { agent, call });
            }
            Request::Finished { call, agent } => {
                self.distributor.finished(now, &agent);
                self.publish(DeskEvent::Ended { agent, call });
                if !self.distributor.involves(call) {
                    self.calls.remove(&call);
                }
            }
            Request::Registration { agent, contacts } => {
                self.sip_contacts.insert(agent.clone(), contacts);
                self.reachability(now, &agent);
            }
            Request::BrowserPhone { agent, connected } => {
                let phones = self.browser_phones.entry(agent.clone()).or_default();
                *phones = if connected {
                    *phones + 1
                } else {
                    phones.saturating_sub(1)
                };
                self.reachability(now, &agent);
            }
            Request::Presence {
                agent,
                change,
                reply,
            } => {
                let result = match change {
                    PresenceChange::SignIn => self.distributor.sign_in(now, &agent),
                    PresenceChange::SignOut => self.distributor.sign_out(now, &agent),
                    PresenceChange::Choose(presence) => {
                        self.distributor.choose_presence(now, &agent, presence)
                    }
                };
                let _ = reply.send(result);
            }
            Request::Snapshot(reply) => {
                let _ = reply.send(Snapshot {
                    agents: self.distributor.agents(now),
                    queues: self.distributor.queues(now),
                });
            }
            Request::Context { call, reply } => {
                let context = self.calls.get(&call).map(|known| (*known.context).clone());
                let _ = reply.send(context);
            }
            Request::Desk {
                agent,
                call,
                command,
                reply,
            } => {
                let handles = self
                    .distributor
                    .agent(&agent, now)
                    .is_some_and(|status| status.call == Some(call));
                let result = match self.calls.get(&call) {
                    Some(known) if handles => {
                        known.handle.desk(agent, command);
                        Ok(())
                    }
                    _ => Err(format!(
                        "call {call} is not offered to or handled by {agent}"
                    )),
                };
                let _ = reply.send(result);
            }
            Request::Monitor {
                supervisor,
                call,
                mode,
                reply,
            } => {
                let result = match self.calls.get(&call) {
                    Some(known) => {
                        known.handle.monitor(supervisor, mode);
                        Ok(())
                    }
                    None => Err(format!("call {call} is not with an agent or in a queue")),
                };
                let _ = reply.send(result);
            }
        }
    }

    /// Carries the distributor's decisions to calls and desks.
    fn carry_out(&mut self) {
        while let Some(output) = self.distributor.poll_output() {
            match output {
                AcdOutput::Offer { call, agent } => {
                    info!(%call, %agent, "offering call");
                    self.tell(
                        call,
                        QueueEvent::Offer {
                            agent: agent.clone(),
                        },
                    );
                    if let Some(known) = self.calls.get(&call) {
                        let context = Box::new((*known.context).clone());
                        self.publish(DeskEvent::Offer { agent, context });
                    }
                }
                AcdOutput::Withdraw { call, agent } => {
                    self.tell(
                        call,
                        QueueEvent::Withdraw {
                            agent: agent.clone(),
                        },
                    );
                    self.publish(DeskEvent::OfferEnded { agent, call });
                }
                AcdOutput::Position {
                    call,
                    position,
                    expected_wait,
                } => self.tell(
                    call,
                    QueueEvent::Position {
                        position,
                        expected_wait,
                    },
                ),
                AcdOutput::Overflowed { call, from, to } => {
                    info!(%call, %from, %to, "call overflowed");
                    if let Some(known) = self.calls.get_mut(&call) {
                        let mut context = (*known.context).clone();
                        context.group = to.clone();
                        known.context = Arc::new(context);
                    }
                    self.tell(call, QueueEvent::Overflowed { from, to });
                }
                AcdOutput::PresenceChanged { agent, presence } => {
                    self.publish(DeskEvent::Presence { agent, presence })
                }
            }
        }
    }
}
