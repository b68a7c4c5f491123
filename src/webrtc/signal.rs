//! What a browser and Hotline say over a leg's WebSocket, as JSON objects tagged by `type`.
//!
//! The browser always makes the offer (a caller when they press "call", an agent when they
//! answer a ring) and Hotline answers; candidates trickle from the browser, while Hotline's one
//! candidate is in its answer. `leg` numbers a desk's rings and calls; a caller's page has one
//! leg and may leave it out.

use serde::{Deserialize, Serialize};

/// A message from the browser.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum FromBrowser {
    /// A caller's offer: place the call.
    Offer {
        /// The SDP offer.
        sdp: String,
    },
    /// An agent answers a ring with this offer.
    Accept {
        /// The ring.
        leg: u64,
        /// The SDP offer.
        sdp: String,
    },
    /// An agent turns a ring down.
    Decline {
        /// The ring.
        leg: u64,
    },
    /// A trickled ICE candidate (`candidate:...`; empty at the end of candidates).
    Candidate {
        /// The leg it belongs to.
        #[serde(default)]
        leg: u64,
        /// The candidate line.
        candidate: String,
        /// The media section (ignored: a leg has one).
        #[serde(default, rename = "sdpMid")]
        sdp_mid: Option<String>,
        /// The media section's index (ignored).
        #[serde(default, rename = "sdpMLineIndex")]
        sdp_m_line_index: Option<u32>,
    },
    /// A key pressed on the page's keypad.
    Key {
        /// The leg.
        #[serde(default)]
        leg: u64,
        /// `0`-`9`, `*`, `#` or `A`-`D`.
        key: String,
    },
    /// The browser hangs up.
    Hangup {
        /// The leg.
        #[serde(default)]
        leg: u64,
    },
}

/// A message to the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToBrowser {
    /// Hotline's answer to the leg's offer.
    Answer {
        /// The leg.
        leg: u64,
        /// The SDP answer.
        sdp: String,
    },
    /// The call's reference, for the caller to quote.
    Call {
        /// The leg.
        leg: u64,
        /// Hotline's call ID.
        reference: String,
    },
    /// A call rings on the agent's browser phone.
    Ring {
        /// The ring's leg number, for `accept` or `decline`.
        leg: u64,
        /// Hotline's call ID (the desk's screen-pop has its context).
        call: String,
        /// The caller's number.
        caller: String,
        /// What the phone shows: the customer's name or number, and the skill group.
        display: String,
    },
    /// Media flows.
    Connected {
        /// The leg.
        leg: u64,
    },
    /// The leg is over.
    Ended {
        /// The leg.
        leg: u64,
        /// Why.
        reason: String,
    },
    /// A message could not be acted on.
    Error {
        /// What was wrong.
        message: String,
    },
}

/// A key the keypad may send: one of `0-9*#A-D`.
pub fn key_of(text: &str) -> Option<char> {
    let mut characters = text.chars();
    match (characters.next(), characters.next()) {
        (Some(key), None) if key.is_ascii_digit() || "*#ABCD".contains(key) => Some(key),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_as_browsers_send_them() {
        let candidate: FromBrowser = serde_json::from_str(
            r#"{"type":"candidate","candidate":"candidate:1 1 udp 1 10.0.0.1 5000 typ host","sdpMid":"0","sdpMLineIndex":0}"#,
        )
        .expect("candidate");
        assert!(matches!(candidate, FromBrowser::Candidate { leg: 0, .. }));
        let accept: FromBrowser =
            serde_json::from_str(r#"{"type":"accept","leg":3,"sdp":"v=0"}"#).expect("accept");
        assert_eq!(
            accept,
            FromBrowser::Accept {
                leg: 3,
                sdp: "v=0".to_string()
            }
        );
        assert!(serde_json::from_str::<FromBrowser>(r#"{"type":"offer"}"#).is_err());
        assert!(serde_json::from_str::<FromBrowser>(r#"{"type":"dial","sdp":""}"#).is_err());
        let ended = serde_json::to_string(&ToBrowser::Ended {
            leg: 1,
            reason: "bye".to_string(),
        })
        .expect("json");
        assert_eq!(ended, r#"{"type":"ended","leg":1,"reason":"bye"}"#);
    }

    #[test]
    fn only_keypad_keys_are_keys() {
        assert_eq!(key_of("5"), Some('5'));
        assert_eq!(key_of("#"), Some('#'));
        assert_eq!(key_of("55"), None);
        assert_eq!(key_of("x"), None);
        assert_eq!(key_of(""), None);
    }
}
