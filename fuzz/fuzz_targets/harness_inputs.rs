//! The harness's own parsers (RFC vector files, manifests, process-protocol replies and
//! policies, JWKs, the known-divergences file) on arbitrary bytes; the first byte picks
//! the parser. They must fail with a clear error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(finding) = jwt_conformance_fuzz_targets::harness_inputs(data) {
        panic!("{finding}");
    }
});
