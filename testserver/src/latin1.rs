//! Answers re-encoded as ISO-8859-1 ([`Fault::Latin1`](crate::Fault::Latin1)), as a gateway that re-encodes
//! what it forwards sends them: the XML declaration says so, and each character beyond Latin-1 becomes a
//! character reference (inside a CDATA section, the section is closed around the reference).

/// `xml` (UTF-8, declared so or declaring nothing) in ISO-8859-1.
pub(crate) fn encode(xml: &str) -> Vec<u8> {
    const UTF8: &str = "encoding=\"UTF-8\"";
    const LATIN1: &str = "encoding=\"ISO-8859-1\"";
    let declared = match xml.strip_prefix("<?xml") {
        Some(_) => {
            let end = xml.find("?>").map_or(xml.len(), |end| end + 2);
            format!("{}{}", xml[..end].replacen(UTF8, LATIN1, 1), &xml[end..])
        }
        None => format!("<?xml version=\"1.0\" {LATIN1}?>\n{xml}"),
    };
    let mut out = Vec::with_capacity(declared.len());
    let mut rest = declared.as_str();
    let mut in_cdata = false;
    while let Some(c) = rest.chars().next() {
        if !in_cdata && rest.starts_with("<![CDATA[") {
            in_cdata = true;
        } else if in_cdata && rest.starts_with("]]>") {
            in_cdata = false;
        }
        match u8::try_from(u32::from(c)) {
            Ok(byte) => out.push(byte),
            Err(_) if in_cdata => {
                out.extend_from_slice(format!("]]>&#{};<![CDATA[", u32::from(c)).as_bytes());
            }
            Err(_) => out.extend_from_slice(format!("&#{};", u32::from(c)).as_bytes()),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::encode;

    #[test]
    fn latin1_characters_are_bytes_and_the_others_references() {
        assert_eq!(
            encode(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a b=\"\u{e9}\">caf\u{e9} \u{20ac}</a>"
            ),
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<a b=\"\xe9\">caf\xe9 &#8364;</a>"
        );
        assert_eq!(
            encode("<a><![CDATA[\u{fc}\u{1f600}]]></a>"),
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<a><![CDATA[\xfc]]>&#128512;<![CDATA[]]></a>"
        );
    }
}
