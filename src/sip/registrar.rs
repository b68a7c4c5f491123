//! The registrar and location service, sans-IO: agents REGISTER their softphones' contacts with
//! digest authentication against their stored HA1, and calls to an agent find those contacts.
//!
//! Invariants: a binding exists only for a configured agent who proved their password; every
//! binding expires (between the configured minimum and maximum) unless refreshed; a refresh from
//! the same Call-ID with an older CSeq changes nothing; wrong passwords count against the source
//! address, and a locked-out address is refused before any check. Changes in an agent's number of
//! contacts are reported once each through [`Registrar::poll_change`].

use super::digest::{self, NonceCheck, Nonces};
use crate::throttle::Throttle;
use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

/// Limits of the registrar.
#[derive(Debug, Clone)]
pub struct RegistrarSettings {
    /// The digest realm.
    pub realm: String,
    /// Shortest registration accepted (seconds); shorter ones get 423.
    pub minimum_expiry: u32,
    /// Longest registration granted (seconds), also the default.
    pub maximum_expiry: u32,
    /// Wrong passwords before a source is locked out.
    pub failed_logins: u32,
    /// How long a locked-out source is refused.
    pub lockout: Duration,
}

/// A REGISTER request as the registrar needs it.
#[derive(Debug, Clone)]
pub struct RegisterRequest {
    /// The user part of the To URI: whose bindings these are.
    pub user: String,
    /// The raw `Authorization` header, if any.
    pub authorization: Option<String>,
    /// The Contact headers; empty to ask for the current bindings.
    pub contacts: Vec<RequestedContact>,
    /// `Contact: *` (remove every binding; needs `Expires: 0`).
    pub wildcard: bool,
    /// The `Expires` header.
    pub expires: Option<u32>,
    /// The Call-ID.
    pub call_id: String,
    /// The CSeq number.
    pub sequence: u32,
    /// Where the request came from (where the agent is reached, behind NAT too).
    pub source: SocketAddr,
    /// `UDP`, `TCP` or `WS`.
    pub transport: String,
}

/// One Contact of a REGISTER.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestedContact {
    /// The contact URI, without angle brackets.
    pub uri: String,
    /// Its `expires` parameter.
    pub expires: Option<u32>,
}

/// A registered contact of an agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// The contact URI.
    pub uri: String,
    /// The address the registration came from.
    pub source: SocketAddr,
    /// The transport it came over.
    pub transport: String,
    /// When it lapses.
    pub expires_at: Instant,
    /// When it was last refreshed.
    pub refreshed_at: Instant,
    call_id: String,
    sequence: u32,
}

impl Binding {
    /// Where requests for this contact go. Over TCP or WebSocket: the connection the
    /// registration came over (a browser cannot be connected to). Over UDP: the contact's own
    /// address, unless its IP is not the one the registration came from (the phone is behind
    /// NAT and wrote its private address), then the source the registration came from.
    pub fn target(&self) -> SocketAddr {
        if self.transport != "UDP" {
            return self.source;
        }
        match contact_address(&self.uri) {
            Some(contact) if contact.ip() == self.source.ip() => contact,
            _ => self.source,
        }
    }
}

/// The host and port of a SIP contact URI when the host is an IP address (port 5060 when
/// none is written).
fn contact_address(uri: &str) -> Option<SocketAddr> {
    let rest = uri
        .strip_prefix("sip:")
        .or_else(|| uri.strip_prefix("sips:"))?;
    let host_port = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    let host_port = host_port.split([';', '?', '>']).next()?;
    if let Ok(address) = host_port.parse::<SocketAddr>() {
        return Some(address);
    }
    host_port
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        .ok()
        .map(|ip| SocketAddr::new(ip, 5060))
}

/// The registrar's answer to a REGISTER.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterReply {
    /// 401 with this `WWW-Authenticate` value.
    Challenge(String),
    /// 200 with these contacts and their remaining seconds.
    Registered(Vec<(String, u32)>),
    /// 423 Interval Too Brief with this `Min-Expires`.
    IntervalTooBrief(u32),
    /// A final error: status and reason.
    Refused {
        /// 400, 403...
        status: u16,
        /// Why (sent in a Warning header and logged).
        reason: String,
    },
}

/// An agent's number of registered contacts changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationChange {
    /// The agent.
    pub agent: String,
    /// Contacts now registered (0: unreachable).
    pub contacts: usize,
}

/// Agents' credentials and registered contacts.
#[derive(Debug)]
pub struct Registrar {
    settings: RegistrarSettings,
    credentials: HashMap<String, String>,
    bindings: HashMap<String, Vec<Binding>>,
    nonces: Nonces,
    started: Instant,
    throttle: Throttle<IpAddr>,
    changes: VecDeque<RegistrationChange>,
}

impl Registrar {
    /// A registrar for agents given as (name, HA1) pairs; `secret` keys its nonces.
    pub fn new(
        settings: RegistrarSettings,
        credentials: impl IntoIterator<Item = (String, String)>,
        secret: [u8; 32],
        now: Instant,
    ) -> Registrar {
        let throttle = Throttle::new(settings.failed_logins, settings.lockout);
        Registrar {
            settings,
            credentials: credentials
                .into_iter()
                .map(|(name, ha1)| (name, ha1.to_ascii_lowercase()))
                .collect(),
            bindings: HashMap::new(),
            nonces: Nonces::new(secret),
            started: now,
            throttle,
            changes: VecDeque::new(),
        }
    }

    fn seconds(&self, now: Instant) -> u64 {
        now.duration_since(self.started).as_secs()
    }

    fn challenge(&self, now: Instant, stale: bool) -> RegisterReply {
        let nonce = self.nonces.issue(self.seconds(now));
        let mut header = format!(
            "Digest realm=\"{}\", nonce=\"{nonce}\", algorithm=MD5, qop=\"auth\"",
            self.settings.realm
        );
        if stale {
            header.push_str(", stale=true");
        }
        RegisterReply::Challenge(header)
    }

    fn refused(status: u16, reason: &str) -> RegisterReply {
        RegisterReply::Refused {
            status,
            reason: reason.to_string(),
        }
    }

    /// Authenticates and applies a REGISTER.
    pub fn handle_register(&mut self, now: Instant, request: &RegisterRequest) -> RegisterReply {
        let source = request.source.ip();
        if self.throttle.is_locked(now, &source) {
            return Self::refused(403, "too many failed attempts, try again later");
        }
        let Some(header) = &request.authorization else {
            return self.challenge(now, false);
        };
        let response = match digest::parse_authorization(header) {
            Ok(response) => response,
            Err(error) => return Self::refused(400, &error.to_string()),
        };
        if response.realm != self.settings.realm {
            return self.challenge(now, false);
        }
        match self.nonces.check(&response.nonce, self.seconds(now)) {
            NonceCheck::Fresh => {}
            NonceCheck::Stale => return self.challenge(now, true),
            NonceCheck::Forged => return self.challenge(now, false),
        }
        let known = self.credentials.get(&response.username);
        let proven = known.is_some_and(|ha1| digest::verify(&response, ha1, "REGISTER"));
        if !proven || response.username != request.user {
            let locked = self.throttle.failed(now, source);
            let reason = if locked {
                "wrong credentials; too many failed attempts, try again later"
            } else {
                "wrong credentials"
            };
            return Self::refused(403, reason);
        }
        self.throttle.succeeded(&source);
        self.apply(now, request)
    }

    fn apply(&mut self, now: Instant, request: &RegisterRequest) -> RegisterReply {
        let before = self.contact_count(&request.user);
        if request.wildcard {
            if request.expires != Some(0) || !request.contacts.is_empty() {
                return Self::refused(400, "Contact: * needs Expires: 0 and no other contact");
            }
            self.bindings.remove(&request.user);
        } else {
            for contact in &request.contacts {
                let asked = contact
                    .expires
                    .or(request.expires)
                    .unwrap_or(self.settings.maximum_expiry);
                if asked != 0 && asked < self.settings.minimum_expiry {
                    return RegisterReply::IntervalTooBrief(self.settings.minimum_expiry);
                }
            }
            let maximum = self.settings.maximum_expiry;
            let bindings = self.bindings.entry(request.user.clone()).or_default();
            for contact in &request.contacts {
                let asked = contact.expires.or(request.expires).unwrap_or(maximum);
                let existing = bindings
                    .iter()
                    .position(|binding| binding.uri == contact.uri);
                if let Some(index) = existing {
                    let binding = &bindings[index];
                    if binding.call_id == request.call_id && binding.sequence >= request.sequence {
                        continue;
                    }
                    bindings.remove(index);
                }
                if asked == 0 {
                    continue;
                }
                bindings.push(Binding {
                    uri: contact.uri.clone(),
                    source: request.source,
                    transport: request.transport.clone(),
                    expires_at: now + Duration::from_secs(u64::from(asked.min(maximum))),
                    refreshed_at: now,
                    call_id: request.call_id.clone(),
                    sequence: request.sequence,
                });
            }
            if bindings.is_empty() {
                self.bindings.remove(&request.user);
            }
        }
        self.note_change(&request.user, before);
        RegisterReply::Registered(
            self.contacts(&request.user)
                .iter()
                .map(|binding| {
                    let left = binding.expires_at.saturating_duration_since(now).as_secs();
                    (binding.uri.clone(), u32::try_from(left).unwrap_or(u32::MAX))
                })
                .collect(),
        )
    }

    fn contact_count(&self, agent: &str) -> usize {
        self.bindings.get(agent).map_or(0, Vec::len)
    }

    fn note_change(&mut self, agent: &str, before: usize) {
        let contacts = self.contact_count(agent);
        if contacts != before {
            self.changes.push_back(RegistrationChange {
                agent: agent.to_string(),
                contacts,
            });
        }
    }

    /// The agent's registered contacts, most recently refreshed last.
    pub fn contacts(&self, agent: &str) -> &[Binding] {
        self.bindings.get(agent).map_or(&[], Vec::as_slice)
    }

    /// The contact to call an agent on: the most recently refreshed one.
    pub fn best_contact(&self, agent: &str) -> Option<&Binding> {
        self.contacts(agent)
            .iter()
            .max_by_key(|binding| binding.refreshed_at)
    }

    /// When the next binding lapses.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.bindings
            .values()
            .flatten()
            .map(|binding| binding.expires_at)
            .min()
    }

    /// Drops the bindings that lapsed by `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        let agents: Vec<String> = self.bindings.keys().cloned().collect();
        for agent in agents {
            let before = self.contact_count(&agent);
            if let Some(bindings) = self.bindings.get_mut(&agent) {
                bindings.retain(|binding| binding.expires_at > now);
                if bindings.is_empty() {
                    self.bindings.remove(&agent);
                }
            }
            self.note_change(&agent, before);
        }
    }

    /// The next change in an agent's number of contacts.
    pub fn poll_change(&mut self) -> Option<RegistrationChange> {
        self.changes.pop_front()
    }
}

#[cfg(test)]
#[path = "registrar_tests.rs"]
mod tests;
