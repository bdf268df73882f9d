//! What generated endpoints call to write a request body and to read a bare document: helpers re-exported
//! only through `__private`.

use super::{read_context, read_status, request_body, strip_bom};
use crate::error::Error;
use crate::xml::{FromXml, RootElement, read_document};

/// [`request_body`](super::request_body), except that a request with nothing set (equal to its default) is no body at all: a search
/// without criteria or preferences is sent empty, as Qualys documents it.
pub fn request_body_unless_empty<T>(request: &T) -> Result<Option<String>, Error>
where
    T: crate::xml::ToXml + crate::xml::RootElement + crate::xml::Validate + Default + PartialEq,
{
    if *request == T::default() {
        return Ok(None);
    }
    request_body(request)
}

/// Reads a bare document (not an envelope), such as the `<WasScan>` a scan download returns, checking its
/// document element. A failed `ServiceResponse` in its place (Qualys reports errors that way) becomes the API
/// error it carries.
pub fn parse_document<T: FromXml + RootElement>(http_status: u16, body: &[u8]) -> Result<T, Error> {
    if let Some(status) = read_status(body) {
        if !status.is_success() {
            return Err(status.into_error(http_status));
        }
    }
    read_document(strip_bom(body)).map_err(|e| Error::xml(read_context::<T>(http_status), e))
}
