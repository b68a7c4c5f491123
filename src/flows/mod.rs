//! The flow library admins work on from the designer: versions of each flow's files, checked
//! with the same checks as `hotline flows check`, saved, compared, published while calls run,
//! rolled back, and tried out before they are published.
//!
//! * `files`: where a flow's files live, reading and writing them;
//! * `check`: a draft's problems, by file, line and step (`problem`);
//! * `draft`: the designer's edits to TOML text, the text as JSON, the step graph;
//! * `diff`: line differences between two versions;
//! * `publisher`: saving, publishing (a new [`crate::dialogue::PublishedFlows`] set; calls in
//!   progress keep the flow they started with), rollback and trials.

mod check;
mod diff;
mod draft;
mod error;
mod files;
mod problem;
mod publisher;

pub use check::{Checked, check};
pub use diff::{DiffLine, FileDiff, diff};
pub use draft::{Edit, EditError, Graph, apply_edits, document, graph};
pub use error::PublishError;
pub use files::{FlowPlace, valid_flow_name};
pub use problem::FileProblem;
pub use publisher::{FlowPublisher, PublisherSetup};
