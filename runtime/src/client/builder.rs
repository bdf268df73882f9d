//! [`ClientBuilder`]: the platform, the credentials, timeouts, retries and the concurrency cap of a [`Client`].
//!
//! Time limits, each ending the call (or the attempt) with [`Error::Timeout`]:
//! - [`connect_timeout`](ClientBuilder::connect_timeout), default [`DEFAULT_CONNECT_TIMEOUT`] (15 s): opening a
//!   connection; the attempt fails, and is retried as the retry policy allows (nothing was sent).
//! - [`read_timeout`](ClientBuilder::read_timeout), default [`DEFAULT_READ_TIMEOUT`] (60 s): no byte of the
//!   response (head or body) for that long fails the attempt, so a stalled server cannot hold a call; a
//!   retry-safe call is retried.
//! - [`timeout`](ClientBuilder::timeout), default [`DEFAULT_TIMEOUT`] (300 s): the whole call, from the first
//!   send to the last byte of the body, retries and waits included; never retried. A server that drips a byte
//!   now and then stays within the read timeout, and this is what ends it.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use super::{BaseUrl, Platform};
use super::{Client, Credentials, DEFAULT_USER_AGENT, Inner, RetryPolicy, limiter::Limiter};
use crate::error::Error;

/// The default [`ClientBuilder::connect_timeout`].
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// The default [`ClientBuilder::read_timeout`].
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);
/// The default [`ClientBuilder::timeout`].
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// The time limits a client runs with (see the [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Timeouts {
    pub connect: Duration,
    pub idle: Duration,
    pub deadline: Duration,
}

/// Configures a [`Client`].
#[must_use]
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base: Option<BaseUrl>,
    credentials: Option<Credentials>,
    timeouts: Timeouts,
    allow_insecure_http: bool,
    user_agent: String,
    retry: RetryPolicy,
    concurrency_limit: Option<usize>,
    use_proxy: bool,
    limits: crate::xml::Limits,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base: None,
            credentials: None,
            timeouts: Timeouts {
                connect: DEFAULT_CONNECT_TIMEOUT,
                idle: DEFAULT_READ_TIMEOUT,
                deadline: DEFAULT_TIMEOUT,
            },
            allow_insecure_http: false,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            retry: RetryPolicy::default(),
            concurrency_limit: None,
            use_proxy: true,
            limits: crate::xml::Limits::default(),
        }
    }
}

impl ClientBuilder {
    /// Talk to a Qualys platform's API server.
    pub fn platform(mut self, platform: Platform) -> Self {
        self.base = Some(platform.base_url());
        self
    }

    /// Talk to any base URL (a private platform, a proxy, a test server).
    pub fn base_url(mut self, base: BaseUrl) -> Self {
        self.base = Some(base);
        self
    }

    /// The credentials to use. Without this, [`build`](Self::build) calls [`Credentials::discover`] for the
    /// base URL's host (environment, then `.netrc`).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// The limit on one whole call, from the first send to the last byte of the body, across retries and the
    /// waits between them (default 300 s). For a streamed response ([`Client::stream_items`]) it runs until the
    /// body has been read, so a caller that pauses long on a large response may run into it.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.deadline = timeout;
        self
    }

    /// What responses may not exceed (default [`Limits::default`](crate::xml::Limits::default)): a body read
    /// whole (every call but the streamed ones) beyond `max_body_bytes` ends the call, not retried, with
    /// [`Error::Xml`](crate::Error::Xml) whose source is the limit's [`ReadError`](crate::xml::ReadError)
    /// (`LimitExceeded` of `Limit::BodyBytes`); streamed records are read under the other limits
    /// (a node beyond `max_node_bytes`, say, ends the stream with that error).
    pub fn limits(mut self, limits: crate::xml::Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The limit on opening a connection (default 15 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.connect = timeout;
        self
    }

    /// The limit on waiting for the next byte of a response, head or body (default 60 s): a server that stops
    /// sending fails the attempt after this long.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.idle = timeout;
        self
    }

    /// Send the credentials over plain `http://` to a host that is not a loopback address (refused by
    /// default, since anyone on the path could read them).
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// The `User-Agent` header (default [`DEFAULT_USER_AGENT`]).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// When and how to retry (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// At most `limit` requests in flight at once across all clones of the client (at least 1).
    pub fn concurrency_limit(mut self, limit: usize) -> Self {
        self.concurrency_limit = Some(limit.max(1));
        self
    }

    /// Ignore `HTTP(S)_PROXY` and friends, which are honoured by default.
    pub fn no_proxy(mut self) -> Self {
        self.use_proxy = false;
        self
    }

    /// Builds the client. Fails without a base URL, without credentials (given or discovered), with
    /// credentials Basic authentication cannot carry, or with an `http://` base URL whose host is not a
    /// loopback address (unless [`allow_insecure_http`](Self::allow_insecure_http)).
    pub fn build(self) -> Result<Client, Error> {
        let base = self.base.ok_or_else(|| {
            Error::Config("no platform or base URL given to the client builder".into())
        })?;
        let credentials = match self.credentials {
            Some(c) => c,
            None => Credentials::discover(base.host())?,
        };
        credentials.validate()?;
        if !base.is_https() && !base.is_loopback() && !self.allow_insecure_http {
            return Err(Error::Config(
                "refusing to send credentials over plain http:// to a host that is not a loopback address; \
                 use https://, or allow_insecure_http(true) on the client builder"
                    .into(),
            ));
        }
        let mut authorization = HeaderValue::from_str(&credentials.basic_auth_value())
            .map_err(|_| Error::Config("the credentials do not fit in an HTTP header".into()))?;
        authorization.set_sensitive(true);
        if !base.is_https() {
            tracing::warn!(
                base_url = base.as_str(),
                "credentials will be sent without TLS"
            );
        }

        let mut http = reqwest::Client::builder()
            .user_agent(self.user_agent)
            .connect_timeout(self.timeouts.connect)
            .read_timeout(self.timeouts.idle)
            // A redirect would be reported, not followed: QPS does not redirect, and following one could
            // send the request (and, on the same host, the credentials) somewhere unintended.
            .redirect(reqwest::redirect::Policy::none());
        if !self.use_proxy {
            http = http.no_proxy();
        }
        let http = http
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;

        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                authorization,
                retry: self.retry,
                timeouts: self.timeouts,
                limiter: Limiter::new(self.concurrency_limit),
                drift: Arc::default(),
                limits: self.limits,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_requires_a_base_url_and_sane_credentials() {
        let err = Client::builder()
            .credentials(Credentials::new("u", "p"))
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)));

        let err = Client::builder()
            .platform(Platform::Us1)
            .credentials(Credentials::new("a:b", "p"))
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("':'"));

        let client = Client::builder()
            .platform(Platform::Eu2)
            .credentials(Credentials::new("user", "secret-pw"))
            .build()
            .unwrap();
        assert_eq!(
            client.base_url().as_str(),
            "https://qualysapi.qg2.apps.qualys.eu"
        );
        let shown = format!("{client:?}");
        assert!(
            !shown.contains("secret-pw") && !shown.contains("user"),
            "{shown}"
        );
        assert!(DEFAULT_USER_AGENT.starts_with("qualys-qps/"));
    }
}
