//! Checks over a flow's step graph: dangling references, unreachable steps and cycles of steps
//! that never wait for the caller (`goto`, `hours` and `branch`), which would spin a call forever.
//!
//! A reference to a step that is declared but failed to parse is not reported again, and
//! reachability is only checked when every declared step parsed (otherwise the graph is
//! incomplete and the warnings would be noise).

use std::collections::{BTreeMap, BTreeSet};

use super::context::Context;
use super::error::{FlowError, Problem};
use super::model::{Flow, StepKind};

/// Records every graph problem of `flow` in `context`.
pub fn check_graph(context: &mut Context<'_>, flow: &Flow) {
    let mut edges: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut dangling = Vec::new();
    for reference in &context.references {
        if flow.steps.contains_key(&reference.target) {
            edges
                .entry(&reference.from)
                .or_default()
                .push(&reference.target);
        } else if !context.declared_steps.contains(&reference.target) {
            let error = FlowError::UnknownTarget {
                key: reference.key.clone(),
                target: reference.target.clone(),
            };
            dangling.push(Problem::error(&flow.file, reference.line, error));
        }
    }
    let mut reached = BTreeSet::new();
    let mut pending = vec![flow.start.as_str()];
    while let Some(step) = pending.pop() {
        if flow.steps.contains_key(step) && reached.insert(step) {
            pending.extend(edges.get(step).into_iter().flatten());
        }
    }
    let complete = context.declared_steps.len() == flow.steps.len();
    let mut problems = dangling;
    for (name, step) in &flow.steps {
        if complete && !reached.contains(name.as_str()) {
            let error = FlowError::Unreachable { step: name.clone() };
            problems.push(Problem::warning(&flow.file, step.line, error));
        }
        if let Some(cycle) = instant_cycle(flow, name) {
            let error = FlowError::InstantLoop {
                cycle: cycle.join(" -> "),
            };
            problems.push(Problem::error(&flow.file, step.line, error));
        }
    }
    context.problems.extend(problems);
}

/// The steps reached at once (without waiting for the caller) when `step` is entered.
fn instant_successors(flow: &Flow, step: &str) -> Vec<String> {
    match flow.steps.get(step).map(|step| &step.kind) {
        Some(StepKind::Goto { target } | StepKind::Record { next: target, .. }) => {
            vec![target.clone()]
        }
        Some(StepKind::Hours { open, closed, .. }) => vec![open.clone(), closed.clone()],
        Some(StepKind::Branch { cases, default, .. }) => {
            let mut targets: Vec<String> = cases.values().cloned().collect();
            targets.push(default.clone());
            targets
        }
        _ => Vec::new(),
    }
}

/// A cycle of instant steps through `start`, reported only from its alphabetically first step so
/// each cycle is reported once.
fn instant_cycle(flow: &Flow, start: &str) -> Option<Vec<String>> {
    let mut path = vec![start.to_string()];
    let mut visited = BTreeSet::new();
    if !search(flow, start, &mut path, &mut visited) {
        return None;
    }
    let first = path.iter().min()?;
    (first == start).then_some(path)
}

fn search(
    flow: &Flow,
    start: &str,
    path: &mut Vec<String>,
    visited: &mut BTreeSet<String>,
) -> bool {
    let current = path.last().cloned().unwrap_or_default();
    for next in instant_successors(flow, &current) {
        if next == start {
            path.push(next);
            return true;
        }
        if visited.insert(next.clone()) {
            path.push(next);
            if search(flow, start, path, visited) {
                return true;
            }
            path.pop();
        }
    }
    false
}
