//! Qualys account credentials: given explicitly, read from the environment, or read from a `.netrc` file.
//!
//! QPS authenticates every request with HTTP Basic authentication. The password never appears in `Debug`
//! output or in an error message, and the username only as its first three characters.

use std::fmt;
use std::path::{Path, PathBuf};

use base64::Engine as _;

use crate::error::Error;

/// The environment variable holding the username.
pub const USERNAME_VAR: &str = "QUALYS_USERNAME";
/// The environment variable holding the password.
pub const PASSWORD_VAR: &str = "QUALYS_PASSWORD";

/// A Qualys username and password.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    username: String,
    password: String,
}

impl Credentials {
    /// Credentials from explicit values.
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        Credentials {
            username: username.into(),
            password: password.into(),
        }
    }

    /// The username.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The password. Handle with care: this is the only way it leaves this type besides the auth header.
    pub fn password(&self) -> &str {
        &self.password
    }

    /// Reads `QUALYS_USERNAME` and `QUALYS_PASSWORD`; the error names the variable that is missing or empty.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(env_var).map_err(Error::Config)
    }

    /// Reads the entry for `host` (or the `default` entry) from the file named by `$NETRC`, else `~/.netrc`.
    pub fn from_netrc(host: &str) -> Result<Self, Error> {
        netrc_path()
            .and_then(|path| Self::from_netrc_at(&path, host))
            .map_err(Error::Config)
    }

    /// Reads the entry for `host` (or the `default` entry) from the `.netrc`-format file at `path`.
    pub fn from_netrc_file(path: &Path, host: &str) -> Result<Self, Error> {
        Self::from_netrc_at(path, host).map_err(Error::Config)
    }

    /// Finds credentials for `host`: first the environment, then `.netrc`.
    ///
    /// Setting only one of the two variables is an error rather than a silent fall-through to `.netrc`,
    /// since it is almost always a mistake. When neither source has credentials, the error says what each
    /// one lacked.
    pub fn discover(host: &str) -> Result<Self, Error> {
        Self::discover_with(env_var, netrc_path(), host).map_err(Error::Config)
    }

    /// [`discover`](Self::discover) over any variable source and `.netrc` location (tests).
    fn discover_with(
        lookup: impl Fn(&str) -> Option<String>,
        netrc: Result<PathBuf, String>,
        host: &str,
    ) -> Result<Self, String> {
        if lookup(USERNAME_VAR).is_some() || lookup(PASSWORD_VAR).is_some() {
            return Self::from_lookup(lookup);
        }
        netrc
            .and_then(|path| Self::from_netrc_at(&path, host))
            .map_err(|why| {
                format!(
                    "no Qualys credentials found: {USERNAME_VAR} and {PASSWORD_VAR} are not set, and {why}"
                )
            })
    }

    /// [`from_env`](Self::from_env) over any variable source.
    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let get = |name: &str| match lookup(name) {
            Some(v) if !v.is_empty() => Ok(v),
            Some(_) => Err(format!("environment variable {name} is empty")),
            None => Err(format!("environment variable {name} is not set")),
        };
        Ok(Credentials::new(get(USERNAME_VAR)?, get(PASSWORD_VAR)?))
    }

    fn from_netrc_at(path: &Path, host: &str) -> Result<Self, String> {
        let shown = path.display();
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read netrc file {shown}: {e}"))?;
        let netrc = Netrc::parse(&text).map_err(|e| format!("netrc file {shown}: {e}"))?;
        let entry = netrc.find(host).ok_or_else(|| {
            format!("netrc file {shown} has no entry for machine {host} and no default entry")
        })?;
        match (&entry.login, &entry.password) {
            (Some(login), Some(password)) => Ok(Credentials::new(login, password)),
            (None, _) => Err(format!(
                "netrc file {shown}: the entry for {host} has no login"
            )),
            (_, None) => Err(format!(
                "netrc file {shown}: the entry for {host} has no password"
            )),
        }
    }

    /// The value of the `Authorization` header: `Basic base64(username:password)`.
    pub fn basic_auth_value(&self) -> String {
        let raw = format!("{}:{}", self.username, self.password);
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        )
    }

    /// Checks what Basic authentication cannot carry: a `:` in the username, or control characters.
    pub(crate) fn validate(&self) -> Result<(), Error> {
        if self.username.is_empty() {
            return Err(Error::Config("the username is empty".into()));
        }
        if self.username.contains(':') {
            return Err(Error::Config("the username must not contain ':'".into()));
        }
        if self
            .username
            .chars()
            .chain(self.password.chars())
            .any(char::is_control)
        {
            return Err(Error::Config(
                "the username or password contains a control character".into(),
            ));
        }
        Ok(())
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // At most three characters, and never more than half of the name.
        let count = self.username.chars().count();
        let shown: String = self.username.chars().take(3.min(count / 2)).collect();
        f.debug_struct("Credentials")
            .field("username", &format_args!("\"{shown}***\""))
            .field("password", &format_args!("\"***\""))
            .finish()
    }
}

fn env_var(name: &str) -> Option<String> {
    std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
}

fn netrc_path() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("NETRC").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .filter(|h| !h.is_empty())
        .map(|home| Path::new(&home).join(".netrc"))
        .ok_or_else(|| "cannot locate .netrc: neither NETRC nor HOME is set".into())
}

/// One `machine` or `default` entry of a `.netrc` file.
#[derive(Clone, Default, PartialEq, Eq)]
struct NetrcEntry {
    /// `None` for the `default` entry.
    machine: Option<String>,
    login: Option<String>,
    password: Option<String>,
}

/// A parsed `.netrc` file.
///
/// The format is a stream of whitespace-separated tokens: `machine NAME` or `default` starts an entry, and
/// `login`, `password` and `account` take one value each. A `#` at the start of a token comments out the
/// rest of the line; `macdef NAME` is followed by a macro body that runs to the next blank line and is
/// skipped. Values may be double-quoted, with `\` escaping the next character (as curl accepts).
#[derive(Default)]
struct Netrc {
    entries: Vec<NetrcEntry>,
}

impl Netrc {
    fn parse(text: &str) -> Result<Netrc, String> {
        let mut tokens = Tokens { text, pos: 0 };
        let mut netrc = Netrc::default();
        while let Some((token, line)) = tokens.next()? {
            match token.as_str() {
                "machine" => {
                    let name = tokens.value("machine", line)?;
                    netrc.entries.push(NetrcEntry {
                        machine: Some(name),
                        ..NetrcEntry::default()
                    });
                }
                "default" => netrc.entries.push(NetrcEntry::default()),
                "login" | "password" | "account" => {
                    let value = tokens.value(&token, line)?;
                    let entry = netrc.entries.last_mut().ok_or_else(|| {
                        format!("line {line}: `{token}` before any `machine` or `default`")
                    })?;
                    match token.as_str() {
                        "login" => entry.login = Some(value),
                        "password" => entry.password = Some(value),
                        _ => {}
                    }
                }
                "macdef" => {
                    tokens.value("macdef", line)?;
                    tokens.skip_macro_body();
                }
                // Quote the keyword, never a value: an unknown token may be a stray password.
                _ => {
                    return Err(format!(
                        "line {line}: unexpected token (expected a keyword)"
                    ));
                }
            }
        }
        Ok(netrc)
    }

    /// The first entry whose machine equals `host` (ignoring ASCII case), else the first `default` entry.
    fn find(&self, host: &str) -> Option<&NetrcEntry> {
        self.entries
            .iter()
            .find(|e| {
                e.machine
                    .as_deref()
                    .is_some_and(|m| m.eq_ignore_ascii_case(host))
            })
            .or_else(|| self.entries.iter().find(|e| e.machine.is_none()))
    }
}

struct Tokens<'a> {
    text: &'a str,
    pos: usize,
}

impl Tokens<'_> {
    fn line(&self) -> usize {
        self.text[..self.pos].matches('\n').count() + 1
    }

    /// The next token and the line it starts on, skipping whitespace and comments.
    fn next(&mut self) -> Result<Option<(String, usize)>, String> {
        loop {
            let rest = &self.text[self.pos..];
            let trimmed = rest.trim_start();
            self.pos += rest.len() - trimmed.len();
            if trimmed.is_empty() {
                return Ok(None);
            }
            if trimmed.starts_with('#') {
                self.pos += trimmed.find('\n').unwrap_or(trimmed.len());
                continue;
            }
            let line = self.line();
            return self.read_token().map(|t| Some((t, line)));
        }
    }

    fn read_token(&mut self) -> Result<String, String> {
        let rest = &self.text[self.pos..];
        let mut out = String::new();
        if let Some(quoted) = rest.strip_prefix('"') {
            let line = self.line();
            let mut chars = quoted.char_indices();
            while let Some((i, c)) = chars.next() {
                match c {
                    '"' => {
                        self.pos += 1 + i + 1;
                        return Ok(out);
                    }
                    '\\' => match chars.next() {
                        Some((_, escaped)) => out.push(escaped),
                        None => break,
                    },
                    c => out.push(c),
                }
            }
            return Err(format!("line {line}: unterminated quoted value"));
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        out.push_str(&rest[..end]);
        self.pos += end;
        Ok(out)
    }

    /// The value after keyword `keyword`, which must be there.
    fn value(&mut self, keyword: &str, line: usize) -> Result<String, String> {
        let rest = &self.text[self.pos..];
        let trimmed = rest.trim_start();
        if trimmed.is_empty() {
            return Err(format!("line {line}: `{keyword}` has no value"));
        }
        self.pos += rest.len() - trimmed.len();
        self.read_token()
    }

    /// Skips a `macdef` body: everything up to and including the next empty line.
    fn skip_macro_body(&mut self) {
        let rest = &self.text[self.pos..];
        // The body starts on the line after `macdef NAME`.
        let Some(first_nl) = rest.find('\n') else {
            self.pos = self.text.len();
            return;
        };
        let mut offset = first_nl + 1;
        for line in rest[offset..].split_inclusive('\n') {
            offset += line.len();
            if line.trim_end_matches(['\r', '\n']).is_empty() {
                break;
            }
        }
        self.pos += offset;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn debug_hides_password_and_most_of_username() {
        let c = Credentials::new("quays_ab12", "s3cr3t!");
        let shown = format!("{c:?}");
        assert_eq!(
            shown,
            r#"Credentials { username: "qua***", password: "***" }"#
        );
        assert!(!format!("{c:#?}").contains("s3cr3t"));
        let short = format!("{:?}", Credentials::new("bob", "x"));
        assert_eq!(
            short,
            r#"Credentials { username: "b***", password: "***" }"#
        );
    }

    #[test]
    fn basic_auth_value_is_rfc7617() {
        // The example from RFC 7617, section 2.
        let c = Credentials::new("Aladdin", "open sesame");
        assert_eq!(c.basic_auth_value(), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    }

    #[test]
    fn validate_rejects_what_basic_auth_cannot_carry() {
        assert!(Credentials::new("a", "b").validate().is_ok());
        assert!(Credentials::new("", "b").validate().is_err());
        assert!(Credentials::new("a:b", "c").validate().is_err());
        let err = Credentials::new("a", "pw\nx").validate().unwrap_err();
        assert!(!err.to_string().contains("pw"));
    }

    #[test]
    fn env_lookup_names_the_missing_variable() {
        let c = Credentials::from_lookup(lookup(&[
            ("QUALYS_USERNAME", "u"),
            ("QUALYS_PASSWORD", "p"),
        ]))
        .unwrap();
        assert_eq!((c.username(), c.password()), ("u", "p"));

        let err = Credentials::from_lookup(lookup(&[("QUALYS_USERNAME", "u")])).unwrap_err();
        assert_eq!(err, "environment variable QUALYS_PASSWORD is not set");
        let err =
            Credentials::from_lookup(lookup(&[("QUALYS_USERNAME", ""), ("QUALYS_PASSWORD", "p")]))
                .unwrap_err();
        assert!(
            err.to_string().contains("QUALYS_USERNAME is empty"),
            "{err}"
        );
    }

    #[test]
    fn netrc_machine_then_default() {
        let netrc = Netrc::parse(
            "# my hosts\n\
             machine other.example login o password op\n\
             machine QualysAPI.qualys.com\n  login  alice\n  password \"p w\\\"x\" # trailing\n\
             default login anon password guest\n",
        )
        .unwrap();
        let e = netrc.find("qualysapi.qualys.com").unwrap();
        assert_eq!(e.login.as_deref(), Some("alice"));
        assert_eq!(e.password.as_deref(), Some("p w\"x"));
        let d = netrc.find("qualysapi.qualys.eu").unwrap();
        assert_eq!(d.machine, None);
        assert_eq!(d.login.as_deref(), Some("anon"));
    }

    #[test]
    fn netrc_skips_macdef_and_account() {
        let netrc = Netrc::parse(
            "machine a login la password pa account acct\n\
             macdef init\ncd /pub\nmachine fake login evil password evil\n\n\
             machine b login lb password pb\n",
        )
        .unwrap();
        assert!(netrc.find("fake").is_none_or(|e| e.machine.is_none()));
        assert_eq!(netrc.find("b").unwrap().login.as_deref(), Some("lb"));
        assert_eq!(netrc.find("a").unwrap().password.as_deref(), Some("pa"));
        assert!(netrc.find("c").is_none());
    }

    #[test]
    fn netrc_errors_name_the_line_but_not_the_secret() {
        let err = Netrc::parse("login x\n").err().unwrap();
        assert!(
            err.contains("line 1") && err.contains("before any"),
            "{err}"
        );
        let err = Netrc::parse("machine a\nlogin u\npassword").err().unwrap();
        assert!(err.contains("line 3") && err.contains("no value"), "{err}");
        let err = Netrc::parse("machine a login u hunter2 password p")
            .err()
            .unwrap();
        assert!(err.contains("line 1") && !err.contains("hunter2"), "{err}");
        let err = Netrc::parse("machine a\n password \"open").err().unwrap();
        assert!(
            err.contains("line 2") && err.contains("unterminated"),
            "{err}"
        );
    }

    #[test]
    fn netrc_file_errors() {
        let dir = std::env::temp_dir().join(format!("qps-netrc-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("netrc");

        std::fs::write(&path, "machine h login u password p\n").unwrap();
        let c = Credentials::from_netrc_file(&path, "h").unwrap();
        assert_eq!((c.username(), c.password()), ("u", "p"));

        let err = Credentials::from_netrc_file(&path, "other").unwrap_err();
        assert!(
            err.to_string().contains("no entry for machine other"),
            "{err}"
        );

        std::fs::write(&path, "machine h login u\n").unwrap();
        let err = Credentials::from_netrc_file(&path, "h").unwrap_err();
        assert!(err.to_string().contains("has no password"), "{err}");

        let missing = dir.join("absent");
        let err = Credentials::from_netrc_file(&missing, "h").unwrap_err();
        assert!(err.to_string().contains("cannot read netrc file"), "{err}");

        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn discover_prefers_env_then_netrc_and_explains_failure() {
        let dir = std::env::temp_dir().join(format!("qps-discover-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let netrc = dir.join("netrc");
        std::fs::write(&netrc, "machine qualysapi.qualys.eu login n password np\n").unwrap();
        let host = "qualysapi.qualys.eu";

        let both = lookup(&[("QUALYS_USERNAME", "e"), ("QUALYS_PASSWORD", "ep")]);
        let c = Credentials::discover_with(both, Ok(netrc.clone()), host).unwrap();
        assert_eq!(c.username(), "e");

        let c = Credentials::discover_with(lookup(&[]), Ok(netrc.clone()), host).unwrap();
        assert_eq!(c.username(), "n");

        // Half-set environment: an error naming the missing variable, not a silent fall-through.
        let half = lookup(&[("QUALYS_USERNAME", "e")]);
        let err = Credentials::discover_with(half, Ok(netrc.clone()), host).unwrap_err();
        assert_eq!(err, "environment variable QUALYS_PASSWORD is not set");

        let err =
            Credentials::discover_with(lookup(&[]), Ok(netrc), "qualysapi.qualys.com").unwrap_err();
        assert!(
            err.starts_with("no Qualys credentials found: QUALYS_USERNAME and QUALYS_PASSWORD")
                && err.contains("no entry for machine qualysapi.qualys.com"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
