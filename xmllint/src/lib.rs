//! xmllint (libxml2) as the XSD validator of the tests: an oracle independent of this project's code.
//!
//! The checks never skip: when xmllint cannot run, they panic with the way to install it.
//!
//! The crate also holds the tests' [canonical](mod@canonical) XML comparison, which tells whether two documents
//! carry the same data whatever their layout, attribute order and order of differently named elements, and a
//! [strict](mod@strict) one that keeps namespaces and order, for documents of any schema.

pub mod canonical;
pub mod strict;

pub use canonical::{canonical, compare};

use std::ffi::OsStr;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Validates `xml` against `schema` (`xmllint --noout --schema <schema> -`). `Err` holds xmllint's diagnostics.
pub fn validate(schema: &Path, xml: &[u8]) -> Result<(), String> {
    let output = validate_output(schema, xml);
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{} rejects the document: {}",
            schema.display(),
            messages(&output)
        ))
    }
}

/// What `xmllint --noout --schema <schema> -` says of `xml`: its exit status tells a document that is not valid
/// (3 or 4) from a schema that does not compile (5).
pub fn validate_output(schema: &Path, xml: &[u8]) -> Output {
    run(
        &[
            OsStr::new("--noout"),
            OsStr::new("--schema"),
            schema.as_os_str(),
            OsStr::new("-"),
        ],
        Some(xml),
    )
}

/// Runs xmllint with `args`, feeding it `stdin` if given.
pub fn run<S: AsRef<OsStr>>(args: &[S], stdin: Option<&[u8]>) -> Output {
    let mut command = Command::new("xmllint");
    command
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "xmllint is not installed, and the XSD checks need it (they never skip): install libxml2-utils \
             (Debian/Ubuntu: `apt-get install libxml2-utils`; Fedora: `dnf install libxml2`; macOS ships it)"
        ),
        Err(e) => panic!("cannot run xmllint: {e}"),
    };
    if let Some(input) = stdin {
        // xmllint reads all of stdin before it answers, so writing first cannot deadlock.
        let mut pipe = child.stdin.take().expect("stdin is piped");
        pipe.write_all(input).expect("write to xmllint");
    }
    child.wait_with_output().expect("wait for xmllint")
}

/// xmllint's diagnostics (and anything it printed), without the trailing newline.
pub fn messages(output: &Output) -> String {
    let mut text = String::from_utf8_lossy(&output.stderr)
        .trim_end()
        .to_owned();
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !stdout.trim().is_empty() {
        text.push('\n');
        text.push_str(stdout.trim_end());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_and_reports() {
        let dir = std::env::temp_dir().join(format!("qps-xmllint-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let schema = dir.join("n.xsd");
        std::fs::write(
            &schema,
            r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="n" type="xs:int"/></xs:schema>"#,
        )
        .unwrap();
        let ok = validate(&schema, b"<n>4</n>");
        let bad = validate(&schema, b"<n>four</n>");
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(ok, Ok(()));
        let bad = bad.unwrap_err();
        assert!(bad.contains("four"), "{bad}");
    }
}
