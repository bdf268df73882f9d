//! The `ServiceResponse` the server writes, and the errors it reports in one.

use std::fmt::Write as _;

use crate::tree::{Node, escape};

/// A non-SUCCESS `responseCode`, with the `responseErrorDetails` Qualys sends along.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub code: &'static str,
    pub message: String,
    pub resolution: String,
}

impl ApiError {
    pub fn new(
        code: &'static str,
        message: impl Into<String>,
        resolution: impl Into<String>,
    ) -> Self {
        ApiError {
            code,
            message: message.into(),
            resolution: resolution.into(),
        }
    }

    /// `INVALID_REQUEST`: the request is well-formed XML but asks for something the server refuses.
    pub fn invalid_request(message: impl Into<String>, resolution: impl Into<String>) -> Self {
        ApiError::new("INVALID_REQUEST", message, resolution)
    }

    /// `NOT_FOUND`: no `element` with this id in the user's scope.
    pub fn not_found(element: &str, id: i64) -> Self {
        ApiError::new(
            "NOT_FOUND",
            format!("{element} with id {id} does not exist or is not in your scope."),
            format!("Check the id: search the {element} records to list the ids you can use."),
        )
    }
}

/// A `ServiceResponse` document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Envelope {
    pub code: String,
    pub error: Option<ApiError>,
    pub count: Option<usize>,
    pub has_more_records: Option<bool>,
    pub last_id: Option<i64>,
    /// The records under `<data>`; `None` writes no `<data>`.
    pub data: Option<Vec<Node>>,
}

impl Envelope {
    /// SUCCESS with `count` and these records (just `count 0` when there are none).
    pub fn records(records: Vec<Node>) -> Self {
        let count = records.len();
        Envelope {
            code: "SUCCESS".into(),
            count: Some(count),
            data: (count > 0).then_some(records),
            ..Envelope::default()
        }
    }

    /// SUCCESS with only `count`.
    pub fn count(count: usize) -> Self {
        Envelope {
            code: "SUCCESS".into(),
            count: Some(count),
            ..Envelope::default()
        }
    }

    /// SUCCESS listing `<element><id>..</id></element>` per id (just `count 0` when there are none).
    pub fn ids(element: &str, ids: &[i64]) -> Self {
        Envelope::records(ids.iter().map(|&id| id_only(element, id)).collect())
    }

    /// The error's code and details.
    pub fn error(error: ApiError) -> Self {
        Envelope {
            code: error.code.into(),
            error: Some(error),
            ..Envelope::default()
        }
    }

    /// The document, with the schema location Qualys writes (`None` for responses outside an entity).
    pub fn to_xml(&self, schema_location: Option<&str>) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ServiceResponse");
        if let Some(location) = schema_location {
            let _ = write!(
                out,
                " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
                 xsi:noNamespaceSchemaLocation=\"{}\"",
                escape(location)
            );
        }
        out.push('>');
        let _ = write!(out, "<responseCode>{}</responseCode>", self.code);
        if let Some(error) = &self.error {
            let _ = write!(
                out,
                "<responseErrorDetails><errorMessage>{}</errorMessage>\
                 <errorResolution>{}</errorResolution></responseErrorDetails>",
                escape(&error.message),
                escape(&error.resolution)
            );
        }
        if let Some(count) = self.count {
            let _ = write!(out, "<count>{count}</count>");
        }
        if let Some(more) = self.has_more_records {
            let _ = write!(out, "<hasMoreRecords>{more}</hasMoreRecords>");
        }
        if let Some(last_id) = self.last_id {
            let _ = write!(out, "<lastId>{last_id}</lastId>");
        }
        if let Some(data) = &self.data {
            out.push_str("<data>");
            for record in data {
                record.write(&mut out);
            }
            out.push_str("</data>");
        }
        out.push_str("</ServiceResponse>");
        out
    }
}

/// `<element><id>id</id></element>`.
pub(crate) fn id_only(element: &str, id: i64) -> Node {
    Node::new(element).with(Node::leaf("id", id.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_elements_in_schema_order() {
        let mut envelope = Envelope::ids("WebApp", &[1, 2]);
        envelope.has_more_records = Some(true);
        envelope.last_id = Some(2);
        assert_eq!(
            envelope.to_xml(None),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ServiceResponse><responseCode>SUCCESS\
             </responseCode><count>2</count><hasMoreRecords>true</hasMoreRecords><lastId>2</lastId>\
             <data><WebApp><id>1</id></WebApp><WebApp><id>2</id></WebApp></data></ServiceResponse>"
        );
        assert_eq!(
            Envelope::ids("WebApp", &[]).to_xml(None),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ServiceResponse><responseCode>SUCCESS\
             </responseCode><count>0</count></ServiceResponse>"
        );
    }
}
