//! Business lookups as data: the HTTP request a `lookup` step asks the driver to make, and what
//! came back. The engine builds requests (URL and body templates filled from variables) and maps
//! a JSON response into variables; the HTTP client that executes requests lives outside the
//! dialogue core (`crate::lookup`).

use std::time::Duration;

/// An HTTP method a lookup may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl LookupMethod {
    /// The method's name on the wire, e.g. `GET`.
    pub fn name(self) -> &'static str {
        match self {
            LookupMethod::Get => "GET",
            LookupMethod::Post => "POST",
            LookupMethod::Put => "PUT",
            LookupMethod::Patch => "PATCH",
            LookupMethod::Delete => "DELETE",
        }
    }

    /// The method called `name` (upper case, as on the wire).
    pub fn from_name(name: &str) -> Option<LookupMethod> {
        [
            LookupMethod::Get,
            LookupMethod::Post,
            LookupMethod::Put,
            LookupMethod::Patch,
            LookupMethod::Delete,
        ]
        .into_iter()
        .find(|method| method.name() == name)
    }
}

/// One request for the driver to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupRequest {
    /// The method.
    pub method: LookupMethod,
    /// The absolute URL, placeholders already filled (and percent-encoded).
    pub url: String,
    /// Headers to send, in order.
    pub headers: Vec<(String, String)>,
    /// A JSON body, for methods that send one.
    pub body: Option<String>,
    /// How long one attempt may take, from connecting to the last byte of the response.
    pub timeout: Duration,
    /// How many more attempts after a failed one (connection errors, timeouts and 5xx
    /// responses are retried; other answers are final).
    pub retries: u32,
}

/// How a lookup ended.
#[derive(Debug, Clone, PartialEq)]
pub enum LookupOutcome {
    /// A 2xx response with a JSON body.
    Found(serde_json::Value),
    /// The backend answered 404: what was looked up does not exist.
    NotFound,
    /// No usable answer: every attempt failed or timed out, the status was another error, or
    /// the body was not JSON. `reason` says which, for logs and the escalation context.
    Failed {
        /// What went wrong, e.g. "timed out after 2s (2 attempts)".
        reason: String,
    },
}

/// Picks values out of a lookup's JSON answer into variables. `map` pairs a variable name with
/// an RFC 6901 JSON pointer into `value` (`"/refund/amount"`, `"/items/0"`, `""` for the whole
/// answer); the result holds, in `map`'s order, the variables whose pointer found a value:
///
/// * a string as it is; a number or a bool as JSON writes it (`59.9`, `12345`, `true`);
/// * an array of strings joined with ", " (`["Tent", "Stove"]` gives "Tent, Stove"; an empty
///   array gives "");
/// * any other array, and an object, as compact JSON;
/// * `null` and a pointer that finds nothing: left out, so the variable stays unset.
pub fn map_response(value: &serde_json::Value, map: &[(String, String)]) -> Vec<(String, String)> {
    map.iter()
        .filter_map(|(variable, pointer)| {
            let text = variable_text(value.pointer(pointer)?)?;
            Some((variable.clone(), text))
        })
        .collect()
}

/// A JSON value as a variable's text; `None` for `null`.
fn variable_text(value: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Number(number) => Some(number.to_string()),
        Value::Array(items) => {
            let strings: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
            Some(match strings {
                Some(strings) => strings.join(", "),
                None => value.to_string(),
            })
        }
        Value::Object(_) => Some(value.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(variable, pointer)| (variable.to_string(), pointer.to_string()))
            .collect()
    }

    #[test]
    fn values_become_plain_text_in_map_order() {
        let order = json!({
            "number": "23456",
            "status": "refunded",
            "total": 59.9,
            "quantity": 2,
            "gift": false,
            "carrier": null,
            "items": ["Trail running shorts", "Socks"],
            "parcels": [{"id": 1}, "loose"],
            "tags": [],
            "refund": {"amount": "59.90", "date": "2026-11-10"},
            "a/b": {"~c": "escaped"}
        });
        let variables = map_response(
            &order,
            &map(&[
                ("refund_amount", "/refund/amount"),
                ("status", "/status"),
                ("total", "/total"),
                ("quantity", "/quantity"),
                ("gift", "/gift"),
                ("carrier", "/carrier"),
                ("missing", "/no/such/key"),
                ("items", "/items"),
                ("first_item", "/items/0"),
                ("parcels", "/parcels"),
                ("tags", "/tags"),
                ("refund", "/refund"),
                ("escaped", "/a~1b/~0c"),
                ("not_a_pointer", "status"),
            ]),
        );
        let expected = [
            ("refund_amount", "59.90"),
            ("status", "refunded"),
            ("total", "59.9"),
            ("quantity", "2"),
            ("gift", "false"),
            ("items", "Trail running shorts, Socks"),
            ("first_item", "Trail running shorts"),
            ("parcels", r#"[{"id":1},"loose"]"#),
            ("tags", ""),
            ("refund", r#"{"amount":"59.90","date":"2026-11-10"}"#),
            ("escaped", "escaped"),
        ]
        .map(|(variable, text)| (variable.to_string(), text.to_string()));
        assert_eq!(variables, expected);
    }

    #[test]
    fn the_empty_pointer_is_the_whole_answer() {
        assert_eq!(
            map_response(&json!("shipped"), &map(&[("status", "")])),
            map(&[("status", "shipped")])
        );
        assert!(map_response(&serde_json::Value::Null, &map(&[("all", "")])).is_empty());
    }
}
