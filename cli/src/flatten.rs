//! A JSON record as flat columns, for CSV and tables: nested fields get dotted names (`tags.list.name`), and the
//! values of a repeated field are joined with `|` in one cell.

use serde_json::Value;

/// What separates the values of a repeated field in one cell.
pub const JOIN: &str = "|";

/// The record's columns in the order they first appear, each with its cell text.
pub fn flatten(record: &Value) -> Vec<(String, String)> {
    let mut columns: Vec<(String, Vec<String>)> = Vec::new();
    walk(record, String::new(), &mut columns);
    columns
        .into_iter()
        .map(|(name, values)| (name, values.join(JOIN)))
        .collect()
}

fn walk(value: &Value, prefix: String, columns: &mut Vec<(String, Vec<String>)>) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields {
                let name = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                walk(field, name, columns);
            }
        }
        Value::Array(items) => {
            for item in items {
                walk(item, prefix.clone(), columns);
            }
        }
        scalar => {
            let name = if prefix.is_empty() {
                "value".to_owned()
            } else {
                prefix
            };
            let text = match scalar {
                Value::Null => return push(columns, name, None),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            push(columns, name, Some(text));
        }
    }
}

fn push(columns: &mut Vec<(String, Vec<String>)>, name: String, text: Option<String>) {
    let index = match columns.iter().position(|(n, _)| *n == name) {
        Some(index) => index,
        None => {
            columns.push((name, Vec::new()));
            columns.len() - 1
        }
    };
    if let Some(text) = text {
        columns[index].1.push(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_names_and_joined_repeats() {
        let record = serde_json::json!({"id": 1, "tags": {"count": 2, "list": [{"name": "a"}, {"name": "b"}]},
            "e": null, "u": ["x", "y"]});
        let columns = flatten(&record);
        let expected: Vec<(String, String)> = [
            ("id", "1"),
            ("tags.count", "2"),
            ("tags.list.name", "a|b"),
            ("e", ""),
            ("u", "x|y"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(columns, expected);
    }
}
