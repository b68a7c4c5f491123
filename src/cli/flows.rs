//! `hotline flows check [DIR]`: flow files, intents files and knowledge articles (every
//! `knowledge/` directory under DIR).

use crate::dialogue::check_flows;
use crate::dialogue::loader::{
    check_knowledge, intents_files, knowledge_directories, read_intents,
};
use std::path::Path;
use std::process::ExitCode;

/// Prints every problem as `file:line: message`; exit 1 when any is an error.
pub fn check(directory: &Path) -> ExitCode {
    let problems = check_flows(directory);
    let mut errors = problems.iter().filter(|problem| problem.is_error()).count();
    for problem in &problems {
        println!("{problem}");
    }
    for file in intents_files(directory) {
        if let Err(error) = read_intents(&file) {
            println!("{error}");
            errors += 1;
        }
    }
    for knowledge in knowledge_directories(directory) {
        for error in check_knowledge(&knowledge) {
            println!("{error}");
            errors += 1;
        }
    }
    if errors > 0 {
        eprintln!("{errors} error(s) in flows under {}", directory.display());
        ExitCode::FAILURE
    } else {
        eprintln!("flows under {} are valid", directory.display());
        ExitCode::SUCCESS
    }
}
