//! The progress bar of `--all`: records, pages, records per second and, when the total is known (from the
//! entity's `count` action), the ETA. Drawn on stderr only when stderr is a terminal; otherwise nothing at all.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar, or nothing when stderr is not a terminal.
pub struct Progress {
    bar: Option<ProgressBar>,
    pages: u64,
}

impl Progress {
    /// Whether a bar would be drawn.
    pub fn wanted() -> bool {
        std::io::stderr().is_terminal()
    }

    /// A bar on stderr if it is a terminal; `total` records when known.
    pub fn start(total: Option<u64>) -> Self {
        if !Self::wanted() {
            return Progress {
                bar: None,
                pages: 0,
            };
        }
        let bar = match total {
            Some(total) => ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()),
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
        };
        let template = if total.is_some() {
            "{bar:30} {pos}/{len} records, {msg}, {per_sec}, ETA {eta}"
        } else {
            "{spinner} {pos} records, {msg}, {per_sec}, {elapsed}"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar.set_message("0 pages");
        Progress {
            bar: Some(bar),
            pages: 0,
        }
    }

    /// One more page of `records`.
    pub fn page(&mut self, records: u64) {
        self.pages += 1;
        if let Some(bar) = &self.bar {
            bar.inc(records);
            bar.set_message(format!(
                "{} page{}",
                self.pages,
                if self.pages == 1 { "" } else { "s" }
            ));
        }
    }

    /// Draws the final state and leaves it on screen.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish();
        }
    }
}
