//! Responses as records: a `ServiceResponse` page (its envelope fields and the entities under `<data>`), a bare
//! entity document, or a count; each entity turned into JSON by its XML structure.
//!
//! The mapping, the same for every entity: an element with child elements is an object keyed by the children's
//! names (a name that repeats becomes an array); a `<list>` wrapper is an array of its items; a leaf is its text,
//! as a JSON number or boolean when the text is exactly one (`42`, `true`), as a string otherwise (`007` stays
//! text); attributes are keys prefixed with `@`; an empty leaf is `null`.

use qualys_qps::runtime::envelope::read_status;
use serde_json::{Map, Value};

use crate::error::CliError;

/// One page of a `ServiceResponse`.
#[derive(Debug, Default)]
pub struct Page {
    /// `count`: the records on this page.
    pub count: Option<u64>,
    /// `hasMoreRecords`.
    pub has_more: bool,
    /// `lastId`.
    pub last_id: Option<i64>,
    /// The entities under `<data>`.
    pub records: Vec<Value>,
}

/// Reads a `ServiceResponse` body; a `responseCode` other than `SUCCESS` is a Qualys error.
pub fn read_page(body: &str, what: &str) -> Result<Page, CliError> {
    if let Some(status) = read_status(body.as_bytes()) {
        if !status.is_success() {
            return Err(status.into_error(200).into());
        }
    }
    let doc = parse(body, what)?;
    let root = doc.root_element();
    if root.tag_name().name() != "ServiceResponse" {
        return Err(CliError::Qualys(format!(
            "{what}: expected a <ServiceResponse>, found <{}>",
            root.tag_name().name()
        )));
    }
    let mut page = Page::default();
    for child in root.children().filter(|n| n.is_element()) {
        let text = child.text().unwrap_or("").trim();
        match child.tag_name().name() {
            "count" => page.count = text.parse().ok(),
            "hasMoreRecords" => page.has_more = text == "true",
            "lastId" => page.last_id = text.parse().ok(),
            "data" => {
                page.records = child
                    .children()
                    .filter(|n| n.is_element())
                    .map(to_json)
                    .collect();
            }
            _ => {}
        }
    }
    Ok(page)
}

/// Reads a bare entity document (`<WasScan>...</WasScan>`) as one record.
pub fn read_bare(body: &str, what: &str) -> Result<Value, CliError> {
    let doc = parse(body, what)?;
    Ok(to_json(doc.root_element()))
}

fn parse<'a>(body: &'a str, what: &str) -> Result<roxmltree::Document<'a>, CliError> {
    // Without a DTD (the default): no entity expansion.
    roxmltree::Document::parse(body)
        .map_err(|e| CliError::Qualys(format!("{what}: the response is not well-formed XML: {e}")))
}

/// One element as JSON (see the module docs).
pub fn to_json(node: roxmltree::Node<'_, '_>) -> Value {
    let elements: Vec<_> = node.children().filter(|n| n.is_element()).collect();
    let attributes: Vec<_> = node.attributes().collect();
    if elements.is_empty() && attributes.is_empty() {
        let text: String = node.children().filter_map(|n| n.text()).collect();
        return leaf(text.trim());
    }
    if node.tag_name().name() == "list" && attributes.is_empty() {
        return Value::Array(elements.into_iter().map(to_json).collect());
    }
    let mut object = Map::new();
    for attribute in attributes {
        object.insert(format!("@{}", attribute.name()), leaf(attribute.value()));
    }
    if elements.is_empty() {
        let text: String = node.children().filter_map(|n| n.text()).collect();
        object.insert("#text".into(), leaf(text.trim()));
        return Value::Object(object);
    }
    for child in elements {
        let key = child.tag_name().name().to_owned();
        let value = to_json(child);
        match object.get_mut(&key) {
            Some(Value::Array(items)) if repeats(node, &key) => items.push(value),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, value]);
            }
            None => {
                object.insert(key, value);
            }
        }
    }
    Value::Object(object)
}

/// Whether `key` occurs more than once among `node`'s children (so its value is already the array of them).
fn repeats(node: roxmltree::Node<'_, '_>, key: &str) -> bool {
    node.children()
        .filter(|n| n.is_element() && n.tag_name().name() == key)
        .nth(1)
        .is_some()
}

/// A leaf's text as JSON: a number or boolean only when the text is exactly its canonical form.
fn leaf(text: &str) -> Value {
    if text.is_empty() {
        return Value::Null;
    }
    if text == "true" || text == "false" {
        return Value::Bool(text == "true");
    }
    if let Ok(n) = text.parse::<i64>() {
        if n.to_string() == text {
            return Value::from(n);
        }
    }
    Value::String(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_entities_by_structure() {
        let body = "<ServiceResponse><responseCode>SUCCESS</responseCode><count>2</count>\
            <hasMoreRecords>true</hasMoreRecords><lastId>8</lastId><data>\
            <WebApp><id>7</id><name>a &amp; b</name><zip>007</zip><tags><count>2</count><list>\
            <Tag><id>1</id></Tag><Tag><id>2</id></Tag></list></tags><u>x</u><u>y</u><u>z</u><e/></WebApp>\
            <WebApp><id>8</id></WebApp></data></ServiceResponse>";
        let page = read_page(body, "test").unwrap();
        assert_eq!(
            (page.count, page.has_more, page.last_id),
            (Some(2), true, Some(8))
        );
        assert_eq!(
            page.records[0],
            serde_json::json!({"id": 7, "name": "a & b", "zip": "007",
                "tags": {"count": 2, "list": [{"id": 1}, {"id": 2}]}, "u": ["x", "y", "z"], "e": null})
        );
    }

    #[test]
    fn a_failed_response_code_is_a_qualys_error() {
        let body = "<ServiceResponse><responseCode>INVALID_REQUEST</responseCode><responseErrorDetails>\
            <errorMessage>bad</errorMessage><errorResolution>fix it</errorResolution></responseErrorDetails>\
            </ServiceResponse>";
        let error = read_page(body, "test").unwrap_err();
        assert_eq!(error.exit_code(), crate::error::EXIT_QUALYS);
        assert!(error.to_string().contains("fix it"), "{error}");
    }
}
