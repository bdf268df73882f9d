//! The report: per set, how many entries generated and compiled and how many documents got through each stage;
//! then the failure classes (the message with its variable parts blanked out), most frequent first, each with an
//! example.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::documents::Outcome;
use crate::manifest::Set;
use crate::project::Unit;

/// The entries of one set, with their documents' outcomes.
pub struct SetResult<'a> {
    pub set: &'a Set,
    pub units: Vec<&'a Unit>,
    pub outcomes: Vec<&'a [Outcome]>,
}

/// How many classes of each kind the report lists.
const TOP: usize = 15;

pub fn markdown(results: &[SetResult], base: &Path) -> String {
    let mut out = String::new();
    out.push_str(
        "| set | entries | generated | compiled | documents | read (reader / serde) | written valid (reader / serde) \
         | equal (reader / serde) | equal, loose (reader / serde) | reader = serde |\n\
         |---|---|---|---|---|---|---|---|---|---|\n",
    );
    let mut total = [0usize; 14];
    for r in results {
        let docs: Vec<&Outcome> = r.outcomes.iter().flat_map(|o| o.iter()).collect();
        let count = |stage: &str| docs.iter().filter(|o| o.passed(stage)).count();
        let row = [
            r.units.len(),
            r.units.iter().filter(|u| u.refused.is_none()).count(),
            r.units.iter().filter(|u| u.compiled()).count(),
            docs.len(),
            count("reader_read"),
            count("serde_read"),
            count("reader_valid"),
            count("serde_valid"),
            count("reader_equal"),
            count("serde_equal"),
            count("reader_equal_loose"),
            count("serde_equal_loose"),
            count("agree"),
            0,
        ];
        for (t, v) in total.iter_mut().zip(row) {
            *t += v;
        }
        let _ = writeln!(out, "| {} | {} |", r.set.name, cells(&row));
    }
    let _ = writeln!(out, "| **all** | {} |", cells(&total));
    out.push('\n');

    let fresh = || Classes {
        base: format!("{}/", base.display()),
        ..Classes::default()
    };
    let mut refused = fresh();
    let mut compile = fresh();
    let mut stages: BTreeMap<&str, Classes> = BTreeMap::new();
    for r in results {
        for (unit, outcomes) in r.units.iter().zip(&r.outcomes) {
            let schema = rel(&unit.schema, base);
            if let Some(e) = &unit.refused {
                refused.add(e, format!("{schema}: {e}"));
            }
            if let Some(e) = &unit.compile_error {
                compile.add(e, format!("{schema}: {e}"));
            }
            for outcome in outcomes.iter() {
                for (stage, result) in &outcome.stages {
                    if let Err(e) = result {
                        let name = STAGES
                            .iter()
                            .find(|s| s.0 == stage)
                            .map_or("other", |s| s.1);
                        stages
                            .entry(name)
                            .or_insert_with(fresh)
                            .add(e, format!("{}: {e}", rel(&outcome.doc, base)));
                    }
                }
            }
        }
    }
    refused.write(&mut out, "Schemas the generator refuses");
    compile.write(
        &mut out,
        "Generated code that does not compile (first error of the entry)",
    );
    for (_, title) in STAGES {
        if let Some(classes) = stages.get(title) {
            classes.write(&mut out, title);
        }
    }
    out
}

/// Stage names and the section that lists their failures.
const STAGES: [(&str, &str); 13] = [
    (
        "dispatch",
        "Documents given no generated type (document element unknown, or not UTF-8)",
    ),
    ("crash", "Documents that crash or stop the runner"),
    ("reader_read", "Documents the event reader cannot read"),
    ("serde_read", "Documents serde cannot read"),
    ("reader_write", "Values the generated writer cannot write"),
    ("serde_write", "Values serde cannot write"),
    (
        "reader_valid",
        "Generated writer output that xmllint rejects",
    ),
    ("serde_valid", "Serde output that xmllint rejects"),
    (
        "reader_equal",
        "Generated writer output that differs from the input",
    ),
    ("serde_equal", "Serde output that differs from the input"),
    (
        "reader_equal_loose",
        "Generated writer output that differs even loosely",
    ),
    (
        "serde_equal_loose",
        "Serde output that differs even loosely",
    ),
    (
        "agree",
        "Documents the event reader and serde read differently",
    ),
];

fn cells(row: &[usize; 14]) -> String {
    format!(
        "{} | {} | {} | {} | {} / {} | {} / {} | {} / {} | {} / {} | {}",
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        row[6],
        row[7],
        row[8],
        row[9],
        row[10],
        row[11],
        row[12]
    )
}

fn rel(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Failure messages grouped by class: count and first example.
#[derive(Default)]
struct Classes {
    by_class: BTreeMap<String, (usize, String)>,
    /// The corpus folder with a trailing slash, left out of examples.
    base: String,
}

impl Classes {
    fn add(&mut self, message: &str, example: String) {
        let slot = self
            .by_class
            .entry(class_of(message))
            .or_insert((0, example));
        slot.0 += 1;
    }

    fn write(&self, out: &mut String, title: &str) {
        if self.by_class.is_empty() {
            return;
        }
        let total: usize = self.by_class.values().map(|v| v.0).sum();
        let _ = writeln!(out, "### {title} ({total})\n");
        let mut classes: Vec<(&String, &(usize, String))> = self.by_class.iter().collect();
        classes.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
        for (class, (count, example)) in classes.iter().take(TOP) {
            let _ = writeln!(
                out,
                "- {count} × `{}`\n  e.g. `{}`",
                class.replace('`', "'"),
                cut(example, 400).replace('`', "'").replace(&self.base, "")
            );
        }
        if classes.len() > TOP {
            let _ = writeln!(out, "- ... {} more classes", classes.len() - TOP);
        }
        out.push('\n');
    }
}

/// The message without what varies from one instance of a failure to the next: paths, positions, numbers and
/// quoted names.
pub fn class_of(message: &str) -> String {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    let mut last_digit = false;
    for c in message.chars() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
                out.push(q);
            }
            continue;
        }
        match c {
            '`' | '"' => {
                quote = Some(c);
                out.push(c);
                out.push('…');
            }
            c if c.is_ascii_digit() => {
                if !last_digit {
                    out.push('N');
                }
                last_digit = true;
                continue;
            }
            c => out.push(c),
        }
        last_digit = false;
    }
    // Paths (`/a/b/c.xsd:N:N: ...` or `src/eN/x.rs:N:N: ...`) up to their first space.
    let words: Vec<String> = out
        .split(' ')
        .map(|w| {
            if w.contains('/') && (w.contains(".xsd") || w.contains(".rs") || w.contains(".xml")) {
                "<file>".to_owned()
            } else {
                w.to_owned()
            }
        })
        .collect();
    cut(&words.join(" "), 160)
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::class_of;

    #[test]
    fn classes_blank_paths_numbers_and_quoted_names() {
        assert_eq!(
            class_of("/a/b/x.xsd:12:3: unknown type `foo` in \"bar\""),
            "<file> unknown type `…` in \"…\""
        );
        assert_eq!(class_of("expected 10 got 200"), "expected N got N");
    }
}
