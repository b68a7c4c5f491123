//! Checks of the conversational steps and the escalation table: each mistake is reported at
//! its line.

use std::path::Path;

use super::parse::parse_flow;
use crate::dialogue::FlowError;

/// The (line, message) of every problem in `source`.
fn problems(source: &str) -> Vec<(usize, String)> {
    parse_flow(source, Path::new("/flows/test.flow.toml"))
        .problems
        .into_iter()
        .map(|problem| (problem.line, problem.error.to_string()))
        .collect()
}

fn reported(problems: &[(usize, String)], line: usize, words: &str) -> bool {
    problems
        .iter()
        .any(|(at, message)| *at == line && message.contains(words))
}

#[test]
fn conversational_steps_report_bad_values_at_their_line() {
    let source = r#"schema = 1
name = "bad"
start = "ask"

[steps.ask]
type = "intent"
intents = { order_status = "find" }
on_failure = "agent"

[steps.find]
type = "lookup"
url = "ftp://example.com/{order}"
method = "FETCH"
retries = 9
map = { status = "status" }
next = "agent"
on_not_found = "agent"
on_error = "agent"

[steps.agent]
type = "transfer"
reason = "asked"
priority = "urgent"
on_unavailable = "ask"
"#;
    let found = problems(source);
    assert!(
        reported(&found, 5, "needs `prompt` or `text`"),
        "{found:#?}"
    );
    assert!(reported(&found, 12, "invalid url"), "{found:#?}");
    assert!(reported(&found, 13, "invalid method 'FETCH'"), "{found:#?}");
    assert!(reported(&found, 14, "at most 5"), "{found:#?}");
    assert!(reported(&found, 15, "JSON pointer"), "{found:#?}");
    assert!(
        reported(&found, 23, "invalid priority 'urgent'"),
        "{found:#?}"
    );
    assert!(
        reported(&found, 12, "`{order}`, which is neither built in"),
        "{found:#?}"
    );
    let without_group = source.replace("priority = \"urgent\"\n", "");
    let found = problems(&without_group);
    assert!(reported(&found, 20, "needs a `group`"), "{found:#?}");
}

#[test]
fn the_escalation_step_must_be_a_transfer() {
    let source = r#"schema = 1
name = "bad"
start = "hello"

[escalation]
step = "hello"
default_group = "support"
negative_sentiment = 0.5

[steps.hello]
type = "say"
text = "Hello."
next = "hello"
"#;
    let found = problems(source);
    assert!(reported(&found, 8, "from -1 to 0"), "{found:#?}");
    let source = source.replace("negative_sentiment = 0.5\n", "");
    let found = problems(&source);
    assert!(
        reported(&found, 9, "must name a transfer step"),
        "{found:#?}"
    );
    let unknown = FlowError::UnknownTarget {
        key: "escalation.step".into(),
        target: "nowhere".into(),
    };
    let found = problems(&source.replace("step = \"hello\"", "step = \"nowhere\""));
    assert!(reported(&found, 6, &unknown.to_string()), "{found:#?}");
}
