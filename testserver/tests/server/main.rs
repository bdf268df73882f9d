//! End-to-end tests of the local QPS server, over real HTTP with a plain client.
//!
//! One test binary (modules under `tests/server/`) keeps the build and link lean.

mod support;

mod actions;
mod auth;
mod criteria;
mod faults;
mod pagination;
mod seeding;
mod transitions;
