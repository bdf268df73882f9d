//! Where the API lives: the Qualys platforms by name, or any base URL.
//!
//! The API server URLs are the ones Qualys publishes on its platform identification page
//! (<https://www.qualys.com/platform-identification/>). QPS is served by the "API server" hosts
//! (`qualysapi.*`), not by the "API gateway" hosts (`gateway.*`), which serve other products.

use std::fmt;
use std::str::FromStr;

use reqwest::Url;

use crate::error::Error;

/// A Qualys shared cloud platform (the platform identifier embedded in a Qualys username says which).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Platform {
    /// US Platform 1.
    Us1,
    /// US Platform 2.
    Us2,
    /// US Platform 3.
    Us3,
    /// US Platform 4.
    Us4,
    /// US Government Platform 1.
    Gov1,
    /// EU Platform 1.
    Eu1,
    /// EU Platform 2.
    Eu2,
    /// EU Platform 3.
    Eu3,
    /// India Platform 1.
    In1,
    /// Canada Platform 1.
    Ca1,
    /// UAE Platform 1.
    Ae1,
    /// UK Platform 1.
    Uk1,
    /// Australia Platform 1.
    Au1,
    /// Kingdom of Saudi Arabia Platform 1.
    Ksa1,
}

impl Platform {
    /// Every platform, in Qualys's order.
    pub const ALL: [Platform; 14] = [
        Platform::Us1,
        Platform::Us2,
        Platform::Us3,
        Platform::Us4,
        Platform::Gov1,
        Platform::Eu1,
        Platform::Eu2,
        Platform::Eu3,
        Platform::In1,
        Platform::Ca1,
        Platform::Ae1,
        Platform::Uk1,
        Platform::Au1,
        Platform::Ksa1,
    ];

    /// The platform's name as Qualys writes it, e.g. `"US2"`.
    pub const fn name(self) -> &'static str {
        match self {
            Platform::Us1 => "US1",
            Platform::Us2 => "US2",
            Platform::Us3 => "US3",
            Platform::Us4 => "US4",
            Platform::Gov1 => "GOV1",
            Platform::Eu1 => "EU1",
            Platform::Eu2 => "EU2",
            Platform::Eu3 => "EU3",
            Platform::In1 => "IN1",
            Platform::Ca1 => "CA1",
            Platform::Ae1 => "AE1",
            Platform::Uk1 => "UK1",
            Platform::Au1 => "AU1",
            Platform::Ksa1 => "KSA1",
        }
    }

    /// The platform's API server URL, without a trailing slash.
    pub const fn api_url(self) -> &'static str {
        match self {
            Platform::Us1 => "https://qualysapi.qualys.com",
            Platform::Us2 => "https://qualysapi.qg2.apps.qualys.com",
            Platform::Us3 => "https://qualysapi.qg3.apps.qualys.com",
            Platform::Us4 => "https://qualysapi.qg4.apps.qualys.com",
            Platform::Gov1 => "https://qualysapi.gov1.qualys.us",
            Platform::Eu1 => "https://qualysapi.qualys.eu",
            Platform::Eu2 => "https://qualysapi.qg2.apps.qualys.eu",
            Platform::Eu3 => "https://qualysapi.qg3.apps.qualys.it",
            Platform::In1 => "https://qualysapi.qg1.apps.qualys.in",
            Platform::Ca1 => "https://qualysapi.qg1.apps.qualys.ca",
            Platform::Ae1 => "https://qualysapi.qg1.apps.qualys.ae",
            Platform::Uk1 => "https://qualysapi.qg1.apps.qualys.co.uk",
            Platform::Au1 => "https://qualysapi.qg1.apps.qualys.com.au",
            Platform::Ksa1 => "https://qualysapi.qg1.apps.qualysksa.com",
        }
    }

    /// The platform's API server as a [`BaseUrl`].
    pub fn base_url(self) -> BaseUrl {
        BaseUrl::parse(self.api_url()).expect("platform URLs are valid")
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Platform {
    type Err = Error;

    /// Parses a platform name, ignoring ASCII case (`"us2"`, `"US2"`, `"Ksa1"`).
    fn from_str(s: &str) -> Result<Self, Error> {
        let s = s.trim();
        Platform::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                let names: Vec<&str> = Platform::ALL.iter().map(|p| p.name()).collect();
                Error::Config(format!(
                    "unknown Qualys platform {s:?}; expected one of {}",
                    names.join(", ")
                ))
            })
    }
}

/// A validated API base URL: `http` or `https`, with a host, and no user, password, query or fragment.
///
/// A path prefix is kept (for a reverse proxy such as `https://proxy.example/qualys`); a trailing `/` is not.
/// Credentials in the URL are refused because URLs end up in logs and error messages.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl(Url);

impl BaseUrl {
    /// Parses and validates a base URL.
    pub fn parse(input: &str) -> Result<Self, Error> {
        // Never echo the input or any part of it: it may hold a user and password (`https://user:secret@host`),
        // and what looks like a scheme may be a user name (`user:secret@host` parses with the scheme `user`).
        let url = Url::parse(input.trim())
            .map_err(|e| Error::Config(format!("invalid base URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::Config(
                "base URL must start with http:// or https://".into(),
            ));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(Error::Config("base URL has no host".into()));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::Config(
                "base URL must not contain a user or password; pass Credentials instead".into(),
            ));
        }
        if url.query().is_some() {
            return Err(Error::Config(
                "base URL must not have a query string".into(),
            ));
        }
        if url.fragment().is_some() {
            return Err(Error::Config("base URL must not have a fragment".into()));
        }
        let mut url = url;
        let trimmed = url.path().trim_end_matches('/').to_owned();
        url.set_path(&trimmed);
        Ok(BaseUrl(url))
    }

    /// The URL's host, e.g. `qualysapi.qualys.com` (the key for `.netrc` look-ups).
    pub fn host(&self) -> &str {
        self.0.host_str().unwrap_or_default()
    }

    /// Whether the host is a loopback address (`127.0.0.0/8`, `::1`, `localhost`), so that plain HTTP does not
    /// leave the machine.
    pub fn is_loopback(&self) -> bool {
        let host = self.host();
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = bare.parse::<std::net::IpAddr>() {
            return ip.is_loopback();
        }
        let name = host.trim_end_matches('.').to_ascii_lowercase();
        name == "localhost" || name.ends_with(".localhost")
    }

    /// Whether requests to this URL travel over TLS.
    pub fn is_https(&self) -> bool {
        self.0.scheme() == "https"
    }

    /// The URL as text, without a trailing slash.
    pub fn as_str(&self) -> &str {
        self.0.as_str().trim_end_matches('/')
    }

    /// The full URL of an API path such as `/qps/rest/3.0/search/was/webapp`.
    ///
    /// The path is appended to the base path (never replacing it, as RFC 3986 resolution would); a missing
    /// leading `/` is supplied. Fails if `path` carries something that is not a path.
    pub fn join(&self, path: &str) -> Result<Url, Error> {
        let path = path.trim_start_matches('/');
        let joined = format!("{}/{path}", self.as_str());
        Url::parse(&joined)
            .map_err(|e| Error::Validation(format!("invalid request path {path:?}: {e}")))
    }
}

impl From<Platform> for BaseUrl {
    fn from(p: Platform) -> Self {
        p.base_url()
    }
}

impl FromStr for BaseUrl {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        BaseUrl::parse(s)
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_platform_has_a_distinct_https_qualysapi_url() {
        let mut seen = std::collections::HashSet::new();
        for p in Platform::ALL {
            let url = p.base_url();
            assert!(url.is_https(), "{p}");
            assert!(url.host().starts_with("qualysapi."), "{p}: {url}");
            assert_eq!(url.as_str(), p.api_url());
            assert!(seen.insert(p.api_url()), "duplicate URL for {p}");
        }
    }

    #[test]
    fn published_urls() {
        assert_eq!(Platform::Us1.api_url(), "https://qualysapi.qualys.com");
        assert_eq!(
            Platform::Eu3.api_url(),
            "https://qualysapi.qg3.apps.qualys.it"
        );
        assert_eq!(
            Platform::Ksa1.api_url(),
            "https://qualysapi.qg1.apps.qualysksa.com"
        );
        assert_eq!(
            Platform::Au1.api_url(),
            "https://qualysapi.qg1.apps.qualys.com.au"
        );
    }

    #[test]
    fn names_round_trip_ignoring_case() {
        for p in Platform::ALL {
            assert_eq!(p.to_string().parse::<Platform>().unwrap(), p);
            assert_eq!(p.name().to_lowercase().parse::<Platform>().unwrap(), p);
        }
        assert_eq!(" ksa1 ".parse::<Platform>().unwrap(), Platform::Ksa1);
        let err = "US9".parse::<Platform>().unwrap_err().to_string();
        assert!(err.contains("\"US9\"") && err.contains("KSA1"), "{err}");
    }

    #[test]
    fn base_url_validation() {
        let ok = BaseUrl::parse("http://127.0.0.1:8080/").unwrap();
        assert_eq!(ok.as_str(), "http://127.0.0.1:8080");
        assert_eq!(ok.host(), "127.0.0.1");
        assert!(!ok.is_https());

        let prefixed: BaseUrl = "https://proxy.example/qualys/".parse().unwrap();
        assert_eq!(prefixed.as_str(), "https://proxy.example/qualys");

        for bad in [
            "ftp://qualysapi.qualys.com",
            "https://qualysapi.qualys.com/?a=b",
            "https://qualysapi.qualys.com/#top",
            "not a url",
            "file:///etc/passwd",
        ] {
            assert!(
                matches!(BaseUrl::parse(bad), Err(Error::Config(_))),
                "{bad}"
            );
        }
        for with_user in [
            "https://bob:hunter2@qualysapi.qualys.com",
            "http://bob:hunter2@127.0.0.1:8080",
            "https://bob@qualysapi.qualys.com",
            "bob:hunter2@qualysapi.qualys.com",
            "bob:hunter2@127.0.0.1",
            "bob@qualysapi.qualys.com",
            " bob:hunter2@ ",
        ] {
            let err = BaseUrl::parse(with_user).unwrap_err();
            assert!(matches!(err, Error::Config(_)), "{with_user}");
            for shown in [err.to_string(), format!("{err:?}")] {
                assert!(
                    !shown.contains("hunter2") && !shown.contains("bob"),
                    "{with_user}: {shown}"
                );
            }
        }
    }

    #[test]
    fn loopback_hosts() {
        for (url, loopback) in [
            ("http://127.0.0.1:8080", true),
            ("http://127.1.2.3", true),
            ("http://[::1]:9000", true),
            ("http://localhost", true),
            ("http://LOCALHOST.:80", true),
            ("http://api.localhost", true),
            ("http://10.0.0.1", false),
            ("http://localhost.example.com", false),
            ("https://qualysapi.qualys.com", false),
            ("http://[::2]", false),
        ] {
            assert_eq!(
                BaseUrl::parse(url).unwrap().is_loopback(),
                loopback,
                "{url}"
            );
        }
    }

    #[test]
    fn join_appends_to_the_base_path() {
        let base: BaseUrl = "https://proxy.example/qualys".parse().unwrap();
        let url = base.join("/qps/rest/3.0/search/was/webapp").unwrap();
        assert_eq!(
            url.as_str(),
            "https://proxy.example/qualys/qps/rest/3.0/search/was/webapp"
        );
        let url = Platform::Us1
            .base_url()
            .join("qps/rest/portal/version/")
            .unwrap();
        assert_eq!(
            url.as_str(),
            "https://qualysapi.qualys.com/qps/rest/portal/version/"
        );
    }
}
