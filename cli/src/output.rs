//! Writing what a call returned in the chosen format, record by record as pages arrive: nothing is collected
//! beyond the first page (which CSV and tables read for their columns).

use std::io::Write;

use clap::ValueEnum;
use serde_json::Value;

use crate::error::CliError;
use crate::flatten::flatten;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One pretty-printed JSON array of the records.
    Json,
    /// One JSON record per line, written as records arrive.
    Jsonl,
    /// CSV with a header; nested fields as dotted columns, repeated values joined with `|`.
    Csv,
    /// The response bodies as received.
    Xml,
    /// An aligned text table (the default on a terminal).
    Table,
}

/// The widest a table cell gets; longer text is cut with `…`.
const CELL_WIDTH: usize = 40;

/// The writer of one run's output.
pub struct Output<W: Write> {
    format: Format,
    out: W,
    /// Records written so far.
    written: u64,
    /// CSV and table columns, fixed by the first page.
    columns: Option<Vec<String>>,
    /// Table column widths, from the first page.
    widths: Vec<usize>,
    /// Columns met after the header was written, reported once each on stderr.
    dropped: Vec<String>,
    /// CSV and table rows of the page being read.
    pending: Vec<Vec<(String, String)>>,
}

impl<W: Write> Output<W> {
    /// An output in `format` to `out`.
    pub fn new(format: Format, out: W) -> Self {
        Output {
            format,
            out,
            written: 0,
            columns: None,
            widths: Vec::new(),
            dropped: Vec::new(),
            pending: Vec::new(),
        }
    }

    /// The format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Writes one page of records; the first page fixes the CSV and table columns.
    pub fn records(&mut self, records: &[Value]) -> Result<(), CliError> {
        for record in records {
            self.record(record.clone())?;
        }
        self.end_page()
    }

    /// [`Self::record`] for a record read with its generated type: JSON Lines are written from it directly.
    pub fn typed_record(&mut self, record: &dyn crate::record::JsonRecord) -> Result<(), CliError> {
        if self.format != Format::Jsonl {
            return self.record(record.to_value("the response")?);
        }
        record.write_json(&mut self.out, "the response")?;
        self.out.write_all(b"\n")?;
        self.written += 1;
        Ok(())
    }

    /// Takes one record as it is read and writes it, except on the first page of CSV and tables, which is held
    /// until [`Self::end_page`] since it fixes their columns.
    pub fn record(&mut self, record: Value) -> Result<(), CliError> {
        match self.format {
            Format::Json => {
                self.out
                    .write_all(if self.written == 0 { b"[\n" } else { b",\n" })?;
                let text = serde_json::to_string_pretty(&record).map_err(json_error)?;
                for (i, line) in text.lines().enumerate() {
                    if i > 0 {
                        self.out.write_all(b"\n")?;
                    }
                    write!(self.out, "  {line}")?;
                }
                self.written += 1;
            }
            Format::Jsonl => {
                // Flushed at the end of each page (a page's records are read from one body in memory).
                serde_json::to_writer(&mut self.out, &record).map_err(json_error)?;
                self.out.write_all(b"\n")?;
                self.written += 1;
            }
            Format::Csv | Format::Table if self.columns.is_some() => self.row(flatten(&record))?,
            Format::Csv | Format::Table => self.pending.push(flatten(&record)),
            Format::Xml => {}
        }
        Ok(())
    }

    /// Ends a page: writes the CSV or table rows held (the first page's, which fix the columns) and flushes.
    pub fn end_page(&mut self) -> Result<(), CliError> {
        let rows = std::mem::take(&mut self.pending);
        if self.columns.is_none() && !rows.is_empty() {
            let mut columns: Vec<String> = Vec::new();
            for row in &rows {
                for (name, _) in row {
                    if !columns.contains(name) {
                        columns.push(name.clone());
                    }
                }
            }
            self.widths = columns
                .iter()
                .map(|c| {
                    rows.iter()
                        .flat_map(|row| row.iter().filter(|(n, _)| n == c))
                        .map(|(_, v)| v.chars().count())
                        .chain([c.chars().count()])
                        .max()
                        .unwrap_or(0)
                        .min(CELL_WIDTH)
                })
                .collect();
            self.columns = Some(columns);
            self.header()?;
        }
        for row in rows {
            self.row(row)?;
        }
        self.out.flush()?;
        Ok(())
    }

    /// Writes a response body as received (the `xml` format).
    pub fn raw(&mut self, body: &str) -> Result<(), CliError> {
        self.out.write_all(body.as_bytes())?;
        if !body.ends_with('\n') {
            self.out.write_all(b"\n")?;
        }
        self.out.flush()?;
        Ok(())
    }

    /// Writes a count: `{"count": N}` in JSON, a one-column table or CSV otherwise.
    pub fn count(&mut self, count: i64) -> Result<(), CliError> {
        let record = serde_json::json!({ "count": count });
        self.records(std::slice::from_ref(&record))
    }

    /// Ends the output (closes the JSON array; an empty result is `[]`).
    pub fn finish(&mut self) -> Result<(), CliError> {
        self.end_page()?;
        if self.format == Format::Json {
            self.out
                .write_all(if self.written == 0 { b"[]\n" } else { b"\n]\n" })?;
        }
        self.out.flush()?;
        Ok(())
    }

    fn header(&mut self) -> Result<(), CliError> {
        let columns = self.columns.clone().unwrap_or_default();
        match self.format {
            Format::Csv => self.csv_line(&columns),
            _ => {
                let cells: Vec<String> = columns
                    .iter()
                    .zip(&self.widths)
                    .map(|(c, w)| pad(c, *w))
                    .collect();
                writeln!(self.out, "{}", cells.join("  ").trim_end())?;
                let rule: Vec<String> = cells
                    .iter()
                    .map(|c| "-".repeat(c.chars().count()))
                    .collect();
                writeln!(self.out, "{}", rule.join("  "))?;
                Ok(())
            }
        }
    }

    fn row(&mut self, row: Vec<(String, String)>) -> Result<(), CliError> {
        let columns = self.columns.clone().unwrap_or_default();
        for (name, _) in &row {
            if !columns.contains(name) && !self.dropped.contains(name) {
                eprintln!(
                    "qps: column `{name}` first appears after the header was written; it is left out (use --format jsonl to keep every field)"
                );
                self.dropped.push(name.clone());
            }
        }
        let values: Vec<String> = columns
            .iter()
            .map(|c| {
                row.iter()
                    .find(|(n, _)| n == c)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            })
            .collect();
        self.written += 1;
        match self.format {
            Format::Csv => self.csv_line(&values),
            _ => {
                let cells: Vec<String> = values
                    .iter()
                    .zip(&self.widths)
                    .map(|(v, w)| pad(v, *w))
                    .collect();
                writeln!(self.out, "{}", cells.join("  ").trim_end())?;
                Ok(())
            }
        }
    }

    fn csv_line(&mut self, fields: &[String]) -> Result<(), CliError> {
        let mut writer = csv::WriterBuilder::new()
            .buffer_capacity(4096)
            .from_writer(&mut self.out);
        writer
            .write_record(fields)
            .and_then(|()| writer.flush().map_err(csv::Error::from))
            .map_err(|e| CliError::Output(format!("writing CSV: {e}")))
    }
}

fn json_error(error: serde_json::Error) -> CliError {
    if error.is_io() {
        CliError::Output(format!("writing the output: {error}"))
    } else {
        CliError::Output(format!("writing JSON: {error}"))
    }
}

/// `text` on one line, cut to `width` characters (ending with `…`) or padded to at least `width`.
fn pad(text: &str, width: usize) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let count = one_line.chars().count();
    if count > width {
        let cut: String = one_line.chars().take(width - 1).collect();
        format!("{cut}…")
    } else {
        format!("{one_line}{}", " ".repeat(width - count))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_header_from_the_first_page_and_json_streamed() {
        let mut out = Output::new(Format::Csv, Vec::new());
        out.records(&[serde_json::json!({"id": 1, "name": "a, b"})])
            .unwrap();
        out.records(&[serde_json::json!({"id": 2})]).unwrap();
        out.finish().unwrap();
        assert_eq!(
            String::from_utf8(out.out).unwrap(),
            "id,name\n1,\"a, b\"\n2,\n"
        );

        let mut out = Output::new(Format::Json, Vec::new());
        out.records(&[serde_json::json!({"id": 1}), serde_json::json!({"id": 2})])
            .unwrap();
        out.finish().unwrap();
        let text = String::from_utf8(out.out).unwrap();
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed, serde_json::json!([{"id": 1}, {"id": 2}]));
    }
}
