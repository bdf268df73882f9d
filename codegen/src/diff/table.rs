//! The report as a readable table: one section per group (a generated type, a module, a catalog entity), one
//! row per change with `file:line` on both sides and its three verdicts, the reason below it, and a summary.

use super::{Axis, Report};

const HEADER: [&str; 7] = ["change", "what", "old", "new", "reading", "writing", "api"];

pub(super) fn render(report: &Report) -> String {
    if report.changes.is_empty() {
        return "no changes\n".to_owned();
    }
    let rows: Vec<[String; 7]> = report
        .changes
        .iter()
        .map(|c| {
            [
                c.kind.as_str().to_owned(),
                c.detail.clone(),
                c.old.as_ref().map_or("-".to_owned(), ToString::to_string),
                c.new.as_ref().map_or("-".to_owned(), ToString::to_string),
                c.reading.as_str().to_owned(),
                c.writing.as_str().to_owned(),
                c.api.as_str().to_owned(),
            ]
        })
        .collect();
    let mut widths = HEADER.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| -> String {
        let mut out = String::from("  ");
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            out.push_str(cell);
            if i + 1 < cells.len() {
                out.push_str(&" ".repeat(w - cell.chars().count() + 2));
            }
        }
        out.push('\n');
        out
    };
    let header: Vec<String> = HEADER.iter().map(|h| h.to_string()).collect();
    let mut out = String::new();
    let mut group: Option<&str> = None;
    for (change, row) in report.changes.iter().zip(&rows) {
        if group != Some(change.group.as_str()) {
            if group.is_some() {
                out.push('\n');
            }
            out.push_str(&change.group);
            out.push('\n');
            out.push_str(&line(&header));
            group = Some(&change.group);
        }
        out.push_str(&line(row));
        out.push_str(&format!("      {}: {}\n", change.path, change.why));
    }
    let count = |axis: Axis| report.changes.iter().filter(|c| c.breaks(axis)).count();
    out.push_str(&format!(
        "\n{} change{}; breaking reading: {}, writing: {}, api: {}; semver bump: {}\n",
        report.changes.len(),
        if report.changes.len() == 1 { "" } else { "s" },
        count(Axis::Reading),
        count(Axis::Writing),
        count(Axis::Api),
        report.bump().as_str()
    ));
    out
}
