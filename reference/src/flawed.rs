//! The reference verifiers with one deliberate flaw each: the shared set of broken
//! verifiers that proves the catalogue, the properties, the scoring and the fuzz
//! targets can fail. Each is a reference (strict or lenient) with a single check
//! switched off or a single answer changed, so whatever a test reports is that flaw and
//! nothing else.

use crate::ReferenceVerifier;
use jwt_conformance::forge::{self, jwe};
use jwt_conformance::memory::MemoryUse;
use jwt_conformance::rules::{base64url, json, Choice};
use jwt_conformance::{
    Adapter, AdapterInfo, Alg, Clock, Jwk, Policy, RejectKind, Verdict, Verifier,
};
use serde_json::{Map, Number, Value};
use std::sync::{Mutex, PoisonError};

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
    /// Reads ECDSA R and S as integers and reduces them modulo the group order instead of
    /// refusing values outside [1, n - 1] (RUSTSEC-2021-0076), so R + n or S + n in the
    /// JWS width passes for the valid signature.
    ReducesEcdsaScalars,
    /// Hands every number back as a double (`1` as `1.0`): no flaw at all by RFC 8259.
    NumbersAsFloats,
    /// Hands integers beyond 2^53 back through a double, as JavaScript does: permitted by
    /// RFC 8259 section 6.
    IntegersThroughDouble,
    /// Takes a JWE for a JWT too: decrypts it with a trusted key that can (a private part,
    /// or an `oct` secret) and hands back the plaintext's claims, without a signature
    /// anywhere (sign/encrypt confusion, CVE-2023-51774).
    DecryptsJwe,
    /// Verifies the outer JWS of a nested JWT (`cty: JWT`) and hands back the inner
    /// token's claims without validating the inner token.
    TrustsNestedClaims,
    /// Decrypts a `zip: DEF` JWE with a trusted key and inflates it without a limit,
    /// allocating the whole inflated size (CVE-2024-28102), before rejecting it as the
    /// reference does. Built into the harness's process it has no resident set of its
    /// own, so it reports what it inflated as its memory use, the figure a process
    /// adapter would measure.
    InflatesWithoutLimit,
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
        Ok(Box::new(FlawedVerifier {
            flaw: self.flaw,
            reference: ReferenceVerifier::new(&policy, self.base),
            policy,
            memory: Mutex::new(None),
        }))
    }
}

/// A prepared flawed verifier.
pub struct FlawedVerifier {
    flaw: Flaw,
    policy: Policy,
    reference: ReferenceVerifier,
    /// What [`Flaw::InflatesWithoutLimit`] allocated for the last token.
    memory: Mutex<Option<MemoryUse>>,
}

impl Verifier for FlawedVerifier {
    fn memory(&self) -> Option<MemoryUse> {
        *self.memory.lock().unwrap_or_else(PoisonError::into_inner)
    }

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
            Flaw::DecryptsJwe => {
                if let Some(claims) = self.decrypted_claims(token) {
                    return Verdict::Accepted { claims };
                }
            }
            Flaw::InflatesWithoutLimit => {
                let inflated = self.inflate_without_limit(token);
                *self.memory.lock().unwrap_or_else(PoisonError::into_inner) =
                    inflated.map(|octets| {
                        let kib = octets as u64 / 1024;
                        MemoryUse {
                            peak_rss_kib: kib,
                            growth_kib: kib,
                        }
                    });
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
    /// The trusted keys a JWE could have been made for: those with a private part, and
    /// secrets.
    fn decryption_keys(&self) -> impl Iterator<Item = &Jwk> {
        self.trusted().filter(|k| k.kty == "oct" || k.d.is_some())
    }

    /// A JWE's plaintext claims, decrypted with the first trusted key that can.
    fn decrypted_claims(&self, token: &str) -> Option<Map<String, Value>> {
        if token.split('.').count() != 5 {
            return None;
        }
        self.decryption_keys().find_map(|key| {
            let plaintext = jwe::decrypt(token, key).ok()?.plaintext;
            match serde_json::from_slice(&plaintext).ok()? {
                Value::Object(claims) => Some(claims),
                _ => None,
            }
        })
    }

    /// How many octets a `zip: DEF` JWE inflated to, decrypted and inflated with no bound.
    fn inflate_without_limit(&self, token: &str) -> Option<usize> {
        if token.split('.').count() != 5 {
            return None;
        }
        let header: Value = serde_json::from_slice(&forge::decode(token).header.ok()?).ok()?;
        if header.get("zip")? != "DEF" {
            return None;
        }
        let unbounded = jwe::DecryptLimits {
            max_inflated_len: usize::MAX / 2,
            ..jwe::DecryptLimits::default()
        };
        self.decryption_keys().find_map(|key| {
            jwe::decrypt_with_limits(token, key, &unbounded)
                .ok()
                .map(|d| d.plaintext.len())
        })
    }

    /// The inner token of a nested JWT whose outer JWS is valid, read without validation.
    fn inner_claims(
        &self,
        token: &str,
        defects: &[jwt_conformance::rules::Rejection],
    ) -> Option<Map<String, Value>> {
        let nested_only = matches!(defects, [only] if only.kind == RejectKind::Malformed && only.message.contains("nested JWT"));
        if !nested_only {
            return None;
        }
        let inner = base64url::decode(token.split('.').nth(1)?, Choice::Lenient).ok()?;
        payload_claims(std::str::from_utf8(&inner).ok()?)
    }

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
            Flaw::TrustsNestedClaims => {
                return self
                    .inner_claims(token, &defects)
                    .map(|claims| Verdict::accepted(Value::Object(claims)));
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
            Flaw::ReducesEcdsaScalars => {
                let alg: Option<Alg> = label.parse().ok();
                alg.filter(|a| matches!(a, Alg::ES256 | Alg::ES384 | Alg::ES512))
                    .is_some_and(|alg| {
                        let curve = forge::ecdsa_sig::Curve::of(alg);
                        signature.len() == 2 * curve.scalar_len
                            && self.trusted().any(|k| {
                                forge::verify(alg, k, input.as_bytes(), &curve.reduce(&signature))
                            })
                    })
                    && only(&[RejectKind::Signature])
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

    /// A JWE of `claims` to rsa-2048-a (RSA-OAEP, A256GCM), zipped if `zip`.
    fn jwe_to_rsa(claims: &Value, zip: bool) -> String {
        use jwt_conformance::forge::jwe::{ContentEncryption, JweBuilder, KeyManagement, ZipMode};
        JweBuilder::new(KeyManagement::RsaOaep, ContentEncryption::A256Gcm)
            .zip(if zip { ZipMode::Deflate } else { ZipMode::AsIs })
            .encrypt_compact(claims.to_string().as_bytes(), keys::private("rsa-2048-a"))
            .unwrap()
    }

    fn rsa_pair_verifier(flaw: Flaw) -> Box<dyn Verifier> {
        let policy = Policy::new(
            keys::key_pair_set(&["rsa-2048-a"]),
            vec![Alg::RS256],
            Some(NOW),
        );
        FlawedAdapter::strict(flaw).prepare(&policy).unwrap()
    }

    #[test]
    fn decrypting_a_jwe_hands_back_its_plaintext_claims() {
        let claims = json!({"sub": "attacker", "exp": NOW + 60});
        let token = jwe_to_rsa(&claims, false);
        assert!(!accepted(&rsa_pair_verifier(Flaw::None).verify(&token)));
        assert_eq!(
            rsa_pair_verifier(Flaw::DecryptsJwe).verify(&token),
            Verdict::accepted(claims.clone())
        );
        let jws = forge::jwt(Alg::RS256, "rsa-2048-a", &claims);
        assert!(accepted(&rsa_pair_verifier(Flaw::DecryptsJwe).verify(&jws)));
        // Without the private part there is nothing to decrypt with.
        let public = Policy::new(
            keys::public_set(&["rsa-2048-a"]),
            vec![Alg::RS256],
            Some(NOW),
        );
        let verifier = FlawedAdapter::strict(Flaw::DecryptsJwe)
            .prepare(&public)
            .unwrap();
        assert!(!accepted(&verifier.verify(&token)));
    }

    #[test]
    fn trusting_nested_claims_returns_the_unverified_inner_payload() {
        let inner_claims = json!({"sub": "attacker", "exp": NOW + 60});
        let inner = format!(
            "{}.",
            forge::signing_input(br#"{"alg":"none"}"#, inner_claims.to_string().as_bytes())
        );
        let nested = forge::sign_bytes(
            br#"{"alg":"HS256","cty":"JWT"}"#,
            inner.as_bytes(),
            Alg::HS256,
            keys::private("oct-a"),
        )
        .unwrap();
        assert!(!accepted(&verify(Flaw::None, Choice::Strict, &nested)));
        assert_eq!(
            verify(Flaw::TrustsNestedClaims, Choice::Strict, &nested),
            Verdict::accepted(inner_claims)
        );
        // The outer signature is still checked.
        let forged = format!("{}AAAA", &nested[..nested.len() - 4]);
        assert!(!accepted(&verify(
            Flaw::TrustsNestedClaims,
            Choice::Strict,
            &forged
        )));
    }

    #[test]
    fn inflating_without_a_limit_reports_what_it_allocated() {
        let claims = json!({"sub": "s", "exp": NOW + 60, "pad": " ".repeat(3 << 20)});
        let token = jwe_to_rsa(&claims, true);
        let verifier = rsa_pair_verifier(Flaw::InflatesWithoutLimit);
        assert!(!accepted(&verifier.verify(&token)));
        let used = verifier.memory().expect("the inflation is reported");
        assert!(used.growth_kib >= 3 * 1024, "{used:?}");
        let jws = forge::jwt(Alg::RS256, "rsa-2048-a", &json!({"exp": NOW + 60}));
        assert!(accepted(&verifier.verify(&jws)));
        assert_eq!(verifier.memory(), None);
        assert_eq!(rsa_pair_verifier(Flaw::None).memory(), None);
    }

    #[test]
    fn reducing_ecdsa_scalars_accepts_a_scalar_plus_the_order_and_nothing_forged() {
        use jwt_conformance::forge::ecdsa_sig::Curve;
        let policy = Policy::new(
            keys::public_set(&["ec-p521-a"]),
            vec![Alg::ES512],
            Some(NOW),
        );
        let verify = |flaw, token: &str| {
            FlawedAdapter::strict(flaw)
                .prepare(&policy)
                .unwrap()
                .verify(token)
        };
        let valid = forge::jwt(Alg::ES512, "ec-p521-a", &json!({"exp": NOW + 60}));
        let (input, sig) = valid.rsplit_once('.').unwrap();
        let sig = base64url::decode(sig, Choice::Strict).unwrap();
        let curve = Curve::of(Alg::ES512);
        let (r, s) = curve.halves(&sig);
        let r_plus_n = curve.raw(&curve.plus_order(r), s);
        let tampered = format!("{input}.{}", base64url::encode(&r_plus_n));
        assert!(!accepted(&verify(Flaw::None, &tampered)));
        assert!(accepted(&verify(Flaw::ReducesEcdsaScalars, &tampered)));
        assert!(accepted(&verify(Flaw::ReducesEcdsaScalars, &valid)));
        let mut forged = sig.clone();
        forged[10] ^= 1;
        let forged = format!("{input}.{}", base64url::encode(&forged));
        assert!(!accepted(&verify(Flaw::ReducesEcdsaScalars, &forged)));
    }

    #[test]
    #[should_panic(expected = "bad base64")]
    fn the_panicking_flaw_panics() {
        verify(Flaw::PanicsOnBadBase64, Choice::Strict, "e30.e30.A*");
    }
}
