//! Agent desk sign-in: passwords checked against the agent's stored HA1 (the same hash the
//! registrar uses, so one password serves phone and desk), random bearer tokens, and the same
//! lockout after repeated wrong passwords as the registrar.
//!
//! Invariants: no password is stored; a token names one agent and lapses after
//! [`SESSION_LIFETIME`] without use; a locked-out address is refused before any check.

use crate::ids::AgentId;
use crate::throttle::Throttle;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// A desk token unused this long lapses.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(12 * 3600);
/// Wrong desk passwords from one address before it is locked out.
const FAILED_LOGINS: u32 = 5;
/// How long such an address is refused.
const LOCKOUT: Duration = Duration::from_secs(60);

struct State {
    tokens: HashMap<String, (AgentId, Instant)>,
    throttle: Throttle<IpAddr>,
}

/// Signed-in desks.
#[derive(Clone)]
pub struct DeskSessions {
    state: Arc<Mutex<State>>,
}

impl Default for DeskSessions {
    fn default() -> Self {
        DeskSessions {
            state: Arc::new(Mutex::new(State {
                tokens: HashMap::new(),
                throttle: Throttle::new(FAILED_LOGINS, LOCKOUT),
            })),
        }
    }
}

/// Why a sign-in was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInRefusal {
    /// Wrong name or password.
    WrongCredentials,
    /// Too many wrong passwords from this address.
    LockedOut,
}

impl DeskSessions {
    fn state(&self) -> MutexGuard<'_, State> {
        // Plain maps: a panic elsewhere cannot leave them half-updated.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Checks a password against the agent's HA1 and issues a token.
    pub fn sign_in(
        &self,
        source: IpAddr,
        agent: &str,
        password: &str,
        stored: Option<(&str, &str)>,
    ) -> Result<String, SignInRefusal> {
        let now = Instant::now();
        let mut state = self.state();
        if state.throttle.is_locked(now, &source) {
            return Err(SignInRefusal::LockedOut);
        }
        let proven = stored.is_some_and(|(realm, ha1)| {
            let given = crate::sip::digest::ha1(agent, realm, password);
            crate::sip::digest::same_hash(&given, ha1)
        });
        if !proven {
            let locked = state.throttle.failed(now, source);
            tracing::warn!(%agent, %source, locked, "desk sign-in with a wrong password");
            return Err(if locked {
                SignInRefusal::LockedOut
            } else {
                SignInRefusal::WrongCredentials
            });
        }
        state.throttle.succeeded(&source);
        let token = format!("{:032x}", rand::random::<u128>());
        state
            .tokens
            .retain(|_, (_, used)| now.duration_since(*used) < SESSION_LIFETIME);
        state
            .tokens
            .insert(token.clone(), (AgentId::new(agent), now));
        Ok(token)
    }

    /// The agent a token belongs to; using it keeps it alive.
    pub fn agent(&self, token: &str) -> Option<AgentId> {
        let now = Instant::now();
        let mut state = self.state();
        let (agent, used) = state.tokens.get_mut(token)?;
        if now.duration_since(*used) >= SESSION_LIFETIME {
            state.tokens.remove(token);
            return None;
        }
        *used = now;
        Some(agent.clone())
    }

    /// Whether `source` is locked out after wrong passwords (desk or user sign-ins).
    pub fn is_locked(&self, source: IpAddr) -> bool {
        self.state().throttle.is_locked(Instant::now(), &source)
    }

    /// Counts a wrong password from `source`; true when it is now locked out.
    pub fn failed(&self, source: IpAddr) -> bool {
        self.state().throttle.failed(Instant::now(), source)
    }

    /// Clears `source`'s wrong passwords after a right one.
    pub fn succeeded(&self, source: IpAddr) {
        self.state().throttle.succeeded(&source);
    }

    /// Ends a desk session.
    pub fn sign_out(&self, token: &str) {
        self.state().tokens.remove(token);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_right_password_gives_a_token_and_wrong_ones_lock_out() {
        let sessions = DeskSessions::default();
        let source: IpAddr = "127.0.0.1".parse().unwrap();
        let ha1 = crate::sip::digest::ha1("agent1", "hotline", "secret");
        let stored = Some(("hotline", ha1.as_str()));
        let token = sessions
            .sign_in(source, "agent1", "secret", stored)
            .expect("signed in");
        assert_eq!(sessions.agent(&token), Some(AgentId::new("agent1")));
        sessions.sign_out(&token);
        assert_eq!(sessions.agent(&token), None);
        assert_eq!(
            sessions.sign_in(source, "nobody", "secret", None),
            Err(SignInRefusal::WrongCredentials)
        );
        for _ in 0..3 {
            let _ = sessions.sign_in(source, "agent1", "guess", stored);
        }
        assert_eq!(
            sessions.sign_in(source, "agent1", "guess", stored),
            Err(SignInRefusal::LockedOut)
        );
        assert_eq!(
            sessions.sign_in(source, "agent1", "secret", stored),
            Err(SignInRefusal::LockedOut)
        );
    }
}
