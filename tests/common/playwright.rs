//! Playwright scripts (`tests/desk/*.mjs`) in Debian's headless Chromium, driven line by line:
//! the script prints its steps, the test waits for them and may write instructions to its stdin.

use super::Server;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A Playwright script running in Chromium, read line by line.
pub struct Script {
    child: Child,
    input: ChildStdin,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
    errors: Option<std::thread::JoinHandle<String>>,
}

impl Script {
    /// Runs `tests/desk/NAME` with node and `environment`.
    pub fn start(name: &str, environment: &[(&str, String)]) -> Script {
        let mut command = Command::new("node");
        command.arg(super::repo_dir().join("tests/desk").join(name));
        for (key, value) in environment {
            command.env(key, value);
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("node runs the Playwright script (make test installs it)");
        let (sender, lines) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        let stderr = child.stderr.take().expect("stderr");
        let errors =
            std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
        let input = child.stdin.take().expect("stdin");
        Script {
            child,
            input,
            lines,
            seen: Vec::new(),
            errors: Some(errors),
        }
    }

    /// Waits for the line `step`, or `step` followed by a space and more; returns the more.
    pub fn expect(&mut self, step: &str, timeout: Duration, server: &Server) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let found = self
                .seen
                .iter()
                .find_map(|line| match line.strip_prefix(step) {
                    Some("") => Some(String::new()),
                    Some(rest) if rest.starts_with(' ') => Some(rest.trim().to_string()),
                    _ => None,
                });
            if let Some(rest) = found {
                return rest;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(_) => {
                    let _ = self.child.kill();
                    let errors = self
                        .errors
                        .take()
                        .map(|errors| errors.join().unwrap_or_default());
                    panic!(
                        "the browser never got to {step}; it printed {:?}\n{}\nserver log:\n{}",
                        self.seen,
                        errors.unwrap_or_default(),
                        server.log_text()
                    );
                }
            }
        }
    }

    /// Writes a line to the script's stdin.
    pub fn tell(&mut self, line: &str) {
        writeln!(self.input, "{line}").expect("the script reads its input");
    }

    /// Waits for the script to end, and asserts it succeeded.
    pub fn finish(mut self) {
        let status = self.child.wait().expect("the browser script ends");
        let errors = self
            .errors
            .take()
            .map(|errors| errors.join().unwrap_or_default());
        assert!(status.success(), "{}", errors.unwrap_or_default());
    }
}
