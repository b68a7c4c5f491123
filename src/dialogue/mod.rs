//! Call flows and what the caller's words mean, in four parts that import downwards only:
//!
//! * `language` (language understanding): transcripts, spoken numbers, slots, intents, the
//!   knowledge base and sentiment, pure functions over text and embeddings;
//! * `flow_file` (the flow-file format): `*.flow.toml` text turned into a validated [`Flow`],
//!   every problem reported as `file:line: message`;
//! * `engine`: runs a flow for one call or chat; the driver feeds it events and timeouts and
//!   executes the actions it emits. It never reads the clock, sleeps or does I/O;
//! * `loader`: the only I/O here. It finds and reads flow, intents, knowledge and labelled
//!   files and hands their text to the pure parsers.

mod engine;
pub mod flow_file;
pub mod language;
pub mod loader;

pub use engine::summary::{ConversationSummary, Handover, LookupNote, Party, SummaryLine};
pub use engine::{FlowAction, FlowEngine, FlowEvent, TransferOutcome};
pub use flow_file::context::Reference;
pub use flow_file::error::{FlowError, Problem, Severity};
pub use flow_file::hours::{Hours, Window};
pub use flow_file::model::{
    Answers, Ask, AskInput, Collect, Escalation, Flow, FlowSet, InputPolicy, IntentStep, Lookup,
    Menu, Message, Priority, Step, StepKind, Transfer,
};
pub use flow_file::parse::SCHEMA_VERSION;
pub use flow_file::published::PublishedFlows;
pub use flow_file::template::Text;
pub use language::meaning::Meaning;
pub use language::sentiment::{NEGATIVE_THRESHOLD, sentiment};
pub use language::slots::{SlotError, SlotKind};
pub use language::speech::spoken_digits_of;
pub use language::understander::{Understander, UnderstandingFiles};
pub use loader::{FLOW_FILE_SUFFIX, LoadedFlow, check_flows, load_flow_source, load_flows};
