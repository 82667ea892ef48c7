//! What the catalogue's tests ask of a token: its decoded header and payload, and
//! whether its signature verifies under the policy key its `kid` names for the `alg`
//! its header names, so that each attack is shown to be broken in the one place it
//! attacks and its control to be sound.
#![cfg(test)]

use crate::alg::Alg;
use crate::b64;
use crate::case::Case;
use crate::context::Context;
use crate::forge;
use crate::policy::Policy;
use serde_json::Value;

fn segment(token: &str, index: usize) -> Vec<u8> {
    let part = token.split('.').nth(index).expect("token has the segment");
    b64::decode(part).unwrap_or_else(|e| panic!("segment {index} of {token}: {e}"))
}

/// The header as JSON.
pub fn header_of(token: &str) -> Value {
    serde_json::from_slice(&segment(token, 0)).expect("header is JSON")
}

/// The payload as JSON.
pub fn payload_of(token: &str) -> Value {
    serde_json::from_slice(&segment(token, 1)).expect("payload is JSON")
}

/// The signature bytes.
pub fn signature_of(token: &str) -> Vec<u8> {
    segment(token, 2)
}

/// The signing input, everything before the last `.`.
pub fn input_of(token: &str) -> &str {
    token.rsplit_once('.').expect("compact token").0
}

/// Whether the signature verifies with `alg` under the policy key named by the
/// header's `kid` (the header's own `alg` is not consulted).
pub fn verifies_as(token: &str, alg: Alg, policy: &Policy) -> bool {
    let kid = header_of(token)["kid"].as_str().map(str::to_string);
    let Some(key) = kid.and_then(|kid| policy.keys.find(&kid).cloned()) else {
        return false;
    };
    forge::verify(alg, &key, input_of(token).as_bytes(), &signature_of(token))
}

/// Whether the token is valid under the policy in every respect the catalogue's
/// controls rely on: allowed `alg`, a trusted `kid` whose JWK `alg` (if any) is that
/// `alg`, a verifying signature, and claims inside their validity window.
pub fn valid_under(token: &str, policy: &Policy) -> bool {
    let header = header_of(token);
    let Some(alg) = header["alg"].as_str().and_then(|a| a.parse::<Alg>().ok()) else {
        return false;
    };
    let bound_elsewhere = header["kid"]
        .as_str()
        .and_then(|kid| policy.keys.find(kid))
        .and_then(|key| key.alg.as_deref())
        .is_some_and(|bound| bound != alg.as_str());
    if bound_elsewhere {
        return false;
    }
    let claims = payload_of(token);
    let now = policy.now.unwrap_or_else(crate::context::system_now);
    let in_window = claims["exp"].as_i64().is_some_and(|exp| now < exp)
        && claims["nbf"].as_i64().is_none_or(|nbf| nbf <= now);
    policy.algorithms.contains(&alg) && in_window && verifies_as(token, alg, policy)
}

/// Every control is valid under its case's policy, and no attack token is.
pub fn assert_controls_valid(cases: &[Case]) {
    for case in cases {
        assert!(
            valid_under(control_of(case), &case.policy),
            "{}: control is not valid",
            case.id
        );
        assert!(
            !valid_under(&case.token, &case.policy),
            "{}: token is valid",
            case.id
        );
    }
}

fn control_of(case: &Case) -> &str {
    case.control_token()
        .unwrap_or_else(|| panic!("{} has no control", case.id))
}

/// The cases `build` makes for listing (fixed time, every algorithm), checked to be
/// `count` in number, each with a valid control and an invalid token.
pub fn listed(build: fn(&Context) -> Vec<Case>, count: usize) -> Vec<Case> {
    let cases = build(&Context::listing());
    assert_eq!(cases.len(), count, "number of cases");
    assert_controls_valid(&cases);
    cases
}

/// The case called `id`.
pub fn named<'a>(cases: &'a [Case], id: &str) -> &'a Case {
    cases
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no case {id}"))
}

/// The signature bytes of a case's token and of its control.
pub fn signature_pair(case: &Case) -> (Vec<u8>, Vec<u8>) {
    (signature_of(&case.token), signature_of(control_of(case)))
}

/// Each token carries exactly its control's claims.
pub fn assert_same_claims_as_control(cases: &[Case]) {
    for case in cases {
        assert_eq!(
            payload_of(&case.token),
            payload_of(control_of(case)),
            "{}",
            case.id
        );
    }
}

/// Each token is its control with another signature: same header, same claims.
pub fn assert_only_signature_differs(cases: &[Case]) {
    assert_same_claims_as_control(cases);
    for case in cases {
        let control = control_of(case);
        assert_eq!(header_of(&case.token), header_of(control), "{}", case.id);
        assert_ne!(
            signature_of(&case.token),
            signature_of(control),
            "{}",
            case.id
        );
    }
}

mod tests {
    use super::*;
    use crate::catalogue::common::{policy_for, valid_claims};

    #[test]
    fn a_valid_token_passes_and_each_defect_fails() {
        let ctx = Context::listing();
        let policy = policy_for(&ctx, Alg::HS256);
        let good = forge::jwt(Alg::HS256, "oct-a", &valid_claims(&ctx));
        assert!(valid_under(&good, &policy));
        assert!(!valid_under(
            &forge::jwt(Alg::HS256, "oct-b", &valid_claims(&ctx)),
            &policy
        ));
        assert!(!valid_under(
            &forge::jwt(Alg::HS384, "oct-a", &valid_claims(&ctx)),
            &policy
        ));
        let mut expired = valid_claims(&ctx);
        expired["exp"] = Value::from(ctx.now);
        assert!(!valid_under(
            &forge::jwt(Alg::HS256, "oct-a", &expired),
            &policy
        ));
        assert!(verifies_as(&good, Alg::HS256, &policy));
        let mut bound = policy.clone();
        bound.keys.keys[0].alg = Some("HS512".into());
        assert!(!valid_under(&good, &bound));
        assert!(!verifies_as(&good, Alg::HS384, &policy));
    }
}
