//! The checked-in `generated/` compiled as plain source: code that `include!`s `$OUT_DIR` is linted as a macro
//! expansion, which clippy mostly leaves alone, so `cargo clippy --all-targets` checks the generated code here.

// A test binary uses little of it: what a library would export counts as unused here.
#[allow(dead_code, unused_imports)]
mod generated {
    include!("../generated/mod.rs");
}

#[test]
fn generated_compiles_as_plain_source() {
    let op: generated::common::CriteriaOperator = "CONTAINS".parse().unwrap();
    assert_eq!(op.as_str(), "CONTAINS");
}
