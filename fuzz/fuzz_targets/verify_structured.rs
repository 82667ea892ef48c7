//! A legitimately signed token, its content taken from the input's token and edited
//! before signing, then attacked with the property mutation operators (input format:
//! `TOKEN [NUL KNOBS]`), through the adapter named by `JWT_FUZZ_ADAPTER` (default
//! jsonwebtoken). Oracle: no forgery against the scenario's ledger, and the claim policy
//! (time window, aud, iss, typ, crit).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(finding) = jwt_conformance_fuzz_targets::verify_structured(data) {
        panic!("{finding}");
    }
});
