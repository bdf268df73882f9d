//! One catalog call as a runtime [`Endpoint`]: the method, path and body decided at run time, the response
//! returned as text. The runtime does the rest as for generated endpoints: authentication, retries (only for the
//! calls that change nothing), the concurrency cap, and a failed `responseCode` reported as a Qualys error.

use qualys_qps::runtime::{Client, Endpoint, Error, Method};

use crate::catalog;

/// A request decided at run time.
#[derive(Debug, Clone)]
pub struct Request {
    /// The catalog's method for the action.
    pub method: catalog::Method,
    /// The path below the base URL.
    pub path: String,
    /// The XML body, if any.
    pub body: Option<String>,
    /// Whether sending it twice is harmless.
    pub retry_safe: bool,
    /// Whether the response is XML (not for the iCalendar download).
    pub xml: bool,
}

/// The actions that change nothing, as the generated endpoints count them: these are retried.
pub fn is_read(action: &str) -> bool {
    matches!(
        action,
        "search" | "count" | "get" | "status" | "summary" | "download"
    )
}

struct Call<const M: u8, const XML: bool>(Request);

const fn method(m: u8) -> Method {
    match m {
        0 => Method::Get,
        1 => Method::Post,
        2 => Method::Put,
        _ => Method::Delete,
    }
}

impl<const M: u8, const XML: bool> Endpoint for Call<M, XML> {
    const METHOD: Method = method(M);
    const XML_RESPONSE: bool = XML;
    type Output = String;

    fn path(&self) -> String {
        self.0.path.clone()
    }

    fn body(&self) -> Result<Option<String>, Error> {
        Ok(self.0.body.clone())
    }

    fn retry_safe(&self) -> bool {
        self.0.retry_safe
    }
}

/// Sends the request; returns the response body.
pub async fn send(client: &Client, request: Request) -> Result<String, Error> {
    use catalog::Method as M;
    match (request.method, request.xml) {
        (M::Get, true) => client.execute(&Call::<0, true>(request)).await,
        (M::Get, false) => client.execute(&Call::<0, false>(request)).await,
        (M::Post, true) => client.execute(&Call::<1, true>(request)).await,
        (M::Post, false) => client.execute(&Call::<1, false>(request)).await,
        (M::Put, true) => client.execute(&Call::<2, true>(request)).await,
        (M::Put, false) => client.execute(&Call::<2, false>(request)).await,
        (M::Delete, true) => client.execute(&Call::<3, true>(request)).await,
        (M::Delete, false) => client.execute(&Call::<3, false>(request)).await,
    }
}
