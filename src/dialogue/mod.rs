//! Call flows: the flow file format, its loader and validator, and the sans-IO engine that runs
//! a flow for one call.
//!
//! * `loader` (the only I/O here) finds `*.flow.toml` files and checks prompt files exist;
//! * `parse`, `steps`, `ask`, `speech_keys`, `template`, `graph` turn file text into a validated
//!   [`Flow`], reporting every problem as `file:line: message`;
//! * `engine` runs a flow: the call actor feeds it events and timeouts and executes the actions it
//!   emits, including what to do with transcripts of what the caller said (`speech` reads
//!   them). The engine never reads the clock, sleeps or does I/O; time comes in as arguments.

mod ask;
mod context;
mod engine;
mod error;
mod graph;
mod hours;
mod intent_step;
pub mod intents;
pub mod knowledge;
mod lexicon;
mod loader;
pub mod lookup;
mod lookup_step;
mod meaning;
mod model;
mod parse;
mod published;
pub mod sentiment;
pub mod slots;
mod speech;
mod speech_keys;
mod spoken_numbers;
mod steps;
mod summary;
mod template;
mod transfer_step;
mod understander;
mod values;

#[cfg(test)]
mod ask_check_tests;
#[cfg(test)]
mod ask_tests;
#[cfg(test)]
mod barge_in_tests;
#[cfg(test)]
mod conversation_check_tests;
#[cfg(test)]
mod conversation_tests;
#[cfg(test)]
mod demo_tests;
#[cfg(test)]
mod engine_tests;
#[cfg(test)]
mod loader_tests;
#[cfg(test)]
mod say_tests;
#[cfg(test)]
mod simulated_call;
#[cfg(test)]
mod speech_tests;

pub use context::Reference;
pub use engine::{FlowAction, FlowEngine, FlowEvent, TransferOutcome};
pub use error::{FlowError, Problem, Severity};
pub use hours::{Hours, Window};
pub use loader::{FLOW_FILE_SUFFIX, LoadedFlow, check_flows, load_flow_source, load_flows};
pub use meaning::Meaning;
pub use model::{
    Answers, Ask, AskInput, Collect, Escalation, Flow, FlowSet, InputPolicy, IntentStep, Lookup,
    Menu, Message, Priority, Step, StepKind, Transfer,
};
pub use parse::SCHEMA_VERSION;
pub use published::PublishedFlows;
pub use sentiment::{NEGATIVE_THRESHOLD, sentiment};
pub use slots::{SlotError, SlotKind};
pub use speech::spoken_digits_of;
pub use summary::{ConversationSummary, Handover, LookupNote, Party, SummaryLine};
pub use template::Text;
pub use understander::{Understander, UnderstandingFiles};
