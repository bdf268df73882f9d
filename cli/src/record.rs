//! Responses as records, read with the entity's generated types: a `ServiceResponse` page is streamed record by
//! record ([`ItemStream`]), a bare entity document read whole; each record becomes JSON through the generated
//! types' serde names (see the README's *Command line* section for the shape). What the types do not know is
//! skipped and counted as drift.

use qualys_qps::runtime::envelope::{parse_envelope_with_drift, read_status};
use qualys_qps::runtime::xml::{Drift, XmlReader};
use qualys_qps::runtime::{CatalogEntity, EntityVisitor, ItemStream, ResponseEnvelope};
use serde_json::Value;

use crate::catalog::Entity;
use crate::error::CliError;

/// The envelope fields of one `ServiceResponse` page, once its records have been handed on.
#[derive(Debug, Default)]
pub struct Page {
    /// `count`: the records on this page (or the total, for a count).
    pub count: Option<u64>,
    /// `hasMoreRecords`.
    pub has_more: bool,
    /// `lastId`.
    pub last_id: Option<i64>,
    /// How many records `<data>` held.
    pub records: u64,
    /// What the page carried that the generated types do not know.
    pub drift: Drift,
}

/// Reads a `ServiceResponse` body of `entity`, handing each record to `each` as it is read; a `responseCode`
/// other than `SUCCESS` is a Qualys error.
pub fn read_page(
    entity: &Entity,
    body: &str,
    what: &str,
    each: &mut dyn FnMut(&dyn JsonRecord) -> Result<(), CliError>,
) -> Result<Page, CliError> {
    if let Some(status) = read_status(body.as_bytes()) {
        if !status.is_success() {
            return Err(status.into_error(200).into());
        }
    }
    visit(entity, PageReader { body, what, each })?
}

/// Reads a whole `ServiceResponse` body of `entity` and hands on every record under `<data>`, of whichever element
/// the schema declares there (an update answer may name its records with another element than a search's).
pub fn read_response(
    entity: &Entity,
    body: &str,
    what: &str,
    each: &mut dyn FnMut(Value) -> Result<(), CliError>,
) -> Result<Drift, CliError> {
    visit(entity, ResponseReader { body, what, each })?
}

/// Reads a bare entity document (`<WasScan>...</WasScan>`) as one record, with its drift.
pub fn read_bare(entity: &Entity, body: &str, what: &str) -> Result<(Value, Drift), CliError> {
    visit(entity, BareReader { body, what })?
}

/// Calls `visitor` with the generated types of `entity`.
pub fn visit<V: EntityVisitor>(entity: &Entity, visitor: V) -> Result<V::Output, CliError> {
    qualys_qps::visit_entity(&entity.module, &entity.name, visitor).ok_or_else(|| {
        CliError::usage(format!(
            "{}/{}: the bundled catalog has it but the bindings were generated without it; rebuild qps",
            entity.module, entity.name
        ))
    })
}

/// A record read with its generated type, turned into JSON by whoever takes it: as a value (CSV and tables
/// flatten it, JSON indents it) or written straight out (JSON Lines, without building the value first).
pub trait JsonRecord {
    /// The record as a JSON value.
    fn to_value(&self, what: &str) -> Result<Value, CliError>;
    /// Writes the record as one line of compact JSON (no line end).
    fn write_json(&self, out: &mut dyn std::io::Write, what: &str) -> Result<(), CliError>;
}

impl<T: serde::Serialize> JsonRecord for T {
    fn to_value(&self, what: &str) -> Result<Value, CliError> {
        to_json(self, what)
    }

    fn write_json(&self, out: &mut dyn std::io::Write, what: &str) -> Result<(), CliError> {
        serde_json::to_writer(out, self).map_err(|e| {
            if e.is_io() {
                CliError::from(std::io::Error::from(e))
            } else {
                CliError::Qualys(format!("{what}: a record does not convert to JSON: {e}"))
            }
        })
    }
}

/// A record as JSON.
pub fn to_json<T: serde::Serialize>(record: &T, what: &str) -> Result<Value, CliError> {
    serde_json::to_value(record)
        .map_err(|e| CliError::Qualys(format!("{what}: a record does not convert to JSON: {e}")))
}

fn unreadable(what: &str, error: impl std::fmt::Display) -> CliError {
    CliError::Qualys(format!(
        "{what}: the response does not fit the schema: {error}"
    ))
}

struct PageReader<'a> {
    body: &'a str,
    what: &'a str,
    each: &'a mut dyn FnMut(&dyn JsonRecord) -> Result<(), CliError>,
}

impl EntityVisitor for PageReader<'_> {
    type Output = Result<Page, CliError>;

    fn visit<E: CatalogEntity>(self) -> Self::Output {
        let bytes = self.body.trim_start_matches('\u{feff}').as_bytes();
        let mut reader = XmlReader::from_bytes(bytes);
        reader.record_drift();
        let items = <E::Response as ResponseEnvelope>::ITEM_ELEMENTS;
        let mut stream =
            ItemStream::<_, E::Item>::new(reader, items).map_err(|e| unreadable(self.what, e))?;
        if !stream.header().is_success() {
            return Err(stream.header().status().into_error(200).into());
        }
        let mut records = 0;
        for item in stream.by_ref() {
            let item = item.map_err(|e| unreadable(self.what, e))?;
            (self.each)(&item)?;
            records += 1;
        }
        let header = stream.header().clone();
        Ok(Page {
            count: header.count.and_then(|c| u64::try_from(c).ok()),
            has_more: header.has_more_records == Some(true),
            last_id: header.last_id,
            records,
            drift: stream.take_drift(),
        })
    }
}

struct ResponseReader<'a> {
    body: &'a str,
    what: &'a str,
    each: &'a mut dyn FnMut(Value) -> Result<(), CliError>,
}

impl EntityVisitor for ResponseReader<'_> {
    type Output = Result<Drift, CliError>;

    fn visit<E: CatalogEntity>(self) -> Self::Output {
        let bytes = self.body.as_bytes();
        let (response, drift) = parse_envelope_with_drift::<E::Response>(200, bytes)?;
        let Value::Object(mut fields) = to_json(&response, self.what)? else {
            return Ok(drift);
        };
        if let Some(Value::Object(data)) = fields.remove("data") {
            for (_, records) in data {
                match records {
                    Value::Array(records) => {
                        for record in records {
                            (self.each)(record)?;
                        }
                    }
                    record => (self.each)(record)?,
                }
            }
        }
        Ok(drift)
    }
}

struct BareReader<'a> {
    body: &'a str,
    what: &'a str,
}

impl EntityVisitor for BareReader<'_> {
    type Output = Result<(Value, Drift), CliError>;

    fn visit<E: CatalogEntity>(self) -> Self::Output {
        let bytes = self.body.trim_start_matches('\u{feff}').as_bytes();
        let (item, drift) = qualys_qps::runtime::envelope::read_item_document::<E>(bytes)
            .map_err(|e| unreadable(self.what, e))?;
        Ok((to_json(&item, self.what)?, drift))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::catalog;

    fn page(body: &str) -> (Result<Page, CliError>, Vec<Value>) {
        let webapp = catalog().entity("was", "webapp").unwrap();
        let mut records = Vec::new();
        let page = read_page(webapp, body, "test", &mut |r| {
            records.push(r.to_value("test")?);
            Ok(())
        });
        (page, records)
    }

    #[test]
    fn records_are_typed_by_the_schema() {
        let body = "<ServiceResponse><responseCode>SUCCESS</responseCode><count>2</count>\
            <hasMoreRecords>true</hasMoreRecords><lastId>8</lastId><data>\
            <WebApp><id>7</id><name>42</name><tags><count>2</count><list>\
            <Tag><id>1</id><name>a</name></Tag><Tag><id>2</id></Tag></list></tags><isScheduled>true</isScheduled>\
            <createdDate>2024-01-01T00:01:00Z</createdDate><newField>x</newField></WebApp>\
            <WebApp><id>8</id><name>Shop</name></WebApp></data></ServiceResponse>";
        let (page, records) = page(body);
        let page = page.unwrap();
        assert_eq!(
            (page.count, page.has_more, page.last_id, page.records),
            (Some(2), true, Some(8), 2)
        );
        // A name of digits stays a string; a one-item list is still an array; the unknown element is drift.
        assert_eq!(
            records[0],
            serde_json::json!({"id": 7, "name": "42", "isScheduled": true,
                "tags": {"count": 2, "list": {"Tag": [{"id": 1, "name": "a"}, {"id": 2}]}},
                "createdDate": "2024-01-01T00:01:00Z"})
        );
        assert_eq!(records[1], serde_json::json!({"id": 8, "name": "Shop"}));
        let drift: Vec<String> = page
            .drift
            .entries()
            .iter()
            .map(|e| e.path.clone())
            .collect();
        assert_eq!(drift, ["ServiceResponse/data/WebApp/newField"]);
    }

    #[test]
    fn a_failed_response_code_is_a_qualys_error() {
        let body = "<ServiceResponse><responseCode>INVALID_REQUEST</responseCode><responseErrorDetails>\
            <errorMessage>bad</errorMessage><errorResolution>fix it</errorResolution></responseErrorDetails>\
            </ServiceResponse>";
        let error = page(body).0.unwrap_err();
        assert_eq!(error.exit_code(), crate::error::EXIT_QUALYS);
        assert!(error.to_string().contains("fix it"), "{error}");
    }

    #[test]
    fn a_value_of_the_wrong_type_is_an_error_naming_it() {
        let body = "<ServiceResponse><responseCode>SUCCESS</responseCode><data>\
            <WebApp><id>seven</id></WebApp></data></ServiceResponse>";
        let error = page(body).0.unwrap_err();
        assert_eq!(error.exit_code(), crate::error::EXIT_QUALYS);
        assert!(error.to_string().contains("seven"), "{error}");
    }
}
