//! `--data FILE|-`: the request's entity, as XML (a whole `<ServiceRequest>` or the bare entity element, read with
//! the generated reader) or as JSON (the shape `--format json` prints, read into the generated type with serde),
//! checked against the schema's facets and occurrences (the generated `validate()`) and written with the
//! generated writer: the XML that goes under `<ServiceRequest><data>`. Anything the type does not know is an
//! error, not dropped.

use std::io::Read;

use qualys_qps::runtime::envelope::read_item_document;
use qualys_qps::runtime::xml::{
    Drift, ReadErrorKind, ToXml, Validate, XmlWriter, read_document_with_drift,
};
use qualys_qps::runtime::{CatalogEntity, EntityVisitor};
use serde_json::Value;

use crate::catalog::Entity;
use crate::error::CliError;
use crate::json_path;

/// Reads `source` (a path, or `-` for stdin) and returns the content of `<data>`: one entity element, checked.
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
    parse(&text, entity).map_err(|e| CliError::usage(format!("--data {shown}: {e}")))
}

/// The entity element of `text` (XML or JSON), checked and written anew; the error says what and where.
pub fn parse(text: &str, entity: &Entity) -> Result<String, String> {
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    let input = if trimmed.starts_with('<') {
        Input::Xml(trimmed)
    } else if trimmed.starts_with('{') {
        let value: Value =
            serde_json::from_str(trimmed).map_err(|e| format!("not valid JSON: {e}"))?;
        Input::Json(value)
    } else {
        return Err(
            "expected XML (starting with `<`) or a JSON object (starting with `{`)".to_owned(),
        );
    };
    qualys_qps::visit_entity(&entity.module, &entity.name, input).unwrap_or_else(|| {
        Err(format!(
            "{}/{} has no generated types in this build",
            entity.module, entity.name
        ))
    })
}

enum Input<'a> {
    Xml(&'a str),
    Json(Value),
}

impl EntityVisitor for Input<'_> {
    type Output = Result<String, String>;

    fn visit<E: CatalogEntity>(self) -> Self::Output {
        let item = match self {
            Input::Xml(text) => from_xml::<E>(text)?,
            Input::Json(value) => from_json::<E>(value)?,
        };
        item.validate().map_err(|e| {
            format!(
                "{}{e}",
                if e.path.is_empty() {
                    format!("{}: ", E::ELEMENT)
                } else {
                    String::new()
                }
            )
        })?;
        let mut writer = XmlWriter::new();
        item.write_xml(&mut writer, E::ELEMENT);
        Ok(writer.into_string())
    }
}

/// The bare entity element, or the one under `<ServiceRequest><data>`; unknown content is an error.
fn from_xml<E: CatalogEntity>(text: &str) -> Result<E::Item, String> {
    let (item, drift) = match read_item_document::<E>(text.as_bytes()) {
        Ok(read) => read,
        Err(e) => match e.kind() {
            ReadErrorKind::UnexpectedRoot { found, .. } if found == "ServiceRequest" => {
                let (request, drift) = read_document_with_drift::<E::Request>(text.as_bytes())
                    .map_err(|e| format!("not a valid <ServiceRequest>: {e}"))?;
                let item = E::request_item(request)
                    .ok_or_else(|| format!("the <ServiceRequest> has no <data><{}>", E::ELEMENT))?;
                (item, drift)
            }
            ReadErrorKind::UnexpectedRoot { found, .. } => {
                return Err(format!(
                    "expected <{}> or <ServiceRequest>, found <{found}>",
                    E::ELEMENT
                ));
            }
            _ => return Err(format!("not a valid <{}>: {e}", E::ELEMENT)),
        },
    };
    unknown(&drift)?;
    Ok(item)
}

fn unknown(drift: &Drift) -> Result<(), String> {
    let Some(first) = drift.entries().first() else {
        return Ok(());
    };
    let more = drift.entries().len() - 1;
    Err(format!(
        "{first}: the schema does not have it{}",
        if more > 0 {
            format!(" ({more} more such paths)")
        } else {
            String::new()
        }
    ))
}

/// The entity as JSON (`{"name": ...}`, or wrapped in its element's name: `{"WebApp": {...}}`).
fn from_json<E: CatalogEntity>(value: Value) -> Result<E::Item, String> {
    let Value::Object(fields) = &value else {
        return Err("expected a JSON object".into());
    };
    let (value, prefix) = match fields.get(E::ELEMENT) {
        Some(inner) if fields.len() == 1 => (inner.clone(), E::ELEMENT.to_owned()),
        _ => (value, String::new()),
    };
    let item = json_path::deserialize::<E::Item>(&value)
        .map_err(|(path, e)| format!("{}: {e}", json_path::show(&prefix, &path)))?;
    let written = serde_json::to_value(&item).map_err(|e| e.to_string())?;
    if let Some(path) = json_path::unknown_key(&value, &written) {
        return Err(format!(
            "{}: no such field in <{}> (the fields are those `--format json` prints)",
            json_path::show(&prefix, &path),
            E::ELEMENT
        ));
    }
    Ok(item)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::catalog;

    fn webapp() -> &'static Entity {
        catalog().entity("was", "webapp").unwrap()
    }

    #[test]
    fn json_and_xml_give_the_entity_element() {
        let json = r#"{"name": "A & B", "tags": {"set": {"Tag": [{"id": 1}, {"id": "2"}]}}}"#;
        assert_eq!(
            parse(json, webapp()).unwrap(),
            "<WebApp><name>A &amp; B</name><tags><set><Tag><id>1</id></Tag><Tag><id>2</id></Tag></set></tags></WebApp>"
        );
        let wrapped = r#"{"WebApp": {"name": "x"}}"#;
        assert_eq!(
            parse(wrapped, webapp()).unwrap(),
            "<WebApp><name>x</name></WebApp>"
        );
        let xml = "<ServiceRequest><data><WebApp><name>x</name></WebApp></data></ServiceRequest>";
        assert_eq!(
            parse(xml, webapp()).unwrap(),
            "<WebApp><name>x</name></WebApp>"
        );
        assert!(
            parse("<Other/>", webapp())
                .unwrap_err()
                .contains("expected <WebApp> or <ServiceRequest>, found <Other>")
        );
    }

    #[test]
    fn bad_data_names_the_path_and_the_rule() {
        let cases = [
            (r#"{"id": "seven"}"#, "id: "),
            (r#"{"nmae": "x"}"#, "nmae: no such field"),
            (
                r#"{"tags": {"set": {"Tag": [{"id": 1}, {"idd": 2}]}}}"#,
                "tags.set.Tag[1].idd: no such field",
            ),
            (r#"{"WebApp": {"owner": {"id": []}}}"#, "WebApp.owner.id: "),
            ("<WebApp><nmae>x</nmae></WebApp>", "WebApp/nmae"),
            ("<WebApp><id>x</id></WebApp>", "xs:long"),
        ];
        for (input, expected) in cases {
            let error = parse(input, webapp()).unwrap_err();
            assert!(error.contains(expected), "{input}: {error}");
        }
    }
}
