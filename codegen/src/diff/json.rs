//! The report as JSON (the shape is documented on [`super::Report::render_json`]), written by hand: the
//! generator has no JSON dependency, and the shape is flat.

use super::{Axis, Place, Report};

pub(super) fn render(report: &Report) -> String {
    let mut out = String::from("{\n  \"changes\": [");
    for (i, c) in report.changes.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str("    {");
        let fields = [
            ("group", string(&c.group)),
            ("path", string(&c.path)),
            ("kind", string(c.kind.as_str())),
            ("detail", string(&c.detail)),
            ("old", place(c.old.as_ref())),
            ("new", place(c.new.as_ref())),
            ("reading", string(c.reading.as_str())),
            ("writing", string(c.writing.as_str())),
            ("api", string(c.api.as_str())),
            ("why", string(&c.why)),
        ];
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("\"{k}\": {v}"))
            .collect();
        out.push_str(&body.join(", "));
        out.push('}');
    }
    if !report.changes.is_empty() {
        out.push_str("\n  ");
    }
    out.push_str("],\n");
    out.push_str(&format!(
        "  \"summary\": {{\"changes\": {}, \"reading\": {}, \"writing\": {}, \"api\": {}}}\n}}\n",
        report.changes.len(),
        string(report.worst(Axis::Reading).as_str()),
        string(report.worst(Axis::Writing).as_str()),
        string(report.bump().as_str())
    ));
    out
}

fn place(place: Option<&Place>) -> String {
    match place {
        Some(p) => format!("{{\"file\": {}, \"line\": {}}}", string(&p.file), p.line),
        None => "null".to_owned(),
    }
}

/// A JSON string literal.
fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
