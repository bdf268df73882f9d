//! JSON read into a generated type: its scalars handed over as the XML text the types' serde adapters read
//! (`42` as `"42"`, `true` as `"true"`, `null` as absent), the path of the part that does not fit when it fails,
//! and the first key the type does not have (serde would drop it silently).

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// One step from the top of a JSON document down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A key of an object.
    Key(String),
    /// An item of an array.
    Index(usize),
}

/// `prefix.key[1].other`; the top itself is `prefix`, or `(the object)` without one.
pub fn show(prefix: &str, path: &[Step]) -> String {
    let mut out = prefix.to_owned();
    for step in path {
        match step {
            Step::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    if out.is_empty() {
        "(the object)".to_owned()
    } else {
        out
    }
}

/// Reads `value` as `T`; on failure, the path of the part that does not fit and serde's message.
pub fn deserialize<T: DeserializeOwned>(value: &Value) -> Result<T, (Vec<Step>, String)> {
    let text = as_text(value);
    match serde_json::from_value::<T>(text.clone()) {
        Ok(item) => Ok(item),
        Err(error) => {
            let message = error.to_string();
            Err((locate::<T>(&text, &message), message))
        }
    }
}

/// The first key of `given` (not null or empty) that `written` (the value read, serialized again) lacks.
pub fn unknown_key(given: &Value, written: &Value) -> Option<Vec<Step>> {
    let mut path = Vec::new();
    unknown_in(given, written, &mut path).then_some(path)
}

fn unknown_in(given: &Value, written: &Value, path: &mut Vec<Step>) -> bool {
    match (given, written) {
        (Value::Object(given), Value::Object(written)) => {
            for (key, value) in given {
                if is_empty(value) {
                    continue;
                }
                path.push(Step::Key(key.clone()));
                match written.get(key) {
                    None => return true,
                    Some(inner) if unknown_in(value, inner, path) => return true,
                    Some(_) => {}
                }
                path.pop();
            }
            false
        }
        (Value::Array(given), Value::Array(written)) => {
            for (i, (value, inner)) in given.iter().zip(written).enumerate() {
                path.push(Step::Index(i));
                if unknown_in(value, inner, path) {
                    return true;
                }
                path.pop();
            }
            false
        }
        _ => false,
    }
}

/// What reads as absent: `null`, `""`, `[]`, `{}`.
fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(fields) => fields.is_empty(),
        _ => false,
    }
}

/// Numbers and booleans as their text, `null` object members left out.
fn as_text(value: &Value) -> Value {
    match value {
        Value::Number(n) => Value::String(n.to_string()),
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Array(items) => Value::Array(items.iter().map(as_text).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), as_text(v)))
                .collect::<Map<_, _>>(),
        ),
        other => other.clone(),
    }
}

/// The deepest part of `doc` whose removal changes the error (to success, or to another error that is not a
/// field now missing): where the first misfit is.
fn locate<T: DeserializeOwned>(doc: &Value, message: &str) -> Vec<Step> {
    let mut path: Vec<Step> = Vec::new();
    'down: loop {
        let Some(node) = get(doc, &path) else {
            return path;
        };
        let children: Vec<Step> = match node {
            Value::Object(fields) => fields.keys().map(|k| Step::Key(k.clone())).collect(),
            Value::Array(items) => (0..items.len()).map(Step::Index).collect(),
            _ => return path,
        };
        for child in children {
            let mut candidate = doc.clone();
            remove(&mut candidate, &path, &child);
            let moved = match serde_json::from_value::<T>(candidate) {
                Ok(_) => true,
                Err(e) => {
                    let other = e.to_string();
                    other != message && !other.starts_with("missing field")
                }
            };
            if moved {
                path.push(child);
                continue 'down;
            }
        }
        return path;
    }
}

fn get<'v>(doc: &'v Value, path: &[Step]) -> Option<&'v Value> {
    let mut node = doc;
    for step in path {
        node = match (step, node) {
            (Step::Key(key), Value::Object(fields)) => fields.get(key)?,
            (Step::Index(i), Value::Array(items)) => items.get(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

fn remove(doc: &mut Value, path: &[Step], child: &Step) {
    let mut node = doc;
    for step in path {
        let next = match (step, node) {
            (Step::Key(key), Value::Object(fields)) => fields.get_mut(key),
            (Step::Index(i), Value::Array(items)) => items.get_mut(*i),
            _ => None,
        };
        match next {
            Some(next) => node = next,
            None => return,
        }
    }
    match (child, node) {
        (Step::Key(key), Value::Object(fields)) => {
            fields.shift_remove(key);
        }
        (Step::Index(i), Value::Array(items)) if *i < items.len() => {
            items.remove(*i);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, serde::Serialize)]
    struct Outer {
        #[serde(default)]
        inner: Vec<Inner>,
    }

    #[derive(Debug, serde::Deserialize, serde::Serialize)]
    struct Inner {
        #[serde(default)]
        n: Option<String>,
        #[serde(default)]
        m: Option<String>,
    }

    #[test]
    fn the_misfit_and_the_unknown_key_are_found() {
        let value = serde_json::json!({"inner": [{"n": 1}, {"m": {"deep": 1}}]});
        let (path, message) = deserialize::<Outer>(&value).unwrap_err();
        assert_eq!(show("X", &path), "X.inner[1].m", "{message}");
        let value = serde_json::json!({"inner": [{"n": 1, "z": null}, {"q": 2}]});
        let outer = deserialize::<Outer>(&value).unwrap();
        let written = serde_json::to_value(&outer).unwrap();
        assert_eq!(
            unknown_key(&value, &written).map(|p| show("", &p)),
            Some("inner[1].q".to_owned())
        );
    }
}
