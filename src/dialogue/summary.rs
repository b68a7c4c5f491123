//! What a person taking over a conversation needs: the hand-over an escalation or transfer step
//! produces, with a summary of everything so far (intent, details, transcript, lookups, what was
//! tried) and a one-sentence brief to speak to the agent.

use std::collections::BTreeMap;

use serde::Serialize;

use super::model::Priority;

/// A request to hand the caller to a person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Handover {
    /// The skill group.
    pub group: String,
    /// How urgently.
    pub priority: Priority,
    /// Why, in words.
    pub reason: String,
    /// The conversation so far.
    pub summary: ConversationSummary,
}

/// The conversation so far, for the agent's screen and the call record.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ConversationSummary {
    /// What the conversation is about: the last intent understood (other than asking for a
    /// person or complaining).
    pub intent: Option<String>,
    /// Every intent understood, in order.
    pub intents: Vec<String>,
    /// Every variable: slots, answers, lookup results.
    pub details: BTreeMap<String, String>,
    /// Both sides of the conversation, in order.
    pub transcript: Vec<SummaryLine>,
    /// Every backend lookup and how it ended.
    pub lookups: Vec<LookupNote>,
    /// What did not work on the way (no matches, failed lookups, escalation triggers).
    pub tried: Vec<String>,
    /// One sentence for the agent, e.g. "VIP caller about refund status (order number 12345);
    /// said: 'I returned it two weeks ago'".
    pub brief: String,
}

/// Who said a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// The caller or chat user.
    Customer,
    /// Hotline.
    Hotline,
}

/// One line of the conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SummaryLine {
    /// Who said it.
    pub party: Party,
    /// What was said.
    pub text: String,
}

/// One backend lookup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LookupNote {
    /// The lookup step.
    pub step: String,
    /// Method and URL, e.g. "GET http://…/orders/12345".
    pub request: String,
    /// "found", "not found" or "failed: …".
    pub outcome: String,
}

/// The brief an agent hears before being connected.
pub fn brief(
    priority: Priority,
    intent: Option<&str>,
    details: &[(&str, &str)],
    last_said: Option<&str>,
    reason: &str,
) -> String {
    let who = match priority {
        Priority::Vip => "VIP caller",
        Priority::Raised => "Priority caller",
        Priority::Normal => "Caller",
    };
    let mut brief = who.to_string();
    if let Some(intent) = intent {
        brief.push_str(" about ");
        brief.push_str(&intent.replace('_', " "));
    }
    if !details.is_empty() {
        let listed: Vec<String> = details
            .iter()
            .map(|(name, value)| format!("{} {value}", name.replace('_', " ")))
            .collect();
        brief.push_str(&format!(" ({})", listed.join(", ")));
    }
    brief.push_str(&format!("; {reason}"));
    if let Some(said) = last_said {
        brief.push_str(&format!("; said: '{said}'"));
    }
    brief
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brief_names_priority_topic_details_reason_and_last_words() {
        assert_eq!(
            brief(
                Priority::Vip,
                Some("refund_status"),
                &[("order_number", "12345")],
                Some("I returned it two weeks ago"),
                "the caller asked for a person",
            ),
            "VIP caller about refund status (order number 12345); the caller asked for a person; \
             said: 'I returned it two weeks ago'"
        );
        assert_eq!(
            brief(Priority::Normal, None, &[], None, "billing issue"),
            "Caller; billing issue"
        );
    }
}
