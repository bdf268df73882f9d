#![no_main]

use libfuzzer_sys::fuzz_target;

// A failed oracle check is a finding too: panic so libFuzzer saves the input.
fuzz_target!(|data: &[u8]| {
    if let Err(message) = qps_fuzz_targets::where_filter(data) {
        panic!("{message}");
    }
});
