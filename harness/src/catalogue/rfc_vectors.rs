//! RFC test vectors, loaded from the data crate's strict vector files.

use crate::alg::Alg;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::valid_claims;
use crate::context::{Context, MARGIN};
use crate::forge::{self, keys};
use crate::policy::Policy;
use crate::verdict::RejectKind;
use serde::Deserialize;
use serde_json::Value;
use std::fmt;

/// The vectors' own time, the `now` their accept cases are checked at: before their
/// `exp` (1300819380, 2011-03-22T18:43:00Z).
pub const RFC_NOW: i64 = 1_300_819_000;

/// One vector file, exactly as stored (unknown fields are an error).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VectorFile {
    /// Stable id, `class/name`, lower-case.
    pub id: String,
    /// One-line title.
    pub title: String,
    /// Sources: the RFC sections the vector comes from.
    pub refs: Vec<String>,
    /// Key fixture name, or `None` for unsecured vectors.
    pub key: Option<String>,
    /// The `alg` in the protected header.
    pub alg: String,
    /// The compact token.
    pub token: String,
    /// `accept` or `reject`: what RFC 7515 says of the signature.
    pub expected: ExpectedLabel,
    /// Whether the payload is a JSON object (absent means yes).
    #[serde(default = "yes")]
    pub payload_is_json: bool,
}

fn yes() -> bool {
    true
}

/// What RFC 7515 says of a vector's signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExpectedLabel {
    /// The signature is valid.
    Accept,
    /// The token must be rejected.
    Reject,
}

/// A vector file that cannot be used, naming the file and the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VectorError {
    /// The vector file.
    pub file: String,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for VectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

impl std::error::Error for VectorError {}

/// Parses one vector file; every problem is an error naming the file.
pub fn parse(file: &str, text: &str) -> Result<VectorFile, VectorError> {
    let fail = |message: String| VectorError {
        file: file.to_string(),
        message,
    };
    let v: VectorFile = serde_json::from_str(text).map_err(|e| fail(format!("{e}")))?;
    if !v.id.contains('/') || v.id != v.id.to_lowercase() {
        return Err(fail(format!("id {:?} must be lower-case class/name", v.id)));
    }
    if v.token.split('.').count() != 3 {
        return Err(fail(
            "token must be a compact JWS with three segments".into(),
        ));
    }
    if v.alg != "none" && v.alg.parse::<Alg>().is_err() {
        return Err(fail(format!("unknown alg {:?}", v.alg)));
    }
    if let Some(key) = &v.key {
        if jwt_conformance_vectors::key(key).is_none() {
            return Err(fail(format!("no key fixture named {key:?}")));
        }
    }
    Ok(v)
}

/// Every vector in the data crate. The files are part of the build, so a bad one is a
/// defect of the suite and is caught by this crate's tests.
pub fn all() -> Vec<VectorFile> {
    jwt_conformance_vectors::RFC_VECTORS
        .iter()
        .map(|(file, text)| parse(file, text).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// Whether the vector's signature is exactly what the forge computes or accepts.
pub fn signature_checks(v: &VectorFile) -> bool {
    let (input, sig) = match v.token.rsplit_once('.') {
        Some(parts) => parts,
        None => return false,
    };
    let sig = match crate::b64::decode(sig) {
        Ok(s) => s,
        Err(_) => return false,
    };
    match (v.alg.parse::<Alg>(), &v.key) {
        (Ok(alg), Some(key)) => forge::verify(alg, &keys::public(key), input.as_bytes(), &sig),
        _ => sig.is_empty(),
    }
}

/// The cases of the vectors whose id starts with `prefix`: for each vector, its own
/// case, and for a signed vector with an `exp`, its `-expired` twin.
///
/// Every id means one thing under any clock. A vector's own id is checked at the
/// vector's time ([`RFC_NOW`], so it needs an injectable clock and is skipped under a
/// system clock); its twin `<id>-expired` is checked at the suite's time, when the
/// vector's 2011 `exp` has long passed, so it is an expiry case under either clock.
pub fn cases_with_prefix(ctx: &Context, prefix: &str) -> Vec<Case> {
    all()
        .into_iter()
        .filter(|v| v.id.starts_with(prefix))
        .flat_map(|v| to_cases(ctx, &v))
        .collect()
}

/// RFC 7519 section 7.2, the sentence that makes every failed step a rejection.
const MUST_REJECT: &str = "RFC 7519 7.2: \"If any of the listed steps fail, then the JWT MUST \
     be rejected -- that is, treated by the application as an invalid input.\"";

fn to_cases(ctx: &Context, v: &VectorFile) -> Vec<Case> {
    match (v.expected, claims_of(v)) {
        (ExpectedLabel::Reject, _) => vec![unsecured(ctx, v)],
        (ExpectedLabel::Accept, None) => vec![not_a_claims_set(ctx, v)],
        (ExpectedLabel::Accept, Some(claims)) => {
            let mut out = vec![at_its_time(v, &claims)];
            if let Some(exp) = claims.get("exp").and_then(Value::as_i64) {
                out.push(expired(ctx, v, exp));
            }
            out
        }
    }
}

/// The vector's payload as a JSON object, if it is one.
fn claims_of(v: &VectorFile) -> Option<Value> {
    forge::decode(&v.token)
        .payload
        .ok()
        .and_then(|p| serde_json::from_slice(&p).ok())
        .filter(Value::is_object)
}

/// The vector's signing algorithm, if `alg` names one.
fn alg_of(v: &VectorFile) -> Option<Alg> {
    v.alg.parse::<Alg>().ok()
}

/// The vector's key and algorithm under `now`; an unsecured vector is checked against a
/// verifier that trusts an ordinary HMAC key for HS256: `none` must be refused whatever
/// else is allowed.
fn policy(v: &VectorFile, now: Option<i64>) -> Policy {
    match (&v.key, alg_of(v)) {
        (Some(key), Some(alg)) => Policy::new(keys::public_set(&[key.as_str()]), vec![alg], now),
        _ => Policy::new(keys::public_set(&[UNSECURED_KEY]), vec![Alg::HS256], now),
    }
}

/// The key an unsecured vector's verifier trusts, and its control is signed with.
const UNSECURED_KEY: &str = "oct-a";

/// A decoded segment of the vector, which the data crate's tests show decodes.
fn segment(v: &VectorFile, index: usize) -> Vec<u8> {
    let part = v.token.split('.').nth(index).unwrap_or_default();
    crate::b64::decode(part).unwrap_or_else(|e| panic!("{}: segment {index}: {e}", v.id))
}

/// The vector's payload, still valid at `now`: verbatim while its `exp` is ahead of
/// `now`, else with only the digits of `exp` replaced by `now + MARGIN`.
fn payload_valid_at(v: &VectorFile, now: i64) -> Vec<u8> {
    let payload = segment(v, 1);
    let exp = claims_of(v).and_then(|c| c.get("exp").and_then(Value::as_i64));
    match exp {
        Some(exp) if exp <= now => with_exp(&payload, exp, now + MARGIN),
        _ => payload,
    }
}

/// `payload` with the member `"exp":old` rewritten as `"exp":new`, every other byte
/// unchanged; re-serialised with the new `exp` if the member is spelt otherwise.
fn with_exp(payload: &[u8], old: i64, new: i64) -> Vec<u8> {
    let text = String::from_utf8_lossy(payload);
    let member = format!("\"exp\":{old}");
    if text.contains(&member) {
        return text
            .replacen(&member, &format!("\"exp\":{new}"), 1)
            .into_bytes();
    }
    let mut claims: Value = serde_json::from_slice(payload).unwrap_or_default();
    claims["exp"] = Value::from(new);
    claims.to_string().into_bytes()
}

/// A token over exact header and payload bytes, signed by the fixture `key` with `alg`.
fn signed(header: &[u8], payload: &[u8], alg: Alg, key: &str) -> String {
    forge::sign_bytes(header, payload, alg, keys::private(key))
        .unwrap_or_else(|e| panic!("fixture key {key} cannot sign {alg}: {e}"))
}

/// The vector's id, title, refs (with `also`) and the algorithm it needs.
#[track_caller]
fn vector_case(v: &VectorFile, id: String, title: String, also: &[&str]) -> CaseBuilder {
    let mut refs = v.refs.clone();
    refs.extend(also.iter().map(|r| r.to_string()));
    Case::builder(id, title)
        .refs(refs)
        .needs_algorithms(&alg_of(v).into_iter().collect::<Vec<_>>())
}

/// The vector verbatim at its own time: a valid JWT, accepted with its claims.
fn at_its_time(v: &VectorFile, claims: &Value) -> Case {
    vector_case(
        v,
        v.id.clone(),
        v.title.clone(),
        &["RFC7515#section-5.2", "RFC7519#section-4.1.4"],
    )
    .severity(Severity::Low)
    .sends(format!(
        "the RFC's {} example verbatim, checked at the vector's own time ({RFC_NOW}, \
             before its exp) under the RFC's key",
        v.alg
    ))
    .requirement(format!(
        "RFC 7515 5.2 step 8: \"Validate the JWS Signature against the JWS Signing Input \
             … in the manner defined for the algorithm being used\", and the RFC's signature \
             validates under the RFC's key; RFC 7519 4.1.4: \"the current date/time MUST be \
             before the expiration date/time listed in the exp claim\", which holds at the \
             vector's time. The token passes every step of RFC 7519 7.2, none of which \
             leaves a choice here (`rfc`): it is the RFC's own valid JWT, to be accepted \
             with its claims unchanged. The exact time needs an injectable clock; with the \
             system clock the vector has expired, which {}-expired checks.",
        v.id
    ))
    .rfc("RFC7519#section-7.2")
    .token(v.token.clone())
    .policy(policy(v, Some(RFC_NOW)))
    .expect_accept(claims)
    .needs_injectable_clock()
    .build()
}
/// The vector verbatim at the suite's time, long after its 2011 `exp`: expired under
/// any clock. The control is the same header and claims with `exp` ahead, signed by the
/// vector's key.
fn expired(ctx: &Context, v: &VectorFile, exp: i64) -> Case {
    let (Some(key), Some(alg)) = (&v.key, alg_of(v)) else {
        unreachable!("{}: a signed vector has a key and an algorithm", v.id)
    };
    vector_case(
        v,
        format!("{}-expired", v.id),
        format!("{} is rejected once its exp has passed", v.title),
        &["RFC7519#section-7.2"],
    )
    .severity(Severity::High)
    .sends(format!(
        "the RFC's {} example verbatim, correctly signed by the RFC's key, checked at the \
         current time: its exp ({exp}, 2011-03-22T18:43:00Z) is long past",
        v.alg
    ))
    .requirement(format!(
        "RFC 7519 4.1.4: the exp claim \"identifies the expiration time on or after which the \
         JWT MUST NOT be accepted for processing\"; \"the current date/time MUST be before \
         the expiration date/time listed in the exp claim\". A MUST NOT of RFC 7519 (`rfc`), \
         whatever the clock: the current time is years after exp. {MUST_REJECT}"
    ))
    .rfc("RFC7519#section-4.1.4")
    .token(v.token.clone())
    .policy(policy(v, ctx.policy_now()))
    .expect_reject(RejectKind::Expired)
    .control(signed(
        &segment(v, 0),
        &payload_valid_at(v, ctx.now),
        alg,
        key,
    ))
    .build()
}

/// An unsecured vector: `alg` none, refused whatever the time. With an injectable clock
/// it is checked at the vector's time, so that `none` is its only defect; with the
/// system clock it has expired too, and the expected rejection is still `algorithm`.
fn unsecured(ctx: &Context, v: &VectorFile) -> Case {
    let now = if ctx.injectable() { RFC_NOW } else { ctx.now };
    let header = String::from_utf8_lossy(&segment(v, 0)).replacen(
        &format!("\"alg\":\"{}\"", v.alg),
        "\"alg\":\"HS256\"",
        1,
    );
    vector_case(
        v,
        v.id.clone(),
        v.title.clone(),
        &["RFC7518#section-3.6", "RFC8725#section-3.2"],
    )
    .severity(Severity::Critical)
    .sends(format!(
        "the RFC's example with alg {:?} and an empty signature; the verifier trusts {UNSECURED_KEY} \
         for HS256 only",
        v.alg
    ))
    .requirement(
        "RFC 7518 3.6: \"Implementations that support Unsecured JWSs MUST NOT accept such \
         objects as valid unless the application specifies that it is acceptable for a \
         specific object to not be integrity protected. Implementations MUST NOT accept \
         Unsecured JWSs by default.\" No policy of this suite allows `none`, so a MUST NOT of \
         RFC 7518 (`rfc`); the answer does not depend on the clock, so one id serves both",
    )
    .rfc("RFC7518#section-3.6")
    .token(v.token.clone())
    .policy(policy(v, ctx.injectable().then_some(RFC_NOW)))
    .expect_reject(RejectKind::Algorithm)
    .control(signed(
        header.as_bytes(),
        &payload_valid_at(v, now),
        Alg::HS256,
        UNSECURED_KEY,
    ))
    .build()
}

/// A correctly signed vector whose payload is not a JSON object: a valid JWS, but not a
/// JWT. The control is the vector's header over an ordinary claims set, signed by the
/// vector's key.
fn not_a_claims_set(ctx: &Context, v: &VectorFile) -> Case {
    let (Some(key), Some(alg)) = (&v.key, alg_of(v)) else {
        unreachable!("{}: a signed vector has a key and an algorithm", v.id)
    };
    let claims = valid_claims(ctx);
    vector_case(v, v.id.clone(), v.title.clone(), &[])
        .severity(Severity::Low)
        .sends(format!(
            "the RFC's {} example, correctly signed by the RFC's key, whose payload is not a \
             JSON object",
            v.alg
        ))
        .requirement(format!(
            "RFC 7519 7.2 step 10: \"Verify that the resulting octet sequence is a \
             UTF-8-encoded representation of a completely valid JSON object conforming to RFC \
             7159 [RFC7159]; let the JWT Claims Set be this JSON object.\" A correctly signed \
             JWS with another payload is not a valid JWT; the step fails, and the rejection \
             is a MUST of RFC 7519 (`rfc`). {MUST_REJECT}"
        ))
        .rfc("RFC7519#section-7.2")
        .token(v.token.clone())
        .policy(policy(v, ctx.policy_now()))
        .expect_reject(RejectKind::Malformed)
        .control(signed(
            &segment(v, 0),
            claims.to_string().as_bytes(),
            alg,
            key,
        ))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Expected;
    use crate::forge::check::{header_of, payload_of};

    /// Whether `token` is signed by the policy's one key with an allowed `alg` and its
    /// `exp` is ahead of the policy's time (the vectors name no `kid`).
    fn valid_under(token: &str, policy: &Policy) -> bool {
        let alg = header_of(token)["alg"]
            .as_str()
            .and_then(|a| a.parse::<Alg>().ok());
        let (input, sig) = token.rsplit_once('.').unwrap();
        let sig = crate::b64::decode(sig).unwrap();
        let now = policy.now.unwrap_or_else(crate::context::system_now);
        alg.is_some_and(|alg| {
            policy.algorithms.contains(&alg)
                && forge::verify(alg, &policy.keys.keys[0], input.as_bytes(), &sig)
        }) && payload_of(token)["exp"]
            .as_i64()
            .is_some_and(|exp| now < exp)
    }

    #[test]
    fn every_vector_parses_and_its_signature_checks() {
        let all = all();
        assert!(
            all.len() >= 8,
            "expected the eight RFC vectors, got {}",
            all.len()
        );
        for v in &all {
            assert!(signature_checks(v), "{}: signature does not check", v.id);
        }
    }

    #[test]
    fn a_tampered_vector_fails_the_signature_check() {
        let mut v = all().into_iter().find(|v| v.key.is_some()).unwrap();
        v.token = v.token.replacen("eyJ", "eyK", 1);
        assert!(!signature_checks(&v));
    }

    fn system_clock() -> Context {
        Context {
            clock: crate::Clock::System,
            now: crate::context::system_now(),
            ..Context::listing()
        }
    }

    fn every_case(ctx: &Context) -> Vec<Case> {
        ["rfc7515/", "rfc7519/", "rfc8037/"]
            .into_iter()
            .flat_map(|prefix| cases_with_prefix(ctx, prefix))
            .collect()
    }

    #[test]
    fn each_signed_vector_with_claims_has_an_expired_twin() {
        let ids: Vec<String> = every_case(&Context::listing())
            .into_iter()
            .map(|c| c.id)
            .collect();
        for id in [
            "rfc7515/a.1-hs256",
            "rfc7515/a.2-rs256",
            "rfc7515/a.3-es256",
            "rfc7519/3.1-hs256",
        ] {
            assert!(ids.contains(&id.to_string()), "missing {id}");
            assert!(
                ids.contains(&format!("{id}-expired")),
                "missing {id}-expired"
            );
        }
        for id in [
            "rfc7515/a.4-es512",
            "rfc7515/a.5-unsecured",
            "rfc7519/6.1-unsecured",
            "rfc8037/a.4-eddsa",
        ] {
            assert!(ids.contains(&id.to_string()), "missing {id}");
            assert!(
                !ids.contains(&format!("{id}-expired")),
                "{id} needs no twin"
            );
        }
    }

    #[test]
    fn every_id_means_the_same_under_either_clock() {
        let injected = every_case(&Context::listing());
        let system = every_case(&system_clock());
        assert_eq!(injected.len(), system.len());
        for (a, b) in injected.iter().zip(&system) {
            assert_eq!(a.id, b.id);
            let kind = |c: &Case| match &c.expected {
                Expected::Reject { kind } => format!("reject {kind}"),
                other => other.label().to_string(),
            };
            assert_eq!(kind(a), kind(b), "{}", a.id);
            assert_eq!((a.level, &a.basis), (b.level, &b.basis), "{}", a.id);
            assert_eq!(a.needs, b.needs, "{}", a.id);
            assert_eq!(a.token, b.token, "{}: the vector is sent verbatim", a.id);
        }
    }

    #[test]
    fn a_vector_is_accepted_at_its_own_time_only_with_an_injectable_clock() {
        for case in every_case(&system_clock()) {
            if matches!(case.expected, Expected::Accept { .. }) {
                assert!(case.needs.injectable_clock, "{}", case.id);
                assert_eq!(case.policy.now, Some(RFC_NOW), "{}", case.id);
            } else {
                assert!(!case.needs.injectable_clock, "{}", case.id);
                assert_eq!(case.policy.now, None, "{}", case.id);
            }
        }
    }

    #[test]
    fn controls_are_valid_and_differ_from_the_vector_only_in_what_is_attacked() {
        for ctx in [Context::listing(), system_clock()] {
            let all = every_case(&ctx);
            let rejects: Vec<Case> = all
                .iter()
                .filter(|c| !matches!(c.expected, Expected::Accept { .. }))
                .cloned()
                .collect();
            for case in &rejects {
                let control = case.control_token().unwrap();
                assert!(valid_under(control, &case.policy), "{}: control", case.id);
                if case.id.ends_with("-expired") {
                    let (vector, control) = (payload_of(&case.token), payload_of(control));
                    assert_eq!(
                        header_of(&case.token),
                        header_of(case.control_token().unwrap())
                    );
                    assert!(
                        control["exp"].as_i64() > vector["exp"].as_i64(),
                        "{}",
                        case.id
                    );
                    let mut vector = vector.clone();
                    vector["exp"] = control["exp"].clone();
                    assert_eq!(vector, control, "{}: only exp differs", case.id);
                }
            }
        }
        let all = every_case(&Context::listing());
        let expired = all
            .iter()
            .find(|c| c.id == "rfc7515/a.1-hs256-expired")
            .unwrap();
        let payload =
            String::from_utf8(segment_bytes(expired.control_token().unwrap(), 1)).unwrap();
        assert!(
            payload.starts_with("{\"iss\":\"joe\",\r\n \"exp\":"),
            "the vector's bytes, but for exp: {payload:?}"
        );
    }

    fn segment_bytes(token: &str, index: usize) -> Vec<u8> {
        crate::b64::decode(token.split('.').nth(index).unwrap()).unwrap()
    }

    #[test]
    fn bad_vector_files_get_errors_naming_the_file() {
        let e = parse("x.json", "{").unwrap_err();
        assert!(e.to_string().starts_with("x.json: "));
        let unknown = r#"{"id":"a/b","title":"t","refs":[],"key":null,"alg":"none","token":"a.b.","expected":"reject","extra":1}"#;
        assert!(parse("y.json", unknown)
            .unwrap_err()
            .message
            .contains("extra"));
        let bad_key = r#"{"id":"a/b","title":"t","refs":[],"key":"nope","alg":"HS256","token":"a.b.c","expected":"accept"}"#;
        assert!(parse("z.json", bad_key)
            .unwrap_err()
            .message
            .contains("nope"));
    }
}
