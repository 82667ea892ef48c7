//! Verifiers with one planted bug each, to show that the fuzz targets find what they
//! are meant to find. Each is the strict reference verifier with a single check
//! switched off, so anything the target reports is that bug and nothing else.

use jwt_conformance::{
    b64, Adapter, AdapterInfo, Alg, Clock, Policy, PrepareError, RejectKind, Verdict, Verifier,
};
use jwt_conformance_reference::ReferenceVerifier;
use serde_json::Value;

/// The planted bug.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bug {
    /// `alg: none` in any capitalisation skips the signature check (CVE-2015-9235);
    /// the claims are still checked.
    AcceptsNone,
    /// `exp` is never checked.
    IgnoresExp,
}

impl Bug {
    pub fn name(self) -> &'static str {
        match self {
            Bug::AcceptsNone => "planted-none",
            Bug::IgnoresExp => "planted-exp",
        }
    }
}

/// The reference verifier with `Bug` planted.
#[derive(Clone, Copy, Debug)]
pub struct PlantedAdapter(pub Bug);

impl Adapter for PlantedAdapter {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            name: self.0.name().to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            algorithms: Alg::ALL.to_vec(),
            clock: Clock::Injectable,
        }
    }

    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, PrepareError> {
        Ok(Box::new(PlantedVerifier {
            bug: self.0,
            reference: ReferenceVerifier::new(policy, jwt_conformance::rules::Choice::Strict),
        }))
    }
}

struct PlantedVerifier {
    bug: Bug,
    reference: ReferenceVerifier,
}

fn segment_json(token: &str, index: usize) -> Option<Value> {
    let bytes = b64::decode(token.split('.').nth(index)?).ok()?;
    serde_json::from_slice(&bytes).ok()
}

impl Verifier for PlantedVerifier {
    fn verify(&self, token: &str) -> Verdict {
        let verdict = self.reference.verify(token);
        if matches!(verdict, Verdict::Accepted { .. }) {
            return verdict;
        }
        let defects = self.reference.defects(token);
        let only = |kind: RejectKind| !defects.is_empty() && defects.iter().all(|d| d.kind == kind);
        let overlooked = match self.bug {
            Bug::AcceptsNone => {
                let alg = segment_json(token, 0).and_then(|h| h.get("alg").cloned());
                let none = alg
                    .as_ref()
                    .and_then(Value::as_str)
                    .is_some_and(|a| a.eq_ignore_ascii_case("none"));
                // Without a usable alg the reference checks no signature, so the alg
                // defect is the only one left when the claims are fine.
                none && only(RejectKind::Algorithm)
            }
            Bug::IgnoresExp => only(RejectKind::Expired),
        };
        match segment_json(token, 1) {
            Some(claims @ Value::Object(_)) if overlooked => Verdict::accepted(claims),
            _ => verdict,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jwt_conformance::forge::{self, keys};
    use serde_json::json;

    const NOW: i64 = 1_700_000_000;

    fn verifier(bug: Bug) -> Box<dyn Verifier> {
        let policy = Policy::new(keys::public_set(&["oct-a"]), vec![Alg::HS256], Some(NOW));
        PlantedAdapter(bug).prepare(&policy).unwrap()
    }

    fn accepted(v: &dyn Verifier, token: &str) -> bool {
        matches!(v.verify(token), Verdict::Accepted { .. })
    }

    #[test]
    fn each_planted_bug_lets_through_exactly_its_attack() {
        let valid = forge::jwt(Alg::HS256, "oct-a", &json!({"exp": NOW + 60}));
        let expired = forge::jwt(Alg::HS256, "oct-a", &json!({"exp": NOW - 60}));
        let unsigned = |alg: &str, exp: i64| {
            format!(
                "{}.",
                forge::signing_input(
                    json!({"alg": alg}).to_string().as_bytes(),
                    json!({"exp": exp}).to_string().as_bytes()
                )
            )
        };
        let none = verifier(Bug::AcceptsNone);
        assert!(accepted(&*none, &valid));
        assert!(accepted(&*none, &unsigned("nOnE", NOW + 60)));
        assert!(
            !accepted(&*none, &unsigned("none", NOW - 60)),
            "claims still checked"
        );
        assert!(!accepted(&*none, &unsigned("HS256", NOW + 60)));
        assert!(!accepted(&*none, &expired));
        let exp = verifier(Bug::IgnoresExp);
        assert!(accepted(&*exp, &expired));
        assert!(!accepted(&*exp, &unsigned("none", NOW + 60)));
        let forged = format!("{}AAAA", &expired[..expired.len() - 4]);
        assert!(!accepted(&*exp, &forged), "the signature is still checked");
    }
}
