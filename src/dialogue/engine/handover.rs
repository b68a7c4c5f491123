//! Escalation and transfer: the policy's triggers (a request for a person, a complaint or
//! negative sentiment, too many not-understood turns in a row), VIP priority, and the hand-over
//! a transfer step sends with the conversation summary.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::conversation::PendingEscalation;
use super::summary::{BriefFacts, ConversationSummary, Handover, brief};
use super::{FlowAction, FlowEngine, TransferOutcome, kind_of};
use crate::dialogue::flow_file::model::{Priority, StepKind};
use crate::dialogue::language::sentiment::sentiment;

impl FlowEngine {
    /// Notes the intent of the last utterance in the conversation. Asking for a person or
    /// complaining is not a topic; another intent the same words name ("someone about my
    /// refund") is.
    pub(super) fn note_intent(&mut self) {
        let Some(meaning) = self.meaning.as_ref() else {
            return;
        };
        let Some(intent) = meaning.intent.clone() else {
            return;
        };
        let is_topic = |name: &String| {
            self.flow.escalation.as_ref().is_none_or(|escalation| {
                !escalation.human_intents.contains(name)
                    && !escalation.complaint_intents.contains(name)
            })
        };
        let topic = std::iter::once(&intent)
            .chain(&meaning.also)
            .find(|name| is_topic(name))
            .cloned();
        if let Some(topic) = topic {
            self.conversation.topic = Some(topic);
        }
        self.conversation.intents.push(intent);
    }

    /// The trigger the last utterance fires, if any: a request for a person or a complaint
    /// (by intent or sentiment). `not_understood` says whether the step failed to use it, which
    /// counts towards the not-understood limit.
    pub(super) fn escalation_trigger(&mut self, not_understood: bool) -> Option<PendingEscalation> {
        let escalation = self.flow.escalation.as_ref()?;
        let meaning = self.meaning.as_ref();
        let intent = meaning.and_then(|meaning| meaning.intent.as_deref());
        if let Some(intent) = intent {
            if escalation.human_intents.iter().any(|name| name == intent) {
                return Some(PendingEscalation {
                    reason: "the caller asked for a person".into(),
                    priority: Priority::Normal,
                });
            }
            if escalation
                .complaint_intents
                .iter()
                .any(|name| name == intent)
            {
                return Some(PendingEscalation {
                    reason: "the caller has a complaint".into(),
                    priority: Priority::Raised,
                });
            }
        }
        if let Some(limit) = escalation.negative_sentiment
            && sentiment(&self.heard) <= limit
        {
            return Some(PendingEscalation {
                reason: "the caller sounds upset".into(),
                priority: Priority::Raised,
            });
        }
        if !not_understood {
            self.conversation.no_matches = 0;
            return None;
        }
        self.conversation.no_matches += 1;
        let limit = escalation.no_matches;
        (limit > 0 && self.conversation.no_matches >= limit).then(|| PendingEscalation {
            reason: format!("not understood {limit} times in a row"),
            priority: Priority::Normal,
        })
    }

    /// Sends the conversation to the escalation step.
    pub(super) fn escalate(&mut self, wall: DateTime<Utc>, pending: PendingEscalation) {
        let Some(step) = self
            .flow
            .escalation
            .as_ref()
            .map(|policy| policy.step.clone())
        else {
            return;
        };
        self.conversation
            .tried
            .push(format!("escalated: {}", pending.reason));
        self.conversation.pending = Some(pending);
        self.conversation.no_matches = 0;
        self.barge_in();
        self.go_to(step, wall);
    }

    /// Asks the driver to hand the caller over, once the transfer step's message has played.
    pub(super) fn request_transfer(&mut self) {
        let flow = Arc::clone(&self.flow);
        let Some(StepKind::Transfer(transfer)) = kind_of(&flow, self.step.as_ref()) else {
            return;
        };
        let pending = self.conversation.pending.take();
        let escalation = flow.escalation.as_ref();
        let group = transfer.group.clone().unwrap_or_else(|| {
            let by_topic = escalation.zip(self.conversation.topic.as_ref());
            by_topic
                .and_then(|(policy, topic)| policy.groups.get(topic).cloned())
                .or_else(|| escalation.map(|policy| policy.default_group.clone()))
                .unwrap_or_default()
        });
        let vip = escalation
            .and_then(|policy| policy.vip_variable.as_ref())
            .and_then(|variable| self.variables.get(variable))
            .is_some_and(|value| value == "true");
        let mut priority = transfer.priority;
        if let Some(pending) = &pending {
            priority = priority.max(pending.priority);
        }
        if vip {
            priority = Priority::Vip;
        }
        let reason = match pending {
            Some(pending) => pending.reason,
            None => transfer
                .reason
                .render(|name| self.variables.get(name).map(String::as_str)),
        };
        let details: Vec<(&str, &str)> = self
            .conversation
            .stated
            .iter()
            .filter_map(|name| Some((name.as_str(), self.variables.get(name)?.as_str())))
            .collect();
        let customer_name = escalation
            .and_then(|policy| policy.name_variable.as_ref())
            .and_then(|variable| self.variables.get(variable))
            .filter(|name| !name.trim().is_empty())
            .cloned();
        let brief = brief(BriefFacts {
            priority: Some(priority),
            name: customer_name.as_deref(),
            intent: self.conversation.topic.as_deref(),
            details: &details,
            last_said: self.conversation.last_said(),
            reason: &reason,
            language: self.flow.language,
        });
        let summary = ConversationSummary {
            intent: self.conversation.topic.clone(),
            intents: self.conversation.intents.clone(),
            details: self
                .variables
                .iter()
                .filter(|(name, value)| !value.is_empty() && name.as_str() != "server")
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect(),
            transcript: self.conversation.transcript.clone(),
            lookups: self.conversation.lookups.clone(),
            tried: self.conversation.tried.clone(),
            brief,
        };
        self.actions
            .push_back(FlowAction::Transfer(Box::new(Handover {
                group,
                priority,
                reason,
                customer_name,
                summary,
            })));
    }

    /// The transfer is over with the caller still there: the flow goes on where the step says,
    /// or the call ends.
    pub(super) fn transfer_ended(&mut self, wall: DateTime<Utc>, outcome: TransferOutcome) {
        let flow = Arc::clone(&self.flow);
        let Some(StepKind::Transfer(transfer)) = kind_of(&flow, self.step.as_ref()) else {
            return;
        };
        let next = match outcome {
            TransferOutcome::Completed => transfer.next.clone(),
            TransferOutcome::Callback => transfer.on_callback.clone(),
            TransferOutcome::Returned { step } => step
                .filter(|step| flow.steps.contains_key(step))
                .or_else(|| transfer.on_return.clone())
                .or_else(|| Some(flow.start.clone())),
        };
        match next {
            Some(step) => self.go_to(step, wall),
            None => self.hang_up("the agent call ended".to_string()),
        }
    }

    /// Whether the transfer step the flow waits in lets the caller ask for a callback.
    pub fn transfer_offers_callback(&self) -> bool {
        matches!(
            kind_of(&self.flow, self.step.as_ref()),
            Some(StepKind::Transfer(transfer)) if transfer.on_callback.is_some()
        )
    }

    /// Nobody could take the transfer: the flow continues at the step's `on_unavailable`.
    pub(super) fn transfer_failed(&mut self, wall: DateTime<Utc>, reason: String) {
        let flow = Arc::clone(&self.flow);
        let Some(StepKind::Transfer(transfer)) = kind_of(&flow, self.step.as_ref()) else {
            return;
        };
        self.conversation
            .tried
            .push(format!("transfer failed: {reason}"));
        self.go_to(transfer.on_unavailable.clone(), wall);
    }
}
