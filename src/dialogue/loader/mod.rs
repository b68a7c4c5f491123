//! Reading a flow directory from disk: the only part of the dialogue module that does I/O.
//!
//! * `flows` finds and parses every `*.flow.toml` and checks its prompt files;
//! * `understanding` finds and reads the intents files, the knowledge articles beside them and
//!   labelled sets, handing their text to the pure parsers of `language`.

mod flows;
mod understanding;

pub use flows::{FLOW_FILE_SUFFIX, LoadedFlow, check_flows, load_flow_source, load_flows};
pub use understanding::{
    check_knowledge, intents_files, knowledge_directories, knowledge_directory_of, knowledge_files,
    read_intents, read_knowledge, read_labelled,
};
