//! The drift a client has met ([`Client::drift`](crate::Client::drift)): every response it reads is read with
//! drift recorded (see [`crate::xml::drift`]), and what each one carries that the generated code does not know is
//! added here. Each path is logged once, at `WARN`, when it is first met.

use std::sync::Mutex;

use crate::xml::Drift;

/// The drift of every response a client (and its clones) has read.
#[derive(Debug, Default)]
pub(crate) struct DriftLog {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    drift: Drift,
    /// Whether the cap was reported as reached.
    capped: bool,
}

impl DriftLog {
    /// Adds the drift of one response, logging the paths met for the first time.
    pub(crate) fn absorb(&self, drift: &Drift, context: &str) {
        if drift.is_empty() {
            return;
        }
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        for entry in state.drift.merge(drift) {
            tracing::warn!(
                path = entry.path.as_str(),
                kind = entry.kind.as_str(),
                first_value = entry.first_value.as_deref(),
                response = context,
                "the response has an {} the generated code does not know, at {}: the server runs ahead of the \
                 bundled schemas; pull the current XSDs and regenerate (qps-codegen diff shows what changed)",
                entry.kind,
                entry.path,
            );
        }
        if state.drift.dropped() > 0 && !state.capped {
            state.capped = true;
            tracing::warn!(
                cap = Drift::CAP,
                "more unknown paths than the drift report holds; further ones are only counted"
            );
        }
    }

    /// A copy of the drift so far.
    pub(crate) fn snapshot(&self) -> Drift {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drift
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::xml::DriftKind;

    /// Collects the messages of `WARN` events.
    #[derive(Clone, Default)]
    struct Warnings(Arc<Mutex<Vec<String>>>);

    struct Message<'a>(&'a mut String);

    impl tracing::field::Visit for Message<'_> {
        fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
            if field.name() == "message" {
                self.0.push_str(&format!("{value:?}"));
            }
        }
    }

    impl tracing::Subscriber for Warnings {
        fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
            tracing::span::Id::from_u64(1)
        }
        fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
        fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
        fn event(&self, event: &tracing::Event<'_>) {
            if *event.metadata().level() == tracing::Level::WARN {
                let mut text = String::new();
                event.record(&mut Message(&mut text));
                self.0.lock().unwrap().push(text);
            }
        }
        fn enter(&self, _: &tracing::span::Id) {}
        fn exit(&self, _: &tracing::span::Id) {}
    }

    fn drift(paths: &[&str]) -> Drift {
        let mut drift = Drift::new();
        for path in paths {
            drift.record(DriftKind::Element, path, None, 1);
        }
        drift
    }

    #[test]
    fn each_path_is_logged_once_with_the_hint_to_regenerate() {
        let warnings = Warnings::default();
        let log = DriftLog::default();
        tracing::subscriber::with_default(warnings.clone(), || {
            log.absorb(&drift(&["R/a", "R/b"]), "/get/x");
            log.absorb(&drift(&["R/a", "R/c"]), "/get/x");
            log.absorb(&Drift::new(), "/get/x");
        });
        let seen = warnings.0.lock().unwrap().clone();
        assert_eq!(seen.len(), 3, "{seen:#?}");
        for (text, path) in seen.iter().zip(["R/a", "R/b", "R/c"]) {
            assert!(text.contains(&format!("at {path}:")), "{text}");
            assert!(text.contains("regenerate"), "{text}");
        }
        assert_eq!(
            log.snapshot().get(DriftKind::Element, "R/a").unwrap().count,
            2
        );
    }

    #[test]
    fn the_cap_is_reported_once() {
        let warnings = Warnings::default();
        let log = DriftLog::default();
        let many: Vec<String> = (0..Drift::CAP + 10).map(|i| format!("R/e{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        tracing::subscriber::with_default(warnings.clone(), || {
            log.absorb(&drift(&many), "/search/x");
            log.absorb(&drift(&["R/other"]), "/search/x");
        });
        let seen = warnings.0.lock().unwrap().clone();
        assert_eq!(
            seen.len(),
            Drift::CAP + 1,
            "one per path kept, one for the cap"
        );
        assert_eq!(
            seen.iter()
                .filter(|t| t.contains("more unknown paths"))
                .count(),
            1
        );
        assert_eq!(log.snapshot().dropped(), 11);
    }
}
