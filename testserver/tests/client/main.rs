//! End-to-end tests of the typed client (`qualys-qps` over `qps-runtime`) against the local QPS server.
//!
//! One test binary (modules under `tests/client/`): every catalog action through the generated calls, the
//! request bodies checked by xmllint against their XSDs, the seed samples rebuilt with the typed API and served
//! back, paging through faults, the retry rules for writes, validation before sending, and error mapping.

mod support;

mod actions;
mod body_limit;
mod drift;
mod encodings;
mod errors;
mod limits;
mod paging;
mod pipelining;
mod retries;
mod seeds;
mod timeouts;
mod urls;
mod validation;
