//! Baseline, not a test: jsonwebtoken's `decode` alone, configured for each fixed setup
//! as the adapter configures it, with no harness and no oracle. The other targets'
//! executions per second are compared with this one's to price their oracles.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    std::hint::black_box(jwt_conformance_fuzz_targets::bare_decode(data));
});
