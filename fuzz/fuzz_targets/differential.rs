//! The same scenario as `verify_structured` through two adapters, `JWT_FUZZ_ADAPTERS`
//! (default `jsonwebtoken,reference`). An accept/reject disagreement that no manifest and
//! no entry of `fuzz/known-divergences.toml` documents is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(finding) = jwt_conformance_fuzz_targets::differential(data) {
        panic!("{finding}");
    }
});
