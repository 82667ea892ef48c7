//! RFC test vectors, loaded from the data crate's strict vector files.

use crate::alg::Alg;
use crate::case::{Case, Severity};
use crate::context::Context;
use crate::forge::{self, keys};
use crate::policy::Policy;
use crate::verdict::RejectKind;
use serde::Deserialize;
use serde_json::Value;
use std::fmt;

/// The `now` given to injectable clocks for the RFC vectors: before their `exp`
/// (1300819380, 2011-03-22T18:43:00Z).
pub const RFC_NOW: i64 = 1_300_819_000;

/// One vector file, exactly as stored (unknown fields are an error).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VectorFile {
    pub id: String,
    pub title: String,
    pub refs: Vec<String>,
    /// Key fixture name, or `None` for unsecured vectors.
    pub key: Option<String>,
    /// The `alg` in the protected header.
    pub alg: String,
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExpectedLabel {
    Accept,
    Reject,
}

/// A vector file that cannot be used, naming the file and the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VectorError {
    pub file: String,
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

/// The cases of the vectors whose id starts with `prefix`.
pub fn cases_with_prefix(ctx: &Context, prefix: &str) -> Vec<Case> {
    all()
        .into_iter()
        .filter(|v| v.id.starts_with(prefix))
        .map(|v| to_case(ctx, v))
        .collect()
}

fn to_case(ctx: &Context, v: VectorFile) -> Case {
    let alg = v.alg.parse::<Alg>().ok();
    let algorithms: Vec<Alg> = alg.into_iter().collect();
    // An unsecured vector is checked against a verifier that trusts an ordinary HMAC key
    // for HS256: `none` must be refused whatever else is allowed.
    let (keys, allowed) = match (&v.key, alg) {
        (Some(key), Some(alg)) => (keys::public_set(&[key.as_str()]), vec![alg]),
        _ => (keys::public_set(&["oct-a"]), vec![Alg::HS256]),
    };
    let now = if ctx.injectable() {
        Some(RFC_NOW)
    } else {
        None
    };
    let policy = Policy::new(keys, allowed, now);
    let payload: Option<Value> = forge::decode(&v.token)
        .payload
        .ok()
        .and_then(|p| serde_json::from_slice(&p).ok())
        .filter(Value::is_object);
    let builder = Case::builder(v.id.clone(), v.title.clone())
        .refs(v.refs.clone())
        .token(v.token.clone())
        .policy(policy)
        .needs_algorithms(&algorithms);
    match (v.expected, payload) {
        (ExpectedLabel::Reject, _) => builder
            .severity(Severity::Critical)
            .sends(format!(
                "the RFC's example with alg {:?} and no signature",
                v.alg
            ))
            .requirement(
                "RFC 8725 3.2 and RFC 7518 3.6: a verifier must not accept unsecured JWTs \
                 unless the application asked for them, and no policy here allows `none`",
            )
            .expect_reject(RejectKind::Algorithm)
            .build(),
        (ExpectedLabel::Accept, None) => builder
            .severity(Severity::Low)
            .sends(format!(
                "the RFC's {} example, correctly signed, whose payload is not a JSON object",
                v.alg
            ))
            .requirement(
                "RFC 7519 7.2 step 10: the payload of a JWT must be a UTF-8 JSON object; a \
                 correctly signed JWS with any other payload is not a valid JWT",
            )
            .expect_reject(RejectKind::Malformed)
            .build(),
        (ExpectedLabel::Accept, Some(claims)) if ctx.injectable() => builder
            .severity(Severity::Low)
            .sends(format!(
                "the RFC's {} example verbatim, with the clock set before its exp",
                v.alg
            ))
            .requirement("the RFC's example must verify, and its claims come back unchanged")
            .expect_accept(&claims)
            .build(),
        (ExpectedLabel::Accept, Some(_)) => builder
            .severity(Severity::High)
            .sends(format!(
                "the RFC's {} example verbatim; its exp (2011-03-22) is long past",
                v.alg
            ))
            .requirement(
                "RFC 7519 4.1.4: the current date/time MUST be before exp; with the system \
                 clock the example has expired",
            )
            .expect_reject(RejectKind::Expired)
            .build(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
