//! The reference verifiers with one deliberate flaw each: the shared set of broken
//! verifiers that proves the catalogue, the properties, the scoring and the fuzz
//! targets can fail. Each is a reference (strict or lenient) with a single check
//! switched off or a single answer changed, so whatever a test reports is that flaw and
//! nothing else.

use crate::ReferenceVerifier;
use jwt_conformance::forge;
use jwt_conformance::rules::{base64url, json, Choice};
use jwt_conformance::{
    Adapter, AdapterInfo, Alg, Clock, Jwk, Policy, RejectKind, Verdict, Verifier,
};
use serde_json::{Map, Number, Value};

/// One deliberate flaw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flaw {
    /// None: the reference as it is.
    None,
    /// `alg: none` in any capitalisation skips the signature check (CVE-2015-9235); the
    /// rest of the token is still checked.
    AcceptsNone,
    /// HS* tokens are checked with a trusted public key's PEM as the HMAC secret
    /// (algorithm confusion, CVE-2016-10555).
    HmacWithPublicPem,
    /// Verifies with the key in the token's own `jwk` header (CVE-2018-0114).
    TrustsHeaderJwk,
    /// The policy's audience is dropped, so any `aud` is accepted.
    IgnoresAudience,
    /// `exp` is never checked.
    IgnoresExp,
    /// The token's type is never checked: a required `typ`, or a profile's explicit
    /// type (an access token validated without its `at+jwt` check).
    IgnoresType,
    /// The nonce sent in the Authentication Request is dropped from the policy, so an ID
    /// token's `nonce` goes unchecked.
    IgnoresNonce,
    /// An ID token's `azp` is never checked.
    IgnoresAzp,
    /// Compares only the first 16 bytes of an HMAC.
    HmacPrefix,
    /// Verifies the signature over the header and payload re-serialised as compact JSON
    /// instead of the bytes received.
    ReencodesSigningInput,
    /// Panics on a segment that is not base64url.
    PanicsOnBadBase64,
    /// Rejects every token, valid or not.
    RejectsEverything,
    /// Rejects every token of one algorithm, valid or not.
    RejectsAlg(Alg),
    /// Reads the first of duplicate member names where the RFCs resolve the last.
    FirstDuplicateWins,
    /// Hands every number back as a double (`1` as `1.0`): no flaw at all by RFC 8259.
    NumbersAsFloats,
    /// Hands integers beyond 2^53 back through a double, as JavaScript does: permitted by
    /// RFC 8259 section 6.
    IntegersThroughDouble,
}

/// A reference with one flaw, as an adapter.
#[derive(Clone, Copy, Debug)]
pub struct FlawedAdapter {
    /// The flaw.
    pub flaw: Flaw,
    /// Which reference it is built on.
    pub base: Choice,
    /// The clock it announces: `System` builds cases around the real time.
    pub clock: Clock,
}

impl FlawedAdapter {
    /// The strict reference with `flaw`, injectable clock.
    pub fn strict(flaw: Flaw) -> FlawedAdapter {
        FlawedAdapter {
            flaw,
            base: Choice::Strict,
            clock: Clock::Injectable,
        }
    }

    /// The lenient reference with `flaw`, injectable clock.
    pub fn lenient(flaw: Flaw) -> FlawedAdapter {
        FlawedAdapter {
            base: Choice::Lenient,
            ..FlawedAdapter::strict(flaw)
        }
    }

    /// The same adapter announcing `clock`.
    pub fn with_clock(self, clock: Clock) -> FlawedAdapter {
        FlawedAdapter { clock, ..self }
    }
}

impl Adapter for FlawedAdapter {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            name: format!("reference-{:?}-{:?}", self.base, self.flaw).to_lowercase(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            algorithms: Alg::ALL.to_vec(),
            clock: self.clock,
            remote_jwks: true,
        }
    }

    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, Verdict> {
        let mut policy = policy.clone();
        if self.flaw == Flaw::IgnoresAudience {
            policy.audience.clear();
        }
        if self.flaw == Flaw::IgnoresNonce {
            policy.nonce = None;
        }
        Ok(Box::new(FlawedVerifier {
            flaw: self.flaw,
            reference: ReferenceVerifier::new(&policy, self.base),
            policy,
        }))
    }
}

/// A prepared flawed verifier.
pub struct FlawedVerifier {
    flaw: Flaw,
    policy: Policy,
    reference: ReferenceVerifier,
}

impl Verifier for FlawedVerifier {
    fn verify(&self, token: &str) -> Verdict {
        match self.flaw {
            Flaw::RejectsEverything => {
                return Verdict::rejected(RejectKind::Signature, "rejects every token")
            }
            Flaw::RejectsAlg(alg) if header(token).is_some_and(|h| h["alg"] == alg.as_str()) => {
                return Verdict::rejected(RejectKind::Algorithm, format!("rejects every {alg}"))
            }
            Flaw::PanicsOnBadBase64
                if token
                    .split('.')
                    .any(|s| base64url::decode(s, Choice::Strict).is_err()) =>
            {
                panic!("bad base64 in {token:?}");
            }
            _ => {}
        }
        let verdict = self.reference.verify(token);
        match verdict {
            Verdict::Accepted { claims } => Verdict::Accepted {
                claims: self.answer(token, claims),
            },
            rejected => self.overlooked(token).unwrap_or(rejected),
        }
    }
}

impl FlawedVerifier {
    /// The claims handed back for an accepted token, as the flaw changes them.
    fn answer(&self, token: &str, claims: Map<String, Value>) -> Map<String, Value> {
        match self.flaw {
            Flaw::NumbersAsFloats => map_numbers(claims, &|n| {
                n.as_f64().and_then(Number::from_f64).unwrap_or(n)
            }),
            Flaw::IntegersThroughDouble => map_numbers(claims, &|n| match n.as_u64() {
                Some(v) if v > 1 << 53 => Number::from_f64(v as f64).unwrap_or(n),
                _ => n,
            }),
            Flaw::FirstDuplicateWins => first_wins_payload(token).unwrap_or(claims),
            _ => claims,
        }
    }

    /// The flaw's own acceptance of a token the reference rejected, if it applies.
    fn overlooked(&self, token: &str) -> Option<Verdict> {
        let (input, signature) = token.rsplit_once('.')?;
        let signature = base64url::decode(signature, Choice::Strict).ok()?;
        let header = header(token)?;
        let label = header
            .get("alg")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let defects = self.reference.defects(token);
        let only = |kinds: &[RejectKind]| {
            !defects.is_empty() && defects.iter().all(|d| kinds.contains(&d.kind))
        };
        let accepted = match self.flaw {
            // Without a usable alg the reference checks no signature, so the alg defect
            // is the only one left when the rest is fine.
            Flaw::AcceptsNone => {
                label.eq_ignore_ascii_case("none") && only(&[RejectKind::Algorithm])
            }
            Flaw::IgnoresExp => only(&[RejectKind::Expired]),
            Flaw::IgnoresType => only(&[RejectKind::Type]),
            Flaw::IgnoresAzp => {
                !defects.is_empty() && defects.iter().all(|d| d.message.starts_with("`azp`"))
            }
            Flaw::HmacWithPublicPem => {
                hmac_alg(label).is_some_and(|alg| {
                    self.trusted().any(|k| {
                        k.public_key_pem().is_ok_and(|pem| {
                            forge::hmac(alg, pem.as_bytes(), input.as_bytes()) == signature
                        })
                    })
                }) && only(&[RejectKind::Signature, RejectKind::Key])
            }
            Flaw::TrustsHeaderJwk => {
                let jwk: Option<Jwk> = header
                    .get("jwk")
                    .and_then(|j| serde_json::from_value(j.clone()).ok());
                let alg: Option<Alg> = label.parse().ok();
                matches!((jwk, alg), (Some(jwk), Some(alg)) if forge::verify(alg, &jwk, input.as_bytes(), &signature))
                    && only(&[RejectKind::Signature, RejectKind::Key])
            }
            Flaw::HmacPrefix => {
                hmac_alg(label).is_some_and(|alg| {
                    self.trusted().any(|k| {
                        k.hmac_secret().is_ok_and(|secret| {
                            let mac = forge::hmac(alg, &secret, input.as_bytes());
                            signature.len() >= 16 && mac[..16] == signature[..16]
                        })
                    })
                }) && only(&[RejectKind::Signature])
            }
            Flaw::ReencodesSigningInput => {
                let payload = payload_claims(token)?;
                let canonical = format!(
                    "{}.{}",
                    base64url::encode(Value::Object(header.clone()).to_string()),
                    base64url::encode(Value::Object(payload).to_string())
                );
                let alg: Option<Alg> = label.parse().ok();
                alg.is_some_and(|alg| {
                    self.trusted()
                        .any(|k| forge::verify(alg, k, canonical.as_bytes(), &signature))
                }) && only(&[RejectKind::Signature, RejectKind::Malformed])
            }
            _ => false,
        };
        let claims = payload_claims(token)?;
        accepted.then(|| Verdict::accepted(Value::Object(claims)))
    }

    fn trusted(&self) -> impl Iterator<Item = &Jwk> {
        self.policy.keys.keys.iter()
    }
}

fn hmac_alg(label: &str) -> Option<Alg> {
    label
        .parse()
        .ok()
        .filter(|a| matches!(a, Alg::HS256 | Alg::HS384 | Alg::HS512))
}

/// The header as JSON, read leniently.
fn header(token: &str) -> Option<Map<String, Value>> {
    let segment = token.split('.').next()?;
    json::parse_object(
        &base64url::decode(segment, Choice::Lenient).ok()?,
        Choice::Lenient,
    )
    .ok()
}

/// The payload's claims, read leniently.
fn payload_claims(token: &str) -> Option<Map<String, Value>> {
    jwt_conformance::outcome::signed_claims(token).ok()
}

/// The payload read with the first of duplicate names kept.
fn first_wins_payload(token: &str) -> Option<Map<String, Value>> {
    let segment = token.split('.').nth(1)?;
    let bytes = base64url::decode(segment, Choice::Lenient).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let mut de = serde_json::Deserializer::from_str(text);
    match serde::Deserialize::deserialize(&mut de).ok()? {
        FirstWins(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// A JSON value parsed keeping the first of duplicate member names.
struct FirstWins(Value);

impl<'de> serde::Deserialize<'de> for FirstWins {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Value;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
                Ok(Value::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
                Ok(Value::from(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
                Ok(Value::from(v))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
                Ok(Value::from(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Value, E> {
                Ok(Value::from(v))
            }
            fn visit_unit<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Value, A::Error> {
                let mut items = Vec::new();
                while let Some(FirstWins(item)) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Value::Array(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Value, A::Error> {
                let mut members = Map::new();
                while let Some((name, FirstWins(value))) = map.next_entry::<String, FirstWins>()? {
                    members.entry(name).or_insert(value);
                }
                Ok(Value::Object(members))
            }
        }
        d.deserialize_any(V).map(FirstWins)
    }
}

/// Every number in the claims, changed by `f`.
fn map_numbers(claims: Map<String, Value>, f: &dyn Fn(Number) -> Number) -> Map<String, Value> {
    fn walk(v: Value, f: &dyn Fn(Number) -> Number) -> Value {
        match v {
            Value::Number(n) => Value::Number(f(n)),
            Value::Array(items) => Value::Array(items.into_iter().map(|i| walk(i, f)).collect()),
            Value::Object(map) => {
                Value::Object(map.into_iter().map(|(k, v)| (k, walk(v, f))).collect())
            }
            other => other,
        }
    }
    claims.into_iter().map(|(k, v)| (k, walk(v, f))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jwt_conformance::forge::keys;
    use serde_json::json;

    const NOW: i64 = 1_700_000_000;

    fn verify(flaw: Flaw, base: Choice, token: &str) -> Verdict {
        let policy = Policy::new(keys::public_set(&["oct-a"]), vec![Alg::HS256], Some(NOW));
        let adapter = FlawedAdapter {
            base,
            ..FlawedAdapter::strict(flaw)
        };
        adapter.prepare(&policy).unwrap().verify(token)
    }

    fn accepted(v: &Verdict) -> bool {
        matches!(v, Verdict::Accepted { .. })
    }

    #[test]
    fn each_flaw_lets_through_exactly_its_attack() {
        let valid = forge::jwt(Alg::HS256, "oct-a", &json!({"exp": NOW + 60}));
        let expired = forge::jwt(Alg::HS256, "oct-a", &json!({"exp": NOW - 60}));
        let none = format!(
            "{}.",
            forge::signing_input(
                br#"{"alg":"none"}"#,
                json!({"exp": NOW + 60}).to_string().as_bytes()
            )
        );
        for flaw in [Flaw::None, Flaw::AcceptsNone, Flaw::IgnoresExp] {
            assert!(accepted(&verify(flaw, Choice::Strict, &valid)), "{flaw:?}");
        }
        assert!(!accepted(&verify(Flaw::None, Choice::Strict, &none)));
        assert!(accepted(&verify(Flaw::AcceptsNone, Choice::Strict, &none)));
        assert!(!accepted(&verify(
            Flaw::AcceptsNone,
            Choice::Strict,
            &expired
        )));
        assert!(accepted(&verify(
            Flaw::IgnoresExp,
            Choice::Strict,
            &expired
        )));
        assert!(!accepted(&verify(Flaw::IgnoresExp, Choice::Strict, &none)));
        assert!(!accepted(&verify(
            Flaw::RejectsEverything,
            Choice::Strict,
            &valid
        )));
        assert!(!accepted(&verify(
            Flaw::RejectsAlg(Alg::HS256),
            Choice::Strict,
            &valid
        )));
        assert!(accepted(&verify(
            Flaw::RejectsAlg(Alg::ES256),
            Choice::Strict,
            &valid
        )));
    }

    #[test]
    fn answer_flaws_change_only_what_is_handed_back() {
        let token = forge::sign_bytes(
            br#"{"alg":"HS256"}"#,
            format!(
                r#"{{"exp":{},"n":9007199254740993,"sub":"a","sub":"b"}}"#,
                NOW + 60
            )
            .as_bytes(),
            Alg::HS256,
            keys::private("oct-a"),
        )
        .unwrap();
        let claims = |flaw| match verify(flaw, Choice::Lenient, &token) {
            Verdict::Accepted { claims } => Value::Object(claims),
            other => panic!("{flaw:?}: {other:?}"),
        };
        assert_eq!(claims(Flaw::None)["sub"], "b");
        assert_eq!(claims(Flaw::FirstDuplicateWins)["sub"], "a");
        assert!(claims(Flaw::NumbersAsFloats)["exp"].is_f64());
        assert!(claims(Flaw::IntegersThroughDouble)["n"].is_f64());
        assert!(claims(Flaw::IntegersThroughDouble)["exp"].is_u64());
    }

    #[test]
    #[should_panic(expected = "bad base64")]
    fn the_panicking_flaw_panics() {
        verify(Flaw::PanicsOnBadBase64, Choice::Strict, "e30.e30.A*");
    }
}
