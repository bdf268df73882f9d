//! What one executable API call looks like: [`Endpoint`] and its [`Method`].

use super::FromResponse;
use crate::error::Error;

/// An HTTP method, as the endpoint catalog uses them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method's name on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One executable API call: a catalog action bound to its arguments (an id, search criteria, an entity).
///
/// The generator emits one implementation per catalog action; [`Client::execute`](crate::client::Client::execute)
/// runs any of them. For example, a WAS web application search (`ServiceResponse` stands for the generated
/// envelope type):
///
/// ```
/// use qps_runtime::envelope::{Endpoint, Method};
/// use qps_runtime::error::Error;
/// # use qps_runtime::envelope::{ErrorDetails, ResponseEnvelope};
/// # use qps_runtime::xml::{BytesStart, FromXml, ReadError, RootElement, XmlReader, XmlSource};
/// # struct ServiceResponse {
/// #     code: String,
/// # }
/// # impl RootElement for ServiceResponse {
/// #     const ROOT: &'static str = "ServiceResponse";
/// # }
/// # impl FromXml for ServiceResponse {
/// #     fn read<S: XmlSource>(reader: &mut XmlReader<S>, _: &BytesStart<'_>) -> Result<Self, ReadError> {
/// #         let mut code = String::new();
/// #         let mut children = reader.children();
/// #         while let Some(child) = children.next(reader)? {
/// #             match child.local_name().as_ref() {
/// #                 b"responseCode" => code = reader.leaf(&child)?,
/// #                 _ => reader.skip()?,
/// #             }
/// #         }
/// #         Ok(ServiceResponse { code })
/// #     }
/// # }
/// # impl ResponseEnvelope for ServiceResponse {
/// #     type Item = String;
/// #     const ITEM_ELEMENTS: &'static [&'static str] = &[];
/// #     fn response_code(&self) -> &str { &self.code }
/// #     fn error_details(&self) -> Option<ErrorDetails> { None }
/// #     fn count(&self) -> Option<i64> { None }
/// #     fn has_more_records(&self) -> Option<bool> { None }
/// #     fn last_id(&self) -> Option<i64> { None }
/// #     fn into_items(self) -> Vec<String> { Vec::new() }
/// # }
///
/// struct SearchWebApps {
///     name_contains: String,
/// }
///
/// impl Endpoint for SearchWebApps {
///     const METHOD: Method = Method::Post;
///     type Output = ServiceResponse;
///
///     fn path(&self) -> String {
///         "/qps/rest/3.0/search/was/webapp".into()
///     }
///     fn body(&self) -> Result<Option<String>, Error> {
///         // Generated code serializes a typed ServiceRequest (escaping, facet checks) here.
///         Ok(Some(format!(
///             r#"<ServiceRequest><filters><Criteria field="name" operator="CONTAINS">{}</Criteria></filters></ServiceRequest>"#,
///             self.name_contains
///         )))
///     }
///     fn retry_safe(&self) -> bool {
///         true // a search changes nothing
///     }
///     // `parse` reads the response with `parse_envelope`, as `ServiceResponse` is a `ResponseEnvelope`.
/// }
///
/// let ok = SearchWebApps::parse(200, b"<ServiceResponse><responseCode>SUCCESS</responseCode></ServiceResponse>");
/// assert!(ok.is_ok());
/// ```
pub trait Endpoint {
    /// The HTTP method.
    const METHOD: Method;

    /// Whether the response is XML. The client reports a non-XML body as [`Error::NotXml`] before calling
    /// [`parse`](Self::parse), unless this is `false` (the iCalendar schedule download, for one).
    const XML_RESPONSE: bool = true;

    /// What a successful call yields: usually the module's `ServiceResponse` type.
    type Output: FromResponse;

    /// The path below the base URL, e.g. `/qps/rest/3.0/search/was/webapp` or `/qps/rest/3.0/get/was/webapp/42`.
    fn path(&self) -> String;

    /// The XML request body, if any. Fails with [`Error::Validation`] when a value breaks its XSD facets, so
    /// that nothing invalid is sent.
    fn body(&self) -> Result<Option<String>, Error> {
        Ok(None)
    }

    /// Whether sending this request twice is harmless. True for reads (`get`, `search`, `count`, `status`,
    /// ...); false for `create`, `update`, `delete`, `launch` and the like. The default trusts only `GET`.
    ///
    /// A request that is not retry-safe is resent only after a response proving it never ran (HTTP 409 or
    /// 429, or a connection that could not be opened).
    fn retry_safe(&self) -> bool {
        Self::METHOD == Method::Get
    }

    /// Turns the response body into the output. Called for every status the client does not itself turn into
    /// an error; for XML endpoints, only after a failed `ServiceResponse` has been reported as [`Error::Api`].
    /// The default is the output's [`FromResponse`].
    fn parse(http_status: u16, body: &[u8]) -> Result<Self::Output, Error> {
        Self::Output::from_response(http_status, body)
    }

    /// [`Self::parse`], with the drift the body carries (what the client reads responses with). The default is
    /// the output's [`FromResponse::from_response_with_drift`]; an endpoint that overrides `parse` overrides
    /// this too.
    fn parse_with_drift(
        http_status: u16,
        body: &[u8],
    ) -> Result<(Self::Output, crate::xml::Drift), Error> {
        Self::Output::from_response_with_drift(http_status, body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names() {
        assert_eq!(Method::Post.to_string(), "POST");
        assert_eq!(Method::Delete.as_str(), "DELETE");
    }
}
