//! `hotline flows check [DIR]`.

use crate::dialogue::check_flows;
use std::path::Path;
use std::process::ExitCode;

/// Prints every problem as `file:line: message`; exit 1 when any is an error.
pub fn check(directory: &Path) -> ExitCode {
    let problems = check_flows(directory);
    let errors = problems.iter().filter(|problem| problem.is_error()).count();
    for problem in &problems {
        println!("{problem}");
    }
    if errors > 0 {
        eprintln!("{errors} error(s) in flows under {}", directory.display());
        ExitCode::FAILURE
    } else {
        eprintln!("flows under {} are valid", directory.display());
        ExitCode::SUCCESS
    }
}
