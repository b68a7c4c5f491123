//! The `[acd]` section and the `[[agents]]` list: skill groups, queue timing, and the agents who
//! may sign in, with their SIP digest credentials stored only as hashes.
//!
//! An agent's `password_ha1` is the RFC 2617 HA1, `MD5(name:realm:password)`, in hex (what
//! `hotline agents password NAME` prints). The registrar and the agent desk check passwords
//! against it, so no plaintext password is kept in the config or the database.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// Automatic call distribution: queues, ringing, wrap-up, the registrar's limits.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcdConfig {
    /// The digest realm agents authenticate in.
    #[serde(default = "default_realm")]
    pub realm: String,
    /// How long an agent's phone rings before the call moves on to the next agent.
    #[serde(
        deserialize_with = "crate::duration_text::deserialize",
        default = "default_ring_timeout"
    )]
    pub ring_timeout: Duration,
    /// How long an agent who answered has, after the brief, to accept (key 1 or the desk)
    /// before the call goes back to the queue.
    #[serde(
        deserialize_with = "crate::duration_text::deserialize",
        default = "default_accept_timeout"
    )]
    pub accept_timeout: Duration,
    /// Time after a call before the agent is offered the next one.
    #[serde(
        deserialize_with = "crate::duration_text::deserialize",
        default = "default_wrap_up"
    )]
    pub wrap_up: Duration,
    /// Music callers hear while they wait (relative to the config file's directory).
    #[serde(default)]
    pub hold_music: Option<PathBuf>,
    /// How often a waiting caller hears their position and the expected wait.
    #[serde(
        deserialize_with = "crate::duration_text::deserialize",
        default = "default_announce_every"
    )]
    pub announce_every: Duration,
    /// What a waiting caller hears every `announce_every`: `{position}` and `{wait}` are
    /// filled in ("3", "about 4 minutes").
    #[serde(default = "default_position_text")]
    pub position_text: String,
    /// The disposition codes agents choose from in their wrap-up.
    #[serde(default = "default_dispositions")]
    pub dispositions: Vec<String>,
    /// Said to the agent after the brief.
    #[serde(default = "default_accept_prompt")]
    pub accept_prompt: String,
    /// The key a waiting caller presses to leave a callback request instead of waiting.
    #[serde(default = "default_callback_key")]
    pub callback_key: char,
    /// Registration lifetime bounds, in seconds: shorter requests get 423, longer are cut.
    #[serde(default = "default_minimum_expiry")]
    pub minimum_expiry: u32,
    /// The longest registration granted, in seconds (also the default).
    #[serde(default = "default_maximum_expiry")]
    pub maximum_expiry: u32,
    /// Wrong passwords from one address before it is locked out for `lockout`.
    #[serde(default = "default_failed_logins")]
    pub failed_logins: u32,
    /// How long an address that guessed wrong too often is refused.
    #[serde(
        deserialize_with = "crate::duration_text::deserialize",
        default = "default_lockout"
    )]
    pub lockout: Duration,
    /// The handle time assumed for expected waits until calls have been measured.
    #[serde(
        deserialize_with = "crate::duration_text::deserialize",
        default = "default_assumed_handle_time"
    )]
    pub assumed_handle_time: Duration,
    /// Per-group settings (groups themselves come from the agents' skills).
    #[serde(default)]
    pub groups: Vec<GroupConfig>,
}

/// Settings of one skill group.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupConfig {
    /// The group's name, as in the agents' skills and the flows' transfers.
    pub name: String,
    /// After this long in the queue a caller moves to `overflow_to`.
    #[serde(
        default,
        deserialize_with = "crate::duration_text::deserialize_optional"
    )]
    pub overflow_after: Option<Duration>,
    /// The group callers overflow to.
    #[serde(default)]
    pub overflow_to: Option<String>,
}

/// One agent who may sign in.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentConfig {
    /// The SIP user name and desk login.
    pub name: String,
    /// Shown on desks and in briefs.
    #[serde(default)]
    pub display_name: Option<String>,
    /// `MD5(name:realm:password)` in lowercase hex.
    pub password_ha1: String,
    /// Skill level (1 to 5, 5 best) by group; none for someone who only supervises.
    #[serde(default)]
    pub skills: BTreeMap<String, u8>,
    /// May listen to, whisper into and barge into other agents' calls.
    #[serde(default)]
    pub supervisor: bool,
}

impl Default for AcdConfig {
    fn default() -> Self {
        AcdConfig {
            realm: default_realm(),
            ring_timeout: default_ring_timeout(),
            accept_timeout: default_accept_timeout(),
            wrap_up: default_wrap_up(),
            hold_music: None,
            announce_every: default_announce_every(),
            position_text: default_position_text(),
            accept_prompt: default_accept_prompt(),
            dispositions: default_dispositions(),
            callback_key: default_callback_key(),
            minimum_expiry: default_minimum_expiry(),
            maximum_expiry: default_maximum_expiry(),
            failed_logins: default_failed_logins(),
            lockout: default_lockout(),
            assumed_handle_time: default_assumed_handle_time(),
            groups: Vec::new(),
        }
    }
}

fn default_realm() -> String {
    "hotline".to_string()
}
fn default_ring_timeout() -> Duration {
    Duration::from_secs(15)
}
fn default_accept_timeout() -> Duration {
    Duration::from_secs(20)
}
fn default_wrap_up() -> Duration {
    Duration::from_secs(10)
}
fn default_announce_every() -> Duration {
    Duration::from_secs(30)
}
fn default_position_text() -> String {
    "You are number {position} in line. The expected wait is about {wait}.".to_string()
}
fn default_dispositions() -> Vec<String> {
    ["resolved", "follow_up", "escalated", "wrong_number"]
        .map(String::from)
        .to_vec()
}
fn default_accept_prompt() -> String {
    "Press 1 to take the call, or 2 to pass it on.".to_string()
}
fn default_callback_key() -> char {
    '9'
}
fn default_minimum_expiry() -> u32 {
    30
}
fn default_maximum_expiry() -> u32 {
    3600
}
fn default_failed_logins() -> u32 {
    5
}
fn default_assumed_handle_time() -> Duration {
    Duration::from_secs(180)
}
fn default_lockout() -> Duration {
    Duration::from_secs(60)
}

/// Checks what serde cannot: names, hashes, skill levels, group references and limits, each
/// reported on its line.
pub(super) fn check(
    config: &super::Config,
    path: &std::path::Path,
    text: &str,
) -> Result<(), super::ConfigError> {
    let invalid = |needle: &str, occurrence: usize, message: String| super::ConfigError::Invalid {
        path: path.to_path_buf(),
        line: text
            .match_indices(needle)
            .nth(occurrence)
            .map(|(offset, _)| crate::text::lines::line_of(text, offset))
            .unwrap_or(1),
        message,
    };
    let acd = &config.acd;
    for (setting, value) in [
        ("ring_timeout", acd.ring_timeout),
        ("accept_timeout", acd.accept_timeout),
        ("announce_every", acd.announce_every),
    ] {
        if value.is_zero() {
            return Err(invalid(
                setting,
                0,
                format!("[acd] {setting} must be above zero"),
            ));
        }
    }
    if !"0123456789*#".contains(acd.callback_key) {
        let message = format!(
            "[acd] callback_key {:?} is not a phone key",
            acd.callback_key
        );
        return Err(invalid("callback_key", 0, message));
    }
    if acd.minimum_expiry == 0 || acd.minimum_expiry > acd.maximum_expiry {
        let message = format!(
            "[acd] minimum_expiry ({}) must be above zero and at most maximum_expiry ({})",
            acd.minimum_expiry, acd.maximum_expiry
        );
        return Err(invalid("minimum_expiry", 0, message));
    }
    let mut groups = std::collections::BTreeSet::new();
    for (index, agent) in config.agents.iter().enumerate() {
        let needle = format!("\"{}\"", agent.name);
        let occurrence = config.agents[..index]
            .iter()
            .filter(|earlier| earlier.name == agent.name)
            .count();
        if occurrence > 0 {
            let message = format!("agent {:?} is defined twice", agent.name);
            return Err(invalid(&needle, occurrence, message));
        }
        let usable = !agent.name.is_empty()
            && agent
                .name
                .chars()
                .all(|character| character.is_ascii_alphanumeric() || "-_.".contains(character));
        if !usable {
            let message = format!("agent name {:?} is not a SIP user name", agent.name);
            return Err(invalid(&needle, 0, message));
        }
        let hash = &agent.password_ha1;
        if hash.len() != 32 || !hash.chars().all(|character| character.is_ascii_hexdigit()) {
            let message = format!(
                "agent {:?}: password_ha1 must be 32 hex digits (MD5 of name:realm:password; \
                 `hotline agents password {}` prints it)",
                agent.name, agent.name
            );
            return Err(invalid(hash, 0, message));
        }
        for (group, level) in &agent.skills {
            if !(1..=5).contains(level) {
                let message = format!(
                    "agent {:?}: skill level {level} for {group:?} must be 1 to 5",
                    agent.name
                );
                return Err(invalid(&needle, 0, message));
            }
            groups.insert(group.as_str());
        }
    }
    for settings in &acd.groups {
        let needle = format!("\"{}\"", settings.name);
        if !groups.contains(settings.name.as_str()) {
            let message = format!(
                "[[acd.groups]] {:?}: no agent has this skill",
                settings.name
            );
            return Err(invalid(&needle, 0, message));
        }
        match (&settings.overflow_to, settings.overflow_after) {
            (Some(target), Some(_)) => {
                if target == &settings.name || !groups.contains(target.as_str()) {
                    let message = format!(
                        "[[acd.groups]] {:?}: overflow_to {target:?} must be another group",
                        settings.name
                    );
                    return Err(invalid("overflow_to", 0, message));
                }
            }
            (None, None) => {}
            _ => {
                let message = format!(
                    "[[acd.groups]] {:?}: overflow_after and overflow_to go together",
                    settings.name
                );
                return Err(invalid(&needle, 0, message));
            }
        }
    }
    Ok(())
}
