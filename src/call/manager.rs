//! Admission and lifetime of calls: routing, port leases, the registry of running calls, and
//! the graceful drain on shutdown.

use super::actor::{self, CallSetup};
use super::command::CallCommand;
use super::handle::{COMMAND_CAPACITY, CallHandle};
use super::services::{CallServices, Registry};
use crate::ids::CallId;
use crate::net::{MediaSockets, PortPool};
use crate::sip::{Admission, CallSessions, DialogHandle, InboundCall};
use crate::storage::CallOutcome;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::sync::mpsc;
use tracing::{info, warn};

/// Starts, tracks and drains calls.
#[derive(Clone)]
pub struct CallManager {
    registry: Arc<Registry>,
}

impl CallManager {
    /// A manager over the configured RTP range.
    pub fn new(services: CallServices) -> CallManager {
        let media = &services.config.media;
        let ports = PortPool::new(media.rtp_port_first, media.rtp_port_last);
        CallManager {
            registry: Arc::new(Registry::new(services, ports)),
        }
    }

    /// Number of calls in progress.
    pub fn active_calls(&self) -> usize {
        self.registry.calls.len()
    }

    fn reject(&self, status: u16, reason: String) -> Admission {
        self.registry
            .services
            .metrics
            .rejected_calls
            .with_label_values(&[&status.to_string()])
            .inc();
        Admission::Rejected { status, reason }
    }

    /// Refuses new calls, lets active ones finish for up to `drain`, then ends the rest with BYE
    /// and waits (bounded) for them to close their recordings.
    pub async fn shutdown(&self, drain: Duration) {
        self.registry.draining.store(true, Ordering::SeqCst);
        info!(active = self.active_calls(), ?drain, "draining calls");
        if !self.wait_idle(drain).await {
            let remaining: Vec<CallHandle> = self
                .registry
                .calls
                .iter()
                .map(|entry| entry.value().clone())
                .collect();
            info!(
                remaining = remaining.len(),
                "ending calls after the drain timeout"
            );
            for call in remaining {
                call.send(CallCommand::HangUp(CallOutcome::Shutdown));
            }
            if !self.wait_idle(Duration::from_secs(10)).await {
                warn!(remaining = self.active_calls(), "calls did not end in time");
            }
        }
        let registry = self.registry.clone();
        if tokio::task::spawn_blocking(move || registry.services.records.close())
            .await
            .is_err()
        {
            warn!("call records may be incomplete");
        }
    }

    async fn wait_idle(&self, limit: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let changed = self.registry.changed.notified();
            if self.registry.calls.is_empty() {
                return true;
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                return self.registry.calls.is_empty();
            }
        }
    }
}

impl CallSessions for CallManager {
    fn admit(&self, call: InboundCall, dialog: DialogHandle) -> Admission {
        if self.registry.draining.load(Ordering::SeqCst) {
            return self.reject(503, "Hotline is shutting down".to_string());
        }
        let services = &self.registry.services;
        let Some(route) = services.config.route(&call.dialled_number).cloned() else {
            return self.reject(404, format!("number {} is not routed", call.dialled_number));
        };
        let Some(flow) = call
            .trial
            .clone()
            .or_else(|| services.flows.get(&route.flow))
        else {
            return self.reject(404, format!("flow {} is not loaded", route.flow));
        };
        let translations = route
            .translations
            .iter()
            .filter_map(|name| {
                let translation = services.flows.get(name);
                if translation.is_none() {
                    warn!(flow = %name, "a translation of the route's flow is not loaded");
                }
                translation
            })
            .collect();
        let sockets = match MediaSockets::open(&self.registry.ports, services.config.media.address)
        {
            Ok(sockets) => sockets,
            Err(error) => {
                warn!(%error, "cannot open media sockets");
                return self.reject(503, error.to_string());
            }
        };
        let local_rtp = match services.config.sip.public_address {
            Some(public) => std::net::SocketAddr::new(public, sockets.rtp_address().port()),
            None => sockets.rtp_address(),
        };
        let bound_rtp = sockets.reachable_rtp_address();
        let id = CallId::new();
        let (sender, commands) = mpsc::channel(COMMAND_CAPACITY);
        let handle = CallHandle::new(id, sender);
        let setup = CallSetup {
            id,
            handle: handle.clone(),
            call,
            route,
            flow,
            translations,
            sockets,
            dialog,
            commands,
        };
        if let Err(error) = actor::validate(&setup) {
            warn!(%error, "cannot start call");
            return self.reject(488, error.to_string());
        }
        let ring_time = setup.route.ring_time;
        self.registry.calls.insert(id, handle.clone());
        services.metrics.active_calls.inc();
        tokio::spawn(actor::run(setup, self.registry.clone()));
        Admission::Accepted {
            local_rtp,
            bound_rtp,
            session: Box::new(handle),
            ring_time,
        }
    }
}
