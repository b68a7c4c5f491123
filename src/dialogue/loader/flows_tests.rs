//! Loader tests: each class of problem is reported at the right line, and the shipped demo
//! flows check clean.

use std::path::{Path, PathBuf};

use super::{check_flows, load_flows};
use crate::dialogue::flow_file::parse::parse_flow;
use crate::dialogue::{FlowError, Problem, Severity};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/dialogue/loader/fixtures/broken")
}

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("prompts/demo")
}

/// The problems reported for one fixture file, as (line, severity, error).
fn problems_in(file: &str) -> Vec<(usize, Severity, FlowError)> {
    check_flows(&fixtures())
        .into_iter()
        .filter(|problem| problem.file.ends_with(file))
        .map(|problem| (problem.line, problem.severity, problem.error))
        .collect()
}

fn has(
    problems: &[(usize, Severity, FlowError)],
    line: usize,
    matches: impl Fn(&FlowError) -> bool,
) {
    assert!(
        problems
            .iter()
            .any(|(at, _, error)| *at == line && matches(error)),
        "no matching problem at line {line} in {problems:#?}"
    );
}

#[test]
fn demo_flows_check_clean_and_load() {
    let problems = check_flows(&demo());
    assert!(problems.is_empty(), "{problems:#?}");
    let flows = load_flows(&demo()).expect("demo flows load");
    let main = flows.get("main").expect("flow 'main'");
    assert_eq!(main.start, "recording_notice");
    let prompts = flows.prompt_paths();
    assert_eq!(prompts.len(), 10);
    assert!(
        prompts
            .iter()
            .all(|path| path.is_absolute() && path.is_file())
    );
}

#[test]
fn every_broken_file_is_reported_and_load_fails() {
    let problems = load_flows(&fixtures()).expect_err("broken fixtures must not load");
    for file in [
        "broken.flow.toml",
        "syntax.flow.toml",
        "schema.flow.toml",
        "unreachable.flow.toml",
    ] {
        assert!(
            problems.iter().any(|problem| problem.file.ends_with(file)),
            "{file}"
        );
    }
    let lines: Vec<_> = problems
        .iter()
        .map(|problem| (&problem.file, problem.line))
        .collect();
    assert!(lines.is_sorted(), "problems are sorted by file and line");
}

#[test]
fn field_problems_point_at_their_line() {
    let problems = problems_in("broken.flow.toml");
    has(&problems, 4, |error| {
        matches!(
            error,
            FlowError::InvalidValue {
                what: "timezone",
                ..
            }
        )
    });
    has(
        &problems,
        9,
        |error| matches!(error, FlowError::InvalidValue { what: "DTMF key", value, .. } if value == "x"),
    );
    has(&problems, 10, |error| {
        matches!(
            error,
            FlowError::InvalidValue {
                what: "duration",
                ..
            }
        )
    });
    has(&problems, 17, |error| {
        matches!(error, FlowError::DigitBounds { min: 6, max: 4 })
    });
    has(&problems, 19, |error| {
        matches!(
            error,
            FlowError::InvalidValue {
                what: "terminator",
                ..
            }
        )
    });
    has(&problems, 26, |error| {
        matches!(error, FlowError::InvalidValue { what: "day", .. })
    });
    has(&problems, 26, |error| {
        matches!(error, FlowError::EmptyWindow { .. })
    });
    has(&problems, 27, |error| {
        matches!(error, FlowError::InvalidValue { what: "date", .. })
    });
    has(
        &problems,
        52,
        |error| matches!(error, FlowError::UnknownVariable { name } if name == "acount"),
    );
    has(
        &problems,
        53,
        |error| matches!(error, FlowError::KeysWithoutChoices { input } if input == "dtmf"),
    );
    has(
        &problems,
        60,
        |error| matches!(error, FlowError::InvalidValue { what: "record action", value, .. } if value == "mute"),
    );
}

#[test]
fn structural_problems_point_at_their_line() {
    let problems = problems_in("broken.flow.toml");
    has(
        &problems,
        32,
        |error| matches!(error, FlowError::UnknownStepType { found, .. } if found == "dance"),
    );
    has(
        &problems,
        34,
        |error| matches!(error, FlowError::Field { message } if message.contains("missing field `next`")),
    );
    has(
        &problems,
        40,
        |error| matches!(error, FlowError::Field { message } if message.contains("unknown field `colour`")),
    );
    has(
        &problems,
        15,
        |error| matches!(error, FlowError::UnreadablePrompt { path, .. } if path.ends_with("audio/missing.wav")),
    );
    has(
        &problems,
        42,
        |error| matches!(error, FlowError::InstantLoop { cycle } if cycle == "loop_a -> loop_b -> loop_a"),
    );
}

#[test]
fn only_truly_unknown_targets_are_reported() {
    let problems = problems_in("broken.flow.toml");
    let unknown: Vec<_> = problems
        .iter()
        .filter_map(|(line, _, error)| match error {
            FlowError::UnknownTarget { key, target } => {
                Some((*line, key.as_str(), target.as_str()))
            }
            _ => None,
        })
        .collect();
    // 'bye' and 'incomplete' are declared but failed to parse; they are not reported again.
    assert_eq!(unknown, vec![(9, "choices.\"1\"", "nowhere")]);
    assert!(
        problems
            .iter()
            .all(|(_, severity, _)| *severity == Severity::Error)
    );
}

#[test]
fn syntax_schema_duplicate_and_unreachable() {
    let syntax = problems_in("syntax.flow.toml");
    has(&syntax, 7, |error| {
        matches!(error, FlowError::Syntax { .. })
    });
    let schema = problems_in("schema.flow.toml");
    has(
        &schema,
        2,
        |error| matches!(error, FlowError::UnknownSchema { found, .. } if found == "2"),
    );
    let unreachable = problems_in("unreachable.flow.toml");
    has(
        &unreachable,
        2,
        |error| matches!(error, FlowError::DuplicateFlow { name, .. } if name == "broken"),
    );
    assert!(unreachable.contains(&(
        8,
        Severity::Warning,
        FlowError::Unreachable {
            step: "orphan".into()
        }
    )));
}

#[test]
fn all_syntax_errors_are_reported_and_schema_is_required() {
    let source = "schema = 1\nname = \"x\nstart = \"a\"\n\n[steps.a]\ntype = = \"goto\"\n";
    let parsed = parse_flow(source, Path::new("/flows/x.flow.toml"));
    let lines: Vec<usize> = parsed.problems.iter().map(|problem| problem.line).collect();
    assert!(
        lines.contains(&2) && lines.contains(&6),
        "{:#?}",
        parsed.problems
    );
    let parsed = parse_flow("name = \"x\"\n", Path::new("/flows/x.flow.toml"));
    assert_eq!(
        parsed.problems[0].error,
        FlowError::MissingSchema { supported: 1 }
    );
}

#[test]
fn problems_display_as_file_line_message() {
    let error = Problem::error(
        "flows/a.flow.toml",
        7,
        FlowError::MissingStepType { step: "s".into() },
    );
    assert_eq!(
        error.to_string(),
        "flows/a.flow.toml:7: step 's' has no `type`"
    );
    let warning = Problem::warning(
        "a.flow.toml",
        3,
        FlowError::Unreachable { step: "s".into() },
    );
    assert_eq!(
        warning.to_string(),
        "a.flow.toml:3: warning: step 's' is unreachable from the start step"
    );
}

/// The problems of an inline menu flow whose menu step adds `menu_keys`.
fn menu_problems(header: &str, menu_keys: &str) -> Vec<(usize, String)> {
    let source = format!(
        "schema = 1\nname = \"x\"\nstart = \"menu\"\n{header}\n[steps.menu]\ntype = \"menu\"\n\
         prompt = \"menu.wav\"\nchoices = {{ \"1\" = \"bye\", \"2\" = \"bye\" }}\n{menu_keys}\n\
         on_failure = \"bye\"\n\n[steps.bye]\ntype = \"hangup\"\n"
    );
    let parsed = parse_flow(&source, Path::new("/flows/x.flow.toml"));
    parsed
        .problems
        .iter()
        .map(|problem| (problem.line, problem.message()))
        .collect()
}

#[test]
fn phrases_must_name_choices_and_be_lists() {
    assert_eq!(
        menu_problems("", "phrases = { \"1\" = [\"order\"] }"),
        vec![]
    );
    assert_eq!(
        menu_problems(
            "",
            "phrases = { \"1\" = [\"order\"],\n  \"9\" = [\"nine\"] }"
        ),
        vec![(10, "`phrases` key '9' is not a key of `choices`".into())]
    );
    let problems = menu_problems("", "retries = 1\nphrases = { \"1\" = \"order\" }");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].0, 10);
    assert!(
        problems[0].1.contains("expected a sequence"),
        "{problems:?}"
    );
}

#[test]
fn phrases_are_unambiguous_and_not_blank() {
    assert_eq!(
        menu_problems(
            "",
            "phrases = { \"1\" = [\"Order\", \"order\"],\n  \"2\" = [\"ORDER!\", \"?\"] }"
        ),
        vec![
            (
                10,
                "phrase 'ORDER!' is listed for both choice '1' and choice '2'".into()
            ),
            (
                10,
                "invalid phrase '?': expected at least one letter or digit".into()
            ),
        ]
    );
}

#[test]
fn minimum_confidence_defaults_inherits_and_is_checked() {
    let confidence = |header: &str, menu: &str| {
        let source = format!(
            "schema = 1\nname = \"x\"\nstart = \"menu\"\n{header}\n[steps.menu]\ntype = \"menu\"\n\
             prompt = \"m.wav\"\nchoices = {{ \"1\" = \"menu\" }}\n{menu}\non_failure = \"menu\"\n"
        );
        let flow = parse_flow(&source, Path::new("/flows/x.flow.toml")).flow;
        match flow.map(|flow| flow.steps["menu"].kind.clone()) {
            Some(crate::dialogue::StepKind::Menu(menu)) => menu.input.minimum_confidence,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(confidence("", ""), 0.3);
    assert_eq!(confidence("minimum_confidence = 0.6", ""), 0.6);
    assert_eq!(
        confidence("minimum_confidence = 0.6", "minimum_confidence = 0"),
        0.0
    );
    assert_eq!(
        menu_problems("minimum_confidence = 1.5", "minimum_confidence = -1"),
        vec![
            (
                4,
                "invalid minimum_confidence '1.5': expected a number from 0 to 1".into()
            ),
            (
                9,
                "invalid minimum_confidence '-1': expected a number from 0 to 1".into()
            ),
        ]
    );
}
