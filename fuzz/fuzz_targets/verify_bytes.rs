//! Arbitrary bytes as a token, under each fixed setup, through the adapter named by
//! `JWT_FUZZ_ADAPTER` (default jsonwebtoken). A panic is a crash; an acceptance that
//! is not signed by a trusted key with an allowed algorithm, or that breaks the policy,
//! is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(finding) = jwt_conformance_fuzz_targets::verify_bytes(data) {
        panic!("{finding}");
    }
});
