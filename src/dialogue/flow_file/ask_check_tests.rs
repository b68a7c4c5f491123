//! Validator tests of `ask` steps and `barge_in` keys: every problem is reported at its line,
//! and a valid ask loads with its defaults.

use std::path::Path;
use std::time::Duration;

use super::parse::parse_flow;
use crate::dialogue::{Answers, AskInput, Message, StepKind, Text};

/// Line of the first key written after the ask step's `type`.
const FIRST_KEY_LINE: usize = 7;

/// A flow whose start step is an ask made of `keys` (one per line from `FIRST_KEY_LINE`), with
/// steps `yes`, `no` and `done` to refer to.
fn source(keys: &[&str]) -> String {
    format!(
        "schema = 1\nname = \"x\"\nstart = \"question\"\n\n[steps.question]\ntype = \"ask\"\n{}\n\n\
         [steps.yes]\ntype = \"say\"\ntext = \"You said {{heard}}.\"\nnext = \"done\"\n\n\
         [steps.no]\ntype = \"goto\"\ntarget = \"done\"\n\n[steps.done]\ntype = \"hangup\"\n",
        keys.join("\n")
    )
}

/// The errors of the flow, as (line, message), by line.
fn errors(keys: &[&str]) -> Vec<(usize, String)> {
    let mut errors: Vec<_> = parse_flow(&source(keys), Path::new("/flows/x.flow.toml"))
        .problems
        .into_iter()
        .filter(|problem| problem.is_error())
        .map(|problem| (problem.line, problem.message()))
        .collect();
    errors.sort_by_key(|(line, _)| *line);
    errors
}

fn line(key_index: usize) -> usize {
    FIRST_KEY_LINE + key_index
}

const CHOICES: &str = "choices = { \"1\" = \"yes\", \"2\" = \"no\" }";
const VARIABLE: &str = "variable = \"answer\"";
const TEXT: &str = "text = \"Yes or no?\"";
const ON_FAILURE: &str = "on_failure = \"no\"";

#[test]
fn a_question_with_choices_loads_with_defaults() {
    let keys = [TEXT, VARIABLE, CHOICES, "phrases.1 = [\"yes\"]", ON_FAILURE];
    assert_eq!(errors(&keys), vec![]);
    let flow = parse_flow(&source(&keys), Path::new("/flows/x.flow.toml"))
        .flow
        .expect("flow");
    let Some(StepKind::Ask(ask)) = flow.steps.get("question").map(|step| &step.kind) else {
        panic!("{flow:?}");
    };
    assert_eq!(ask.accepts, AskInput::SpeechAndDtmf);
    assert!(ask.barge_in);
    assert_eq!(ask.variable.as_deref(), Some("answer"));
    assert_eq!(ask.input.timeout, Duration::from_secs(5));
    assert_eq!(ask.input.retries, 2);
    assert_eq!(ask.input.minimum_confidence, 0.3);
    assert_eq!(ask.input.no_input, None);
    assert!(matches!(&ask.answers, Answers::Choices { choices, phrases }
        if choices.len() == 2 && phrases[&'1'] == ["yes"]));
}

#[test]
fn a_free_question_loads_and_takes_speech() {
    let keys = [
        TEXT,
        VARIABLE,
        "next = \"yes\"",
        "no_input_text = \"Please answer, {heard}.\"",
        "barge_in = false",
        ON_FAILURE,
    ];
    assert_eq!(errors(&keys), vec![]);
    let flow = parse_flow(&source(&keys), Path::new("/flows/x.flow.toml"))
        .flow
        .expect("flow");
    let Some(StepKind::Ask(ask)) = flow.steps.get("question").map(|step| &step.kind) else {
        panic!("{flow:?}");
    };
    assert_eq!(ask.accepts, AskInput::Speech);
    assert!(!ask.barge_in);
    let text = Text::parse("Please answer, {heard}.").expect("text");
    assert_eq!(ask.input.no_input, Some(Message::Text(text)));
    assert_eq!(ask.answers, Answers::Free { next: "yes".into() });
}

#[test]
fn later_texts_may_speak_the_answer() {
    let source = "schema = 1\nname = \"x\"\nstart = \"thanks\"\n\n[steps.thanks]\ntype = \"say\"\n\
        text = \"Thank you, {name}.\"\nnext = \"name\"\n\n[steps.name]\ntype = \"ask\"\n\
        text = \"Your name, {name}?\"\nvariable = \"name\"\nnext = \"thanks\"\non_failure = \"thanks\"\n";
    let problems = parse_flow(source, Path::new("/flows/x.flow.toml")).problems;
    assert_eq!(problems, vec![]);
}

#[test]
fn unknown_steps_are_reported_at_their_line() {
    let keys = [
        TEXT,
        "choices = { \"1\" = \"yes\", \"2\" = \"maybe\" }",
        "on_failure = \"nowhere\"",
    ];
    assert_eq!(
        errors(&keys),
        vec![
            (
                line(1),
                "`choices.\"2\"` refers to unknown step 'maybe'".into()
            ),
            (
                line(2),
                "`on_failure` refers to unknown step 'nowhere'".into()
            ),
        ]
    );
    let free = [TEXT, VARIABLE, "next = \"elsewhere\"", ON_FAILURE];
    assert_eq!(
        errors(&free),
        vec![(line(2), "`next` refers to unknown step 'elsewhere'".into())]
    );
}

#[test]
fn texts_may_only_name_known_variables() {
    let keys = [
        "text = \"Is {answr} right?\"",
        VARIABLE,
        CHOICES,
        "no_input_text = \"{heard}? {answer}?\"",
        "invalid_text = \"Sorry, {nothing}.\"",
        ON_FAILURE,
    ];
    let message = |name: &str| {
        format!(
            "text uses `{{{name}}}`, which is neither built in (heard, caller, dialled, channel, server, intent) nor stored by a collect or ask `variable` or a lookup `map`"
        )
    };
    assert_eq!(
        errors(&keys),
        vec![(line(0), message("answr")), (line(4), message("nothing"))]
    );
    let bad = [
        "text = \"  \"",
        CHOICES,
        "invalid_text = \"Sorry {\"",
        ON_FAILURE,
    ];
    assert_eq!(
        errors(&bad),
        vec![
            (line(0), "invalid text '  ': expected words to speak".into()),
            (
                line(2),
                "invalid text: unclosed `{` (write `{{` for a literal brace)".into()
            ),
        ]
    );
}

#[test]
fn a_question_needs_choices_or_next_but_not_both() {
    assert_eq!(
        errors(&[TEXT, VARIABLE, ON_FAILURE]),
        vec![(
            5,
            "ask step 'question' needs `choices` (answers to pick from) or `next` (the step after a free answer)"
                .into()
        )]
    );
    assert_eq!(
        errors(&[TEXT, VARIABLE, CHOICES, "next = \"yes\"", ON_FAILURE]),
        vec![(
            line(3),
            "ask step 'question' has both `choices` and `next`; `next` is only for free answers, without `choices`"
                .into()
        )]
    );
    assert_eq!(
        errors(&[TEXT, "choices = {}", ON_FAILURE]),
        vec![(5, "`choices` must offer at least one answer".into())]
    );
}

#[test]
fn a_free_answer_needs_a_variable_and_speech() {
    assert_eq!(
        errors(&[TEXT, "next = \"yes\"", ON_FAILURE]),
        vec![(
            5,
            "ask step 'question' has no `choices`, so it needs a `variable` to store the answer in"
                .into()
        )]
    );
    for input in ["dtmf", "speech_and_dtmf"] {
        let written = format!("input = \"{input}\"");
        assert_eq!(
            errors(&[TEXT, VARIABLE, &written, "next = \"yes\"", ON_FAILURE]),
            vec![(
                line(2),
                format!(
                    "`input = \"{input}\"` takes keys, which need `choices`; a free answer is spoken (`input = \"speech\"`)"
                )
            )]
        );
    }
    assert_eq!(
        errors(&[
            TEXT,
            VARIABLE,
            "next = \"yes\"",
            "phrases = { \"1\" = [\"yes\"] }",
            ON_FAILURE
        ]),
        vec![(
            line(3),
            "`phrases` key '1' is not a key of `choices`".into()
        )]
    );
}

#[test]
fn phrases_must_fit_the_choices_and_the_input() {
    assert_eq!(
        errors(&[TEXT, CHOICES, "phrases.3 = [\"three\"]", ON_FAILURE]),
        vec![(
            line(2),
            "`phrases` key '3' is not a key of `choices`".into()
        )]
    );
    assert_eq!(
        errors(&[
            TEXT,
            CHOICES,
            "phrases.1 = [\"yes\"]",
            "input = \"dtmf\"",
            ON_FAILURE
        ]),
        vec![(
            line(3),
            "`phrases` are never heard with `input = \"dtmf\"`".into()
        )]
    );
    assert_eq!(
        errors(&[
            TEXT,
            "choices = { \"1\" = \"yes\",",
            "  \"2\" = \"no\" }",
            "phrases.1 = [\"yes\"]",
            "input = \"speech\"",
            ON_FAILURE
        ]),
        vec![(
            line(2),
            "choice '2' has no `phrases`, so with `input = \"speech\"` it can never be chosen"
                .into()
        )]
    );
    assert_eq!(
        errors(&[TEXT, CHOICES, "input = \"voice\"", ON_FAILURE]),
        vec![(
            line(2),
            "invalid input 'voice': expected \"speech\", \"dtmf\" or \"speech_and_dtmf\"".into()
        )]
    );
}

#[test]
fn other_keys_are_checked_like_menus() {
    let keys = [
        TEXT,
        "choices = { \"1\" = \"yes\", \"x\" = \"no\" }",
        "timeout = \"soon\"",
        "minimum_confidence = 2.0",
        ON_FAILURE,
    ];
    let found = errors(&keys);
    let lines: Vec<usize> = found.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, vec![line(1), line(2), line(3)], "{found:?}");
    let unknown = errors(&[TEXT, CHOICES, ON_FAILURE, "colour = \"blue\""]);
    assert!(
        matches!(unknown.as_slice(), [(_, message)] if message.contains("unknown field `colour`")),
        "{unknown:?}"
    );
    let missing = errors(&[CHOICES, ON_FAILURE]);
    assert!(
        matches!(missing.as_slice(), [(_, message)] if message.contains("missing field `text`")),
        "{missing:?}"
    );
}

#[test]
fn barge_in_is_a_boolean_on_every_step_that_plays() {
    let step = |kind_keys: &str| {
        format!(
            "schema = 1\nname = \"x\"\nstart = \"s\"\n\n[steps.s]\n{kind_keys}\nbarge_in = \"no\"\n\n\
             [steps.done]\ntype = \"hangup\"\n"
        )
    };
    for kind_keys in [
        "type = \"play\"\nprompt = \"a.wav\"\nnext = \"done\"",
        "type = \"say\"\ntext = \"Hi.\"\nnext = \"done\"",
        "type = \"menu\"\nprompt = \"a.wav\"\nchoices = { \"1\" = \"done\" }\non_failure = \"done\"",
        "type = \"collect\"\nprompt = \"a.wav\"\nvariable = \"v\"\nmax_digits = 3\nnext = \"done\"\non_failure = \"done\"",
        "type = \"ask\"\ntext = \"Hi?\"\nchoices = { \"1\" = \"done\" }\non_failure = \"done\"",
    ] {
        let source = step(kind_keys);
        let barge_in_line = source
            .lines()
            .position(|line| line.starts_with("barge_in"))
            .map(|index| index + 1);
        let problems = parse_flow(&source, Path::new("/flows/x.flow.toml")).problems;
        assert!(
            matches!(problems.as_slice(), [problem] if Some(problem.line) == barge_in_line
                && problem.message().contains("expected a boolean")),
            "{kind_keys}: {problems:?}"
        );
    }
    let hangup = "schema = 1\nname = \"x\"\nstart = \"s\"\n\n[steps.s]\ntype = \"hangup\"\nbarge_in = false\n";
    let problems = parse_flow(hangup, Path::new("/flows/x.flow.toml")).problems;
    assert!(
        matches!(problems.as_slice(), [problem] if problem.message().contains("unknown field `barge_in`")),
        "hangup prompts are never interrupted: {problems:?}"
    );
}
