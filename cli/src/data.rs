//! `--data FILE|-`: the request's entity, as XML (a whole `<ServiceRequest>` or the bare entity element) or as
//! JSON (the shape the JSON output has: keys are element names, arrays repeat an element, `@name` keys are
//! attributes), turned into the XML that goes under `<ServiceRequest><data>`.

use std::io::Read;

use serde_json::Value;

use crate::catalog::Entity;
use crate::error::CliError;
use crate::filter::escape;

/// Reads `source` (a path, or `-` for stdin) and returns the content of `<data>`: one entity element.
pub fn load(source: &str, entity: &Entity) -> Result<String, CliError> {
    let mut text = String::new();
    if source == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::usage(format!("--data -: cannot read stdin: {e}")))?;
    } else {
        text = std::fs::read_to_string(source)
            .map_err(|e| CliError::usage(format!("--data {source}: cannot read the file: {e}")))?;
    }
    let shown = if source == "-" { "stdin" } else { source };
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.starts_with('<') {
        from_xml(trimmed, entity).map_err(|e| CliError::usage(format!("--data {shown}: {e}")))
    } else if trimmed.starts_with('{') {
        let value: Value = serde_json::from_str(trimmed)
            .map_err(|e| CliError::usage(format!("--data {shown}: not valid JSON: {e}")))?;
        from_json(&value, entity).map_err(|e| CliError::usage(format!("--data {shown}: {e}")))
    } else {
        Err(CliError::usage(format!(
            "--data {shown}: expected XML (starting with `<`) or a JSON object (starting with `{{`)"
        )))
    }
}

/// The entity element of an XML document: its root, or the one under `ServiceRequest/data`.
fn from_xml(text: &str, entity: &Entity) -> Result<String, String> {
    let doc = roxmltree::Document::parse(text).map_err(|e| format!("not well-formed XML: {e}"))?;
    let root = doc.root_element();
    let element = match root.tag_name().name() {
        name if name == entity.element => root,
        "ServiceRequest" => {
            let data = root
                .children()
                .find(|n| n.has_tag_name("data"))
                .ok_or("the <ServiceRequest> has no <data>")?;
            let mut items = data.children().filter(|n| n.is_element());
            let item = items.next().ok_or("<data> is empty")?;
            if items.next().is_some() {
                return Err("<data> holds more than one element".into());
            }
            item
        }
        other => {
            return Err(format!(
                "expected <{}> or <ServiceRequest>, found <{other}>",
                entity.element
            ));
        }
    };
    Ok(text[element.range()].to_owned())
}

/// A JSON object as the entity element: `{"name": "Shop", "url": "https://..."}`, or wrapped in the element's
/// name (`{"WebApp": {...}}`).
fn from_json(value: &Value, entity: &Entity) -> Result<String, String> {
    let Value::Object(fields) = value else {
        return Err("expected a JSON object".into());
    };
    let inner = match fields.get(&entity.element) {
        Some(inner) if fields.len() == 1 => inner,
        _ => value,
    };
    let mut out = String::new();
    element(&entity.element, inner, &mut out)?;
    Ok(out)
}

fn element(name: &str, value: &Value, out: &mut String) -> Result<(), String> {
    if name.is_empty()
        || name.starts_with('@')
        || name.contains(|c: char| c.is_whitespace() || "<>&\"'/".contains(c))
    {
        return Err(format!("`{name}` is not an element name"));
    }
    match value {
        Value::Array(items) => {
            for item in items {
                element(name, item, out)?;
            }
        }
        Value::Object(fields) => {
            out.push('<');
            out.push_str(name);
            for (key, field) in fields.iter().filter(|(k, _)| k.starts_with('@')) {
                out.push_str(&format!(" {}=\"{}\"", &key[1..], escape(&scalar(field)?)));
            }
            out.push('>');
            for (key, field) in fields.iter().filter(|(k, _)| !k.starts_with('@')) {
                if key == "#text" {
                    out.push_str(&escape(&scalar(field)?));
                } else {
                    element(key, field, out)?;
                }
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::Null => {}
        scalar_value => {
            out.push_str(&format!(
                "<{name}>{}</{name}>",
                escape(&scalar(scalar_value)?)
            ));
        }
    }
    Ok(())
}

fn scalar(value: &Value) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Null => Ok(String::new()),
        _ => Err("an attribute or text value must be a string, number or boolean".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::catalog;

    #[test]
    fn json_and_xml_give_the_entity_element() {
        let webapp = catalog().entity("was", "webapp").unwrap();
        let json: Value =
            serde_json::json!({"name": "A & B", "tags": {"set": {"Tag": [{"id": 1}, {"id": 2}]}}});
        assert_eq!(
            from_json(&json, webapp).unwrap(),
            "<WebApp><name>A &amp; B</name><tags><set><Tag><id>1</id></Tag><Tag><id>2</id></Tag></set></tags></WebApp>"
        );
        let xml = "<ServiceRequest><data><WebApp><name>x</name></WebApp></data></ServiceRequest>";
        assert_eq!(
            from_xml(xml, webapp).unwrap(),
            "<WebApp><name>x</name></WebApp>"
        );
        assert!(
            from_xml("<Other/>", webapp)
                .unwrap_err()
                .contains("expected <WebApp>")
        );
    }
}
