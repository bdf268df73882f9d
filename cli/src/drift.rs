//! The drift report a run prints on stderr at its end when the responses carried content the bundled schemas do
//! not know: each path with its count, and what to do about it. Nothing when there was none.

use qualys_qps::runtime::xml::Drift;

/// The most paths listed; the rest are counted.
pub const SHOWN: usize = 20;

/// The report, or `None` when `drift` is empty.
pub fn report(drift: &Drift) -> Option<String> {
    if drift.is_empty() {
        return None;
    }
    let entries = drift.entries();
    let mut out = format!(
        "qps: the responses carried content the bundled schemas do not know ({} path{}); it was left out:\n",
        entries.len(),
        if entries.len() == 1 { "" } else { "s" }
    );
    for entry in entries.iter().take(SHOWN) {
        out.push_str(&format!("  {entry}\n"));
    }
    if entries.len() > SHOWN {
        out.push_str(&format!("  ... and {} more paths\n", entries.len() - SHOWN));
    }
    if drift.dropped() > 0 {
        out.push_str(&format!(
            "  ... and {} more occurrences beyond the paths recorded\n",
            drift.dropped()
        ));
    }
    out.push_str(
        "  hint: pull the current XSDs (`qps-codegen pull`), compare (`qps-codegen diff`) and regenerate; see \"Schema changes\" in the README\n",
    );
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use qualys_qps::runtime::xml::DriftKind;

    #[test]
    fn paths_and_counts_then_the_hint() {
        assert_eq!(report(&Drift::new()), None);
        let mut drift = Drift::new();
        drift.record(
            DriftKind::Element,
            "ServiceResponse/data/WebApp/newField",
            None,
            3,
        );
        let text = report(&drift).unwrap();
        assert!(text.contains("(1 path)"), "{text}");
        assert!(
            text.contains("unknown element at ServiceResponse/data/WebApp/newField (3x)"),
            "{text}"
        );
        assert!(text.contains("regenerate"), "{text}");
    }
}
