//! `--where 'FIELD OP VALUE'`: parsed, then checked against the entity's typed filters in the catalog (the field
//! exists, the operator applies to it, the value has the field's type), and written as a `<Criteria>`.
//!
//! Syntax: `FIELD` is a catalog filter field (`name`, `tags.id`, `lastScan.date`); a named filter takes its name in
//! brackets (`attributes[Business Owner]`). `OP` is one of `EQUALS`, `NOT EQUALS`, `CONTAINS`, `GREATER`,
//! `LESSER`, `IN` (any case). `VALUE` is the rest of the text, or a single- or double-quoted string (a backslash
//! escapes the quote); `IN` takes a comma-separated list.
//! A name or value holding a character XML does not allow (a control character but tab, line feed and carriage
//! return; U+FFFE, U+FFFF) is refused; tab and line ends are written as character references.

use qualys_qps::runtime::xml::XmlText;
use qualys_qps::runtime::xs;

use crate::catalog::{Entity, Filter, FilterType, Operator};
use crate::error::CliError;

/// One checked criterion, ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    /// The `field` attribute.
    pub field: String,
    /// The `name` attribute of a named filter.
    pub name: Option<String>,
    /// The operator.
    pub operator: Operator,
    /// The element text: one value, or the comma-separated list of `IN`.
    pub value: String,
}

const OPERATORS: [Operator; 6] = [
    Operator::NotEquals,
    Operator::Equals,
    Operator::Contains,
    Operator::Greater,
    Operator::Lesser,
    Operator::In,
];

/// Parses `--where` text and checks it against `entity`'s filters.
pub fn parse(entity: &Entity, text: &str) -> Result<Criterion, CliError> {
    let fail = |what: String| CliError::usage(format!("--where {text:?}: {what}"));
    let (field, name, rest) = split_field(text).map_err(fail)?;
    let filter = find_filter(entity, &field).map_err(fail)?;
    let (operator, rest) = split_operator(rest).map_err(fail)?;
    if !filter.operators.contains(&operator) {
        return Err(fail(format!(
            "operator {} does not apply to `{}` ({}); it allows: {}",
            operator,
            filter.field,
            filter.kind,
            join(filter.operators.iter().map(|o| o.as_str()))
        )));
    }
    if filter.named != name.is_some() {
        return Err(fail(if filter.named {
            format!(
                "`{field}` needs a name in brackets, e.g. `{field}[Business Owner] EQUALS Jane`"
            )
        } else {
            format!("`{field}` takes no name in brackets")
        }));
    }
    if let Some(name) = &name {
        check_xml_chars("the name in brackets", name).map_err(fail)?;
    }
    let raw = unquote(rest.trim()).map_err(fail)?;
    check_xml_chars("the value", &raw).map_err(fail)?;
    let value = if operator == Operator::In {
        let items: Vec<&str> = raw.split(',').map(str::trim).collect();
        if items.iter().any(|item| item.is_empty()) {
            return Err(fail(
                "IN takes a comma-separated list with no empty item, e.g. `id IN 1,2,3`".into(),
            ));
        }
        let checked: Result<Vec<String>, String> =
            items.iter().map(|item| check_value(filter, item)).collect();
        checked.map_err(fail)?.join(",")
    } else {
        check_value(filter, &raw).map_err(fail)?
    };
    Ok(Criterion {
        field: filter.field.clone(),
        name,
        operator,
        value,
    })
}

/// The field (and a bracketed name), and the text after it.
fn split_field(text: &str) -> Result<(String, Option<String>, &str), String> {
    let text = text.trim_start();
    let end = text
        .find(|c: char| c.is_whitespace() || c == '[')
        .unwrap_or(text.len());
    let field = &text[..end];
    if field.is_empty() {
        return Err("expected `FIELD OPERATOR VALUE`, e.g. `name CONTAINS shop`".into());
    }
    let rest = &text[end..];
    if let Some(after) = rest.strip_prefix('[') {
        let close = after
            .find(']')
            .ok_or_else(|| format!("`{field}[` has no closing `]`"))?;
        let name = after[..close].trim();
        if name.is_empty() {
            return Err(format!("`{field}[]`: the name in brackets is empty"));
        }
        return Ok((field.to_owned(), Some(name.to_owned()), &after[close + 1..]));
    }
    Ok((field.to_owned(), None, rest))
}

fn find_filter<'e>(entity: &'e Entity, field: &str) -> Result<&'e Filter, String> {
    entity.filter(field).ok_or_else(|| {
        if entity.filters.is_empty() {
            format!("{}/{} has no search filters", entity.module, entity.name)
        } else {
            format!(
                "unknown field `{field}` for {}/{}; the fields are: {}",
                entity.module,
                entity.name,
                join(entity.filters.iter().map(|f| f.field.as_str()))
            )
        }
    })
}

/// The operator at the start of `text` (case-insensitive, `NOT EQUALS` with any spacing), and what follows it.
fn split_operator(text: &str) -> Result<(Operator, &str), String> {
    let text = text.trim_start();
    let mut words = text.split_whitespace();
    let first = words.next().unwrap_or("");
    let upper = first.to_ascii_uppercase();
    let (operator, consumed) = if upper == "NOT" {
        let second = words.next().unwrap_or("");
        if !second.eq_ignore_ascii_case("EQUALS") {
            return Err(format!(
                "unknown operator `NOT {second}`; the operators are: {}",
                all_operators()
            ));
        }
        let at = text[first.len()..]
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(0)
            + first.len();
        (Operator::NotEquals, at + second.len())
    } else {
        let operator = OPERATORS
            .iter()
            .copied()
            .find(|o| o.as_str() == upper)
            .ok_or_else(|| {
                if first.is_empty() {
                    format!("missing operator; the operators are: {}", all_operators())
                } else {
                    format!(
                        "unknown operator `{first}`; the operators are: {}",
                        all_operators()
                    )
                }
            })?;
        (operator, first.len())
    };
    let rest = &text[consumed..];
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return Err(format!(
            "expected a space after the operator in `{}`",
            text.trim()
        ));
    }
    Ok((operator, rest))
}

fn all_operators() -> String {
    join(OPERATORS.iter().rev().map(|o| o.as_str()))
}

/// The value, its quotes removed (`'a b'`, `"a \"b\""`); unquoted text as it is.
fn unquote(text: &str) -> Result<String, String> {
    if text.is_empty() {
        return Err("missing value after the operator".into());
    }
    let Some(quote) = text.chars().next().filter(|c| *c == '\'' || *c == '"') else {
        return Ok(text.to_owned());
    };
    let mut value = String::new();
    let mut chars = text[1..].chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(next) => value.push(next),
                None => break,
            },
            c if c == quote => {
                let trailing: String = chars.collect();
                if !trailing.trim().is_empty() {
                    return Err(format!(
                        "text after the closing quote: `{}`",
                        trailing.trim()
                    ));
                }
                return Ok(value);
            }
            c => value.push(c),
        }
    }
    Err(format!("the value {text} has no closing {quote}"))
}

/// Checks one value against the filter's type; returns it as it is sent (keywords in the catalog's spelling).
fn check_value(filter: &Filter, value: &str) -> Result<String, String> {
    let expected = |what: &str| format!("`{}` takes {what}, not {value:?}", filter.field);
    match filter.kind {
        FilterType::Long | FilterType::Integer => i64::from_xml_text(value)
            .map(|n| n.to_string())
            .map_err(|_| expected("a whole number (e.g. 42)")),
        FilterType::Boolean => bool::from_xml_text(value)
            .map(|b| b.to_string())
            .map_err(|_| expected("true or false")),
        FilterType::Date => xs::DateTime::from_xml_text(value)
            .map(|_| value.to_owned())
            .map_err(|_| expected("a date-time such as 2024-01-31T00:00:00Z")),
        FilterType::Keyword => filter
            .values
            .iter()
            .find(|v| v.eq_ignore_ascii_case(value))
            .cloned()
            .ok_or_else(|| {
                expected(&format!(
                    "one of {}",
                    join(filter.values.iter().map(String::as_str))
                ))
            }),
        FilterType::Text => {
            if filter.values.is_empty() || filter.values.iter().any(|v| v == value) {
                Ok(value.to_owned())
            } else {
                Err(expected(&format!(
                    "one of {}",
                    join(filter.values.iter().map(String::as_str))
                )))
            }
        }
    }
}

/// XML 1.0 allows no control character but tab, line feed and carriage return, and not U+FFFE or U+FFFF: a
/// criterion holding one could not be sent.
fn check_xml_chars(what: &str, text: &str) -> Result<(), String> {
    match text.char_indices().find(|(_, c)| !is_xml_char(*c)) {
        Some((at, c)) => Err(format!(
            "{what} holds {c:?} at byte {at}, a character XML does not allow"
        )),
        None => Ok(()),
    }
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn join<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

/// `<Criteria ...>value</Criteria>`, escaped.
pub fn criteria_xml(criterion: &Criterion) -> String {
    let name = criterion
        .name
        .as_ref()
        .map(|n| format!(" name=\"{}\"", escape(n)))
        .unwrap_or_default();
    format!(
        "<Criteria field=\"{}\"{name} operator=\"{}\">{}</Criteria>",
        escape(&criterion.field),
        criterion.operator.as_str(),
        escape(&criterion.value)
    )
}

/// Escapes text for an XML attribute or element. Tab, line feed and carriage return are written as character
/// references, so a reader's line-end and attribute normalisation keep them as they are.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::catalog;

    fn webapp() -> &'static Entity {
        catalog().entity("was", "webapp").unwrap()
    }

    #[test]
    fn parses_quoted_values_and_two_word_operators() {
        let c = parse(webapp(), "name NOT  equals 'My shop'").unwrap();
        assert_eq!(
            (c.operator, c.value.as_str()),
            (Operator::NotEquals, "My shop")
        );
        let c = parse(
            webapp(),
            r#"attributes[Business Owner] EQUALS "Jane \"J\" Doe""#,
        )
        .unwrap();
        assert_eq!(c.name.as_deref(), Some("Business Owner"));
        assert_eq!(c.value, "Jane \"J\" Doe");
        let c = parse(webapp(), "id IN 1, 2,3").unwrap();
        assert_eq!(c.value, "1,2,3");
    }

    #[test]
    fn rejects_with_what_is_expected() {
        let e = parse(webapp(), "nmae CONTAINS x").unwrap_err().to_string();
        assert!(e.contains("the fields are: ") && e.contains("name"), "{e}");
        let e = parse(webapp(), "id CONTAINS 4").unwrap_err().to_string();
        assert!(
            e.contains("it allows: EQUALS, NOT EQUALS, GREATER, LESSER, IN"),
            "{e}"
        );
        let e = parse(webapp(), "id EQUALS four").unwrap_err().to_string();
        assert!(e.contains("a whole number"), "{e}");
        let e = parse(webapp(), "lastScan.status EQUALS DONE")
            .unwrap_err()
            .to_string();
        assert!(e.contains("one of SUBMITTED"), "{e}");
        let e = parse(webapp(), "name CONTAINS 'open")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no closing"), "{e}");
    }

    #[test]
    fn refuses_characters_xml_does_not_allow() {
        let e = parse(webapp(), "name CONTAINS 'a\u{1}b'")
            .unwrap_err()
            .to_string();
        assert!(e.contains("the value holds '\\u{1}' at byte 1"), "{e}");
        let e = parse(webapp(), "attributes[Own\u{7}er] EQUALS Jane")
            .unwrap_err()
            .to_string();
        assert!(e.contains("the name in brackets holds"), "{e}");
        let e = parse(webapp(), "name EQUALS \u{FFFE}")
            .unwrap_err()
            .to_string();
        assert!(e.contains("a character XML does not allow"), "{e}");
    }

    #[test]
    fn writes_tabs_and_line_ends_as_references() {
        let c = parse(webapp(), "name EQUALS 'a\tb\r\nc'").unwrap();
        assert_eq!(
            criteria_xml(&c),
            "<Criteria field=\"name\" operator=\"EQUALS\">a&#9;b&#13;&#10;c</Criteria>"
        );
    }
}
