//! Editing a flow file as the designer does: small edits applied to the TOML text (keeping the
//! comments and layout of everything else), the text read back as a JSON document for the
//! page's forms, and the step graph (steps as nodes, transitions as edges) to draw.

use super::check::step_headers;
use crate::dialogue::Reference;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, TableLike, Value};

/// One change to a TOML document: set the key at `path` to `value`, or remove it when `value`
/// is null.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    /// Keys from the document's root, e.g. `["steps", "menu", "choices", "1"]`.
    #[schema(min_items = 1)]
    pub path: Vec<String>,
    /// The new value; null removes the key.
    #[serde(default)]
    pub value: Json,
}

/// Why edits cannot be applied.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The text is not TOML, so it cannot be edited by key.
    #[error("the file does not parse, so it can only be edited as text: {0}")]
    Unparsable(String),
    /// An edit without a path.
    #[error("an edit needs a path")]
    EmptyPath,
    /// An edit whose path goes through a value that is not a table.
    #[error("{0} is not a table")]
    NotATable(String),
}

/// `source` with `edits` applied in order.
pub fn apply_edits(source: &str, edits: &[Edit]) -> Result<String, EditError> {
    if edits.is_empty() {
        return Ok(source.to_string());
    }
    let mut document: DocumentMut = source
        .parse()
        .map_err(|error: toml_edit::TomlError| EditError::Unparsable(error.message().into()))?;
    for edit in edits {
        apply(document.as_table_mut(), edit)?;
    }
    Ok(document.to_string())
}

fn apply(root: &mut Table, edit: &Edit) -> Result<(), EditError> {
    let Some((last, parents)) = edit.path.split_last() else {
        return Err(EditError::EmptyPath);
    };
    let mut table: &mut dyn TableLike = root;
    // Whether `table` is an inline table (a value), where only values can go.
    let mut inline = false;
    for (depth, key) in parents.iter().enumerate() {
        if table.get(key).is_none() {
            if edit.value.is_null() {
                return Ok(());
            }
            let created = match depth {
                _ if inline || depth >= 2 => Item::Value(Value::InlineTable(InlineTable::new())),
                0 => {
                    let mut parent = Table::new();
                    parent.set_implicit(true);
                    Item::Table(parent)
                }
                _ => Item::Table(Table::new()),
            };
            table.insert(key, created);
        }
        let named = edit.path[..=depth].join(".");
        let item = table.get_mut(key).ok_or(EditError::EmptyPath)?;
        inline = !item.is_table();
        table = item
            .as_table_like_mut()
            .ok_or(EditError::NotATable(named))?;
    }
    if edit.value.is_null() {
        table.remove(last);
        return Ok(());
    }
    let as_table = edit.path.len() <= 2 && edit.value.is_object() && !inline;
    let item = match (&edit.value, as_table) {
        (Json::Object(entries), true) => Item::Table(table_of(entries)),
        (value, _) => Item::Value(toml_value(value)),
    };
    match table.get_mut(last) {
        // Keep the key's comments and position; only its value changes.
        Some(existing) if existing.is_value() && item.is_value() => {
            let decor = existing.as_value().map(|value| value.decor().clone());
            *existing = item;
            if let (Some(decor), Some(value)) = (decor, existing.as_value_mut()) {
                *value.decor_mut() = decor;
            }
        }
        _ => {
            table.insert(last, item);
        }
    }
    Ok(())
}

fn table_of(entries: &serde_json::Map<String, Json>) -> Table {
    let mut table = Table::new();
    // A step's type first, as people write them; the rest in order.
    let typed = entries.iter().filter(|(key, _)| *key == "type");
    let others = entries.iter().filter(|(key, _)| *key != "type");
    for (key, value) in typed.chain(others) {
        if !value.is_null() {
            table.insert(key, Item::Value(toml_value(value)));
        }
    }
    table
}

fn toml_value(value: &Json) -> Value {
    match value {
        Json::Bool(flag) => Value::from(*flag),
        Json::Number(number) => match number.as_i64() {
            Some(integer) => Value::from(integer),
            None => Value::from(number.as_f64().unwrap_or_default()),
        },
        Json::String(text) => Value::from(text.as_str()),
        Json::Array(items) => {
            let mut array = Array::new();
            for item in items.iter().filter(|item| !item.is_null()) {
                array.push(toml_value(item));
            }
            Value::Array(array)
        }
        Json::Object(entries) => {
            let mut table = InlineTable::new();
            for (key, value) in entries.iter().filter(|(_, value)| !value.is_null()) {
                table.insert(key, toml_value(value));
            }
            Value::InlineTable(table)
        }
        Json::Null => Value::from(""),
    }
}

/// The TOML text as JSON; `None` when it does not parse.
pub fn document(source: &str) -> Option<Json> {
    let table: toml::Table = toml::from_str(source).ok()?;
    serde_json::to_value(table).ok()
}

/// A flow drawn as a graph.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Graph {
    /// The step calls start in.
    pub start: String,
    /// The steps.
    pub nodes: Vec<Node>,
    /// The transitions.
    pub edges: Vec<Edge>,
}

/// One step in the graph.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Node {
    /// The step's name.
    pub id: String,
    /// Its type (`say`, `menu`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// The line of its table header.
    pub line: usize,
    /// What it says or does, in a few words.
    pub label: String,
}

/// One transition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Edge {
    /// The step it leaves.
    pub from: String,
    /// The step it goes to.
    pub to: String,
    /// The key that names it (`next`, `choices."1"`, `on_failure`).
    pub label: String,
}

/// The keys whose value says best what a step does, in the order they are looked for.
const LABEL_KEYS: [&str; 9] = [
    "text", "prompt", "group", "url", "variable", "target", "action", "reason", "windows",
];

/// The graph of the flow `document`, with the transitions the parser found.
pub fn graph(document: &Json, source: &str, references: &[Reference]) -> Graph {
    let steps = document.get("steps").and_then(Json::as_object);
    let lines: Vec<(usize, String)> = step_headers(source)
        .into_iter()
        .filter_map(|(line, step)| Some((line, step?)))
        .collect();
    let nodes = steps
        .into_iter()
        .flatten()
        .map(|(name, step)| Node {
            id: name.clone(),
            kind: step
                .get("type")
                .and_then(Json::as_str)
                .unwrap_or("?")
                .to_string(),
            line: lines
                .iter()
                .find(|(_, header)| header == name)
                .map_or(0, |(line, _)| *line),
            label: label(step),
        })
        .collect();
    let edges = references
        .iter()
        .filter(|reference| !reference.from.is_empty())
        .map(|reference| Edge {
            from: reference.from.clone(),
            to: reference.target.clone(),
            label: reference.key.clone(),
        })
        .collect();
    Graph {
        start: document
            .get("start")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string(),
        nodes,
        edges,
    }
}

fn label(step: &Json) -> String {
    let text = LABEL_KEYS
        .iter()
        .find_map(|key| step.get(*key))
        .map(|value| match value {
            Json::String(text) => text.clone(),
            other => other.to_string(),
        })
        .unwrap_or_default();
    match text.char_indices().nth(48) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn edit(path: &[&str], value: Json) -> Edit {
        Edit {
            path: path.iter().map(|key| key.to_string()).collect(),
            value,
        }
    }

    const SOURCE: &str = "# The greeting flow.\nschema = 1\nname = \"promo\"\nstart = \"hello\"\n\n\
        # Says hello.\n[steps.hello]\ntype = \"say\"\ntext = \"Hello.\" # kept\nnext = \"bye\"\n\n\
        [steps.bye]\ntype = \"hangup\"\n";

    #[test]
    fn edits_change_values_and_keep_comments() {
        let edited = apply_edits(
            SOURCE,
            &[
                edit(&["steps", "hello", "text"], json!("Welcome to Acme.")),
                edit(
                    &["steps", "menu"],
                    json!({"type": "menu", "prompt": "audio/menu.wav", "choices": {"1": "bye"}}),
                ),
                edit(&["steps", "menu", "choices", "2"], json!("hello")),
                edit(&["start"], json!("menu")),
                edit(&["steps", "bye", "prompt"], Json::Null),
            ],
        )
        .expect("edits apply");
        assert!(edited.contains("# The greeting flow."), "{edited}");
        assert!(edited.contains("# Says hello."), "{edited}");
        assert!(
            edited.contains("text = \"Welcome to Acme.\" # kept"),
            "{edited}"
        );
        assert!(edited.contains("[steps.menu]"), "{edited}");
        let document = document(&edited).expect("still TOML");
        assert_eq!(document["start"], "menu");
        assert_eq!(
            document["steps"]["menu"]["choices"],
            json!({"1": "bye", "2": "hello"})
        );
    }

    #[test]
    fn removing_a_step_and_editing_broken_text_are_handled() {
        let edited = apply_edits(SOURCE, &[edit(&["steps", "bye"], Json::Null)]).expect("apply");
        assert!(!edited.contains("[steps.bye]"), "{edited}");
        let broken = apply_edits("name = ", &[edit(&["start"], json!("x"))]);
        assert!(matches!(broken, Err(EditError::Unparsable(_))));
        let through_value = apply_edits(SOURCE, &[edit(&["name", "x"], json!(1))]);
        assert!(matches!(through_value, Err(EditError::NotATable(_))));
    }

    #[test]
    fn the_graph_has_every_step_and_transition() {
        let document = document(SOURCE).expect("TOML");
        let references = vec![Reference {
            from: "hello".into(),
            key: "next".into(),
            target: "bye".into(),
            line: 10,
        }];
        let graph = graph(&document, SOURCE, &references);
        assert_eq!(graph.start, "hello");
        let hello = &graph.nodes[graph.nodes.len() - 1];
        assert_eq!((hello.id.as_str(), hello.kind.as_str()), ("hello", "say"));
        assert_eq!((hello.line, hello.label.as_str()), (7, "Hello."));
        assert_eq!(graph.edges[0].label, "next");
    }
}
