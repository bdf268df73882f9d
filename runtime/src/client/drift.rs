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
