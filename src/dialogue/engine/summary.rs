//! What a person taking over a conversation needs: the hand-over an escalation or transfer step
//! produces, with a summary of everything so far (intent, details, transcript, lookups, what was
//! tried) and a one-sentence brief to speak to the agent.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::dialogue::flow_file::model::Priority;
use crate::language::Language;

/// A request to hand the caller to a person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Handover {
    /// The skill group.
    pub group: String,
    /// How urgently.
    pub priority: Priority,
    /// Why, in words.
    pub reason: String,
    /// The customer's name, when the flow knows it.
    pub customer_name: Option<String>,
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

/// What the brief is made of.
#[derive(Debug, Clone, Copy, Default)]
pub struct BriefFacts<'a> {
    /// How urgent the caller is.
    pub priority: Option<Priority>,
    /// The customer's name, when known.
    pub name: Option<&'a str>,
    /// What the conversation is about.
    pub intent: Option<&'a str>,
    /// Details the caller stated (slot name, value).
    pub details: &'a [(&'a str, &'a str)],
    /// The caller's last words.
    pub last_said: Option<&'a str>,
    /// Why the caller is handed over.
    pub reason: &'a str,
    /// The language the brief is spoken in: the caller's.
    pub language: Language,
}

/// The words a brief is put together with, in one language.
struct BriefWords {
    vip: &'static str,
    priority: &'static str,
    caller: &'static str,
    about: &'static str,
    open: &'static str,
    comma: &'static str,
    close: &'static str,
    separator: &'static str,
    said: (&'static str, &'static str),
}

const ENGLISH: BriefWords = BriefWords {
    vip: "VIP caller",
    priority: "Priority caller",
    caller: "Caller",
    about: " about ",
    open: " (",
    comma: ", ",
    close: ")",
    separator: "; ",
    said: ("said: '", "'"),
};

const MANDARIN: BriefWords = BriefWords {
    vip: "VIP来电人",
    priority: "优先来电人",
    caller: "来电人",
    about: "，咨询",
    open: "（",
    comma: "，",
    close: "）",
    separator: "；",
    said: ("原话：“", "”"),
};

/// The brief an agent hears before being connected.
pub fn brief(facts: BriefFacts<'_>) -> String {
    let BriefFacts {
        priority,
        name,
        intent,
        details,
        last_said,
        reason,
        language,
    } = facts;
    let words = match language {
        Language::English => &ENGLISH,
        Language::Mandarin => &MANDARIN,
    };
    let mut brief = match priority.unwrap_or(Priority::Normal) {
        Priority::Vip => words.vip,
        Priority::Raised => words.priority,
        Priority::Normal => words.caller,
    }
    .to_string();
    if let Some(name) = name.filter(|name| !name.trim().is_empty()) {
        brief.push(' ');
        brief.push_str(name.trim());
    }
    if let Some(intent) = intent {
        brief.push_str(words.about);
        brief.push_str(&intent.replace('_', " "));
    }
    if !details.is_empty() {
        let listed: Vec<String> = details
            .iter()
            .map(|(name, value)| format!("{} {value}", name.replace('_', " ")))
            .collect();
        brief.push_str(words.open);
        brief.push_str(&listed.join(words.comma));
        brief.push_str(words.close);
    }
    brief.push_str(words.separator);
    brief.push_str(reason);
    if let Some(said) = last_said {
        brief.push_str(words.separator);
        brief.push_str(words.said.0);
        brief.push_str(said);
        brief.push_str(words.said.1);
    }
    brief
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brief_names_priority_topic_details_reason_and_last_words() {
        assert_eq!(
            brief(BriefFacts {
                priority: Some(Priority::Vip),
                name: Some("Dana Lee"),
                intent: Some("refund_status"),
                details: &[("order_number", "12345")],
                last_said: Some("I returned it two weeks ago"),
                reason: "the caller asked for a person",
                language: Language::English,
            }),
            "VIP caller Dana Lee about refund status (order number 12345); the caller asked for a \
             person; said: 'I returned it two weeks ago'"
        );
        assert_eq!(
            brief(BriefFacts {
                reason: "billing issue",
                ..BriefFacts::default()
            }),
            "Caller; billing issue"
        );
        assert_eq!(
            brief(BriefFacts {
                priority: Some(Priority::Vip),
                name: Some("李娜"),
                intent: Some("refund_status"),
                details: &[("order_number", "12345")],
                last_said: Some("我两周前就退货了"),
                reason: "来电人要求转人工",
                language: Language::Mandarin,
            }),
            "VIP来电人 李娜，咨询refund status（order number 12345）；来电人要求转人工；原话：“我两周前就退货了”"
        );
    }
}
