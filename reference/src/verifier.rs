//! The prepared verifier: every check, in the order that decides the reject kind.

use crate::keys::TrustedKey;
use crate::remote::RemoteKeys;
use crate::{select, signature};
use jwt_conformance::context::system_now;
use jwt_conformance::rules::segments::{self, Segments};
use jwt_conformance::rules::{alg, claims, crit, json, typ, Checked, Choice, Rejection};
use jwt_conformance::{Alg, Policy, RejectKind, Verdict, Verifier};
use serde_json::{Map, Value};
use std::sync::Arc;

/// A verifier built once for a policy, with its keys already parsed (or, for a policy
/// with a remote key set, with the set's cache).
#[derive(Clone, Debug)]
pub struct ReferenceVerifier {
    policy: Policy,
    keys: Arc<Vec<TrustedKey>>,
    remote: Option<Arc<RemoteKeys>>,
    choice: Choice,
}

impl ReferenceVerifier {
    /// Parses the policy's keys; keys that do not parse are kept, unusable, with why.
    /// Every choice the RFCs leave open is taken `choice`'s way.
    pub fn new(policy: &Policy, choice: Choice) -> ReferenceVerifier {
        ReferenceVerifier {
            keys: Arc::new(
                policy
                    .keys
                    .keys
                    .iter()
                    .map(|jwk| TrustedKey::parse(jwk, choice))
                    .collect(),
            ),
            remote: policy
                .jwks
                .as_ref()
                .map(|config| Arc::new(RemoteKeys::new(config, choice))),
            policy: policy.clone(),
            choice,
        }
    }

    /// The claims of a valid token, exactly as signed, or the first check it fails.
    pub fn check(&self, token: &str) -> Checked<Map<String, Value>> {
        // 1. Compact serialization: size, three segments, strict base64url.
        let segments = segments::split(token, self.choice)?;
        // 2. Header: a UTF-8 JSON object without duplicate names.
        let header = json::parse_object(&segments.header, self.choice)
            .map_err(|e| malformed("header", e))?;
        // 3. `alg`: present, registered, never `none`, allowed by the policy.
        let alg = alg::check(&header, &self.policy.algorithms)?;
        // 4. `crit` (and `b64`): no extension is understood.
        crit::check(&header, self.choice)?;
        // 5. `typ` (explicit typing) and `cty`.
        typ::check(&header, self.policy.typ.as_deref(), self.choice)?;
        // 6. and 7. Trusted keys chosen by `kid`, bound to `alg`, strong enough; the
        //    signature over the signing input verifies with one of them.
        self.key_and_signature(alg, &header, &segments)?;
        // 8. Payload: a UTF-8 JSON object without duplicate names.
        let claims = json::parse_object(&segments.payload, self.choice)
            .map_err(|e| malformed("payload", e))?;
        // 9. Claims: types, required, time window, issuer, audience.
        claims::check(&claims, &self.policy, self.now(), self.choice)?;
        // 10. Accepted: the claims exactly as parsed.
        Ok(claims)
    }

    /// Every defect of the token that can be found, in the order of [`check`]
    /// (whose rejection is always the first of them): the checks run past a failure
    /// wherever a later check does not depend on it. Without an `alg` there is no key
    /// selection or signature check, and without a key no signature check; the claims
    /// are checked whatever the header, unless its `cty` says the payload is a nested
    /// JWT rather than claims. A token built to have one defect has exactly one entry
    /// here.
    ///
    /// [`check`]: ReferenceVerifier::check
    pub fn defects(&self, token: &str) -> Vec<Rejection> {
        let segments = match segments::split(token, self.choice) {
            Ok(segments) => segments,
            Err(rejection) => return vec![rejection],
        };
        let mut found = Vec::new();
        match json::parse_object(&segments.header, self.choice) {
            Ok(header) => found.extend(self.header_defects(&header, &segments)),
            Err(e) => found.push(malformed("header", e)),
        }
        // A `cty` of JWT makes the payload a nested JWT (RFC 7519 section 7.2 step 8),
        // not this token's claims: its not being a claims set is no defect of its own.
        let nested = json::parse_object(&segments.header, self.choice).is_ok_and(|header| {
            header
                .get("cty")
                .and_then(Value::as_str)
                .is_some_and(|cty| typ::normalise(cty) == "application/jwt")
        });
        if nested {
            return found;
        }
        match json::parse_object(&segments.payload, self.choice) {
            Ok(claims) => found.extend(claims::defects(
                &claims,
                &self.policy,
                self.now(),
                self.choice,
            )),
            Err(e) => found.push(malformed("payload", e)),
        }
        found
    }

    /// Steps 3 to 7, each run when what it needs is there.
    fn header_defects(&self, header: &Map<String, Value>, segments: &Segments) -> Vec<Rejection> {
        let alg = alg::check(header, &self.policy.algorithms);
        let crit = crit::check(header, self.choice);
        let typ = typ::check(header, self.policy.typ.as_deref(), self.choice);
        let signature = match &alg {
            Ok(alg) => self.key_and_signature(*alg, header, segments),
            Err(_) => Ok(()),
        };
        [alg.map(|_| ()), crit, typ, signature]
            .into_iter()
            .filter_map(Result::err)
            .collect()
    }

    /// Steps 6 and 7: the signature is checked only once a usable key is found.
    fn key_and_signature(
        &self,
        alg: Alg,
        header: &Map<String, Value>,
        segments: &Segments,
    ) -> Checked {
        let trusted = match &self.remote {
            None => Arc::clone(&self.keys),
            Some(remote) => {
                let kid = header.get("kid").and_then(Value::as_str);
                remote
                    .keys_for(kid)
                    .map_err(|why| Rejection::new(RejectKind::Key, why))?
            }
        };
        let keys = select::select(&trusted, header, alg, self.choice)?;
        signature::check(
            alg,
            &keys,
            segments.signing_input.as_bytes(),
            &segments.signature,
        )
    }

    /// The policy's `now` when it sets one, else the system clock at this moment.
    fn now(&self) -> i64 {
        self.policy.now.unwrap_or_else(system_now)
    }
}

/// RFC 7515 section 5.2 steps 3 and 4 (header) and RFC 7519 section 7.2 step 10
/// (payload): the octets must be a UTF-8 JSON object.
fn malformed(segment: &str, why: String) -> Rejection {
    Rejection::new(
        RejectKind::Malformed,
        format!("the {segment} {why} (RFC 7515 section 5.2, RFC 7519 section 7.2)"),
    )
}

impl Verifier for ReferenceVerifier {
    fn verify(&self, token: &str) -> Verdict {
        match self.check(token) {
            Ok(claims) => Verdict::Accepted { claims },
            Err(rejection) => rejection.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jwt_conformance::forge::{self, keys};
    use serde_json::json;

    const NOW: i64 = 1_700_000_000;

    fn verifier(alg: Alg, now: Option<i64>) -> ReferenceVerifier {
        let key = keys::default_key_name(alg);
        ReferenceVerifier::new(
            &Policy::new(keys::public_set(&[key]), vec![alg], now),
            Choice::Strict,
        )
    }

    fn kind(verifier: &ReferenceVerifier, token: &str) -> Option<RejectKind> {
        verifier.check(token).err().map(|r| r.kind)
    }

    /// A token over exact header and payload text, signed with the default HS256 key.
    fn hs256(header: &str, payload: &str) -> String {
        forge::sign_bytes(
            header.as_bytes(),
            payload.as_bytes(),
            Alg::HS256,
            keys::private("oct-a"),
        )
        .unwrap()
    }

    #[test]
    fn a_valid_token_of_every_alg_is_accepted_with_exactly_its_claims() {
        let claims = json!({"sub": "s", "exp": NOW + 60, "n": [1, 2.5, {"x": null}]});
        for alg in Alg::ALL {
            let token = forge::jwt(alg, keys::default_key_name(alg), &claims);
            let verdict = verifier(alg, Some(NOW)).verify(&token);
            assert_eq!(verdict, Verdict::accepted(claims.clone()), "{alg}");
        }
    }

    #[test]
    fn the_first_failing_step_decides_the_kind() {
        let v = verifier(Alg::HS256, Some(NOW));
        // alg none and a bad signature: step 3 comes before step 7.
        assert_eq!(
            kind(
                &v,
                &format!("{}.", forge::signing_input(br#"{"alg":"none"}"#, b"{}"))
            ),
            Some(RejectKind::Algorithm)
        );
        // a bad signature and an expired exp: step 7 comes before step 9.
        let expired = hs256(r#"{"alg":"HS256"}"#, &format!(r#"{{"exp":{}}}"#, NOW - 1));
        let forged = format!("{}AAAA", &expired[..expired.len() - 4]);
        assert_eq!(kind(&v, &forged), Some(RejectKind::Signature));
        assert_eq!(kind(&v, &expired), Some(RejectKind::Expired));
    }

    #[test]
    fn defects_lists_independent_failures_and_starts_with_the_rejection() {
        let v = verifier(Alg::HS256, Some(NOW));
        let kinds = |token: &str| -> Vec<RejectKind> {
            let defects = v.defects(token);
            assert_eq!(defects.first(), v.check(token).err().as_ref(), "{token}");
            defects.into_iter().map(|r| r.kind).collect()
        };
        let valid = hs256(r#"{"alg":"HS256"}"#, &format!(r#"{{"exp":{}}}"#, NOW + 60));
        assert_eq!(kinds(&valid), vec![]);
        // A forged signature on an expired token: both are found.
        let expired = hs256(r#"{"alg":"HS256"}"#, &format!(r#"{{"exp":{}}}"#, NOW - 1));
        let forged = format!("{}AAAA", &expired[..expired.len() - 4]);
        assert_eq!(
            kinds(&forged),
            vec![RejectKind::Signature, RejectKind::Expired]
        );
        // `none` leaves nothing to check the signature with; crit and the claims still count.
        let none = format!(
            "{}.",
            forge::signing_input(br#"{"alg":"none","crit":[]}"#, br#"{"exp":"x"}"#)
        );
        assert_eq!(
            kinds(&none),
            vec![
                RejectKind::Algorithm,
                RejectKind::Critical,
                RejectKind::Malformed
            ]
        );
        assert_eq!(kinds("a.b"), vec![RejectKind::Malformed]);
        // A nested JWT's payload is a JWT, not claims: only the `cty` counts.
        let nested = hs256(r#"{"alg":"HS256","cty":"JWT"}"#, &valid);
        assert_eq!(kinds(&nested), vec![RejectKind::Malformed]);
        let nested_expired = hs256(r#"{"alg":"HS256","cty":"jwt"}"#, r#"{"exp":1}"#);
        assert_eq!(kinds(&nested_expired), vec![RejectKind::Malformed]);
    }

    #[test]
    fn header_keys_are_never_trusted() {
        let attacker = keys::private("oct-b");
        let header = json!({"alg": "HS256", "kid": "oct-a", "jwk": attacker.to_public(), "jku": "http://127.0.0.1:1/jwks"});
        let token =
            forge::sign_json(&header, &json!({"exp": NOW + 60}), Alg::HS256, attacker).unwrap();
        assert_eq!(
            kind(&verifier(Alg::HS256, Some(NOW)), &token),
            Some(RejectKind::Signature)
        );
    }

    #[test]
    fn duplicate_claims_and_deep_payloads_are_malformed_even_when_signed() {
        let v = verifier(Alg::HS256, Some(NOW));
        let duplicate = hs256(
            r#"{"alg":"HS256"}"#,
            &format!(r#"{{"exp":{},"exp":{}}}"#, NOW - 1, NOW + 60),
        );
        assert_eq!(kind(&v, &duplicate), Some(RejectKind::Malformed));
        let deep = hs256(
            r#"{"alg":"HS256"}"#,
            &format!(
                r#"{{"exp":{},"a":{}{}}}"#,
                NOW + 60,
                "[".repeat(100_000),
                "]".repeat(100_000)
            ),
        );
        assert_eq!(kind(&v, &deep), Some(RejectKind::Malformed));
        let fine = hs256(r#"{"alg":"HS256"}"#, &format!(r#"{{"exp":{}}}"#, NOW + 60));
        assert_eq!(kind(&v, &fine), None);
    }

    #[test]
    fn a_one_megabyte_token_is_accepted_and_an_oversized_one_is_not() {
        let v = verifier(Alg::HS256, Some(NOW));
        let big = json!({"exp": NOW + 60, "pad": "x".repeat(1_000_000)});
        let token = forge::jwt(Alg::HS256, "oct-a", &big);
        assert!(token.len() > 1_000_000);
        assert_eq!(v.verify(&token), Verdict::accepted(big));
        let huge = format!(
            "{token}{}",
            "A".repeat(segments::MAX_TOKEN_BYTES + 1 - token.len())
        );
        let r = v.check(&huge).unwrap_err();
        assert!(
            r.kind == RejectKind::Malformed && r.message.contains("refuses tokens over"),
            "{r}"
        );
    }

    #[test]
    fn without_an_injected_now_the_system_clock_decides() {
        let v = verifier(Alg::HS256, None);
        let now = system_now();
        let valid = forge::jwt(Alg::HS256, "oct-a", &json!({"exp": now + 3600}));
        let expired = forge::jwt(Alg::HS256, "oct-a", &json!({"exp": now - 3600}));
        assert_eq!(kind(&v, &valid), None);
        assert_eq!(kind(&v, &expired), Some(RejectKind::Expired));
        // The same token under an injected clock an hour earlier is valid again.
        assert_eq!(
            kind(&verifier(Alg::HS256, Some(now - 7200)), &expired),
            None
        );
    }
}
