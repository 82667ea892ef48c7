//! `alg-confusion/*`: HS256/384/512 tokens MACed with the verifier's own public key,
//! written in each form a library might hold it in (PEM, DER, certificate, OpenSSH line,
//! JWK JSON, raw bytes). A verifier that lets the token's `alg` pick HMAC and then uses
//! whatever key material it holds as the secret accepts a token anyone can make.
//!
//! RFC 7515 4.1.1: "The JWS Signature value is not valid if the "alg" value does not
//! represent a supported algorithm or if there is not a key for use with that algorithm
//! associated with the party that digitally signed or MACed the content." No trusted key
//! is an HMAC (`oct`) key, so no token here has a valid signature: each is a forgery
//! anyone can make from public data, and accepting it is an `rfc` failure. RFC 8725 3.1
//! says the same twice ("each key MUST be used with exactly one algorithm", and no
//! algorithm the caller did not allow). Where the policy allows the HS algorithm too, the
//! rejection is `key`; where it allows only the key's own algorithm, it is `algorithm`.
//! Every token carries valid claims and the trusted key's `kid`.
//!
//! Libraries that refuse a PEM public key as an HMAC secret recognise it by its text;
//! the same key with leading whitespace or CRLF line endings, as configuration files
//! and database columns hand it over, slipped past such a check (CVE-2026-34950, after
//! CVE-2023-48223). Those spellings are MACed here as they would be held.

use crate::alg::Alg;
use crate::case::{Case, Severity};
use crate::catalogue::common::{policy, valid_claims};
use crate::context::Context;
use crate::forge::draft::{header_with_alg, Draft};
use crate::forge::key_encodings::{encode, KeyEncoding};
use crate::forge::{self, hmac, keys};
use crate::verdict::RejectKind;
use serde_json::{json, Value};

/// The trusted asymmetric keys, their algorithm, and their name in case ids and titles.
const KEYS: [(&str, Alg, &str, &str); 4] = [
    ("rsa-2048-a", Alg::RS256, "rsa", "RSA"),
    ("ec-p256-a", Alg::ES256, "p256", "P-256"),
    ("ec-p384-a", Alg::ES384, "p384", "P-384"),
    ("ed25519-a", Alg::EdDSA, "ed25519", "Ed25519"),
];

const REFS: [&str; 5] = [
    "RFC8725#section-2.1",
    "RFC8725#section-3.1",
    "CVE-2015-9235",
    "CVE-2016-10555",
    "CVE-2017-11424",
];

/// OpenSSH key lines fooled PyJWT and python-jose after PEM had been blocked.
const OPENSSH_REFS: [&str; 2] = ["CVE-2022-29217", "CVE-2024-33663"];

/// One confusion token: which key, which encoding of it as the secret, which HS
/// algorithm, and whether the policy allows that algorithm.
struct Confusion {
    key: &'static str,
    key_alg: Alg,
    key_slug: &'static str,
    key_type: &'static str,
    encoding: KeyEncoding,
    hs: Alg,
    hs_allowed: bool,
}

/// The `alg-confusion` cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let claims = valid_claims(ctx);
    // One control per trusted key: every case on that key shares it.
    let controls: Vec<(&str, String)> = KEYS
        .iter()
        .map(|&(key, alg, _, _)| (key, forge::jwt(alg, key, &claims)))
        .collect();
    let mut out: Vec<Case> = confusions()
        .iter()
        .map(|c| {
            let control = controls
                .iter()
                .find(|(key, _)| *key == c.key)
                .map(|(_, t)| t);
            build(ctx, c, &claims, control.expect("every key has a control"))
        })
        .collect();
    out.extend(whitespace(ctx, &claims, &controls[0].1));
    out
}

/// Every confusion, in case order.
fn confusions() -> Vec<Confusion> {
    let mut all = Vec::new();
    for (key, key_alg, key_slug, key_type) in KEYS {
        let jwk = keys::public(key);
        let confusion = |encoding, hs, hs_allowed| Confusion {
            key,
            key_alg,
            key_slug,
            key_type,
            encoding,
            hs,
            hs_allowed,
        };
        // Every encoding, with HS256 allowed beside the key's own algorithm.
        for encoding in KeyEncoding::ALL.into_iter().filter(|e| e.applies_to(&jwk)) {
            all.push(confusion(encoding, Alg::HS256, true));
        }
        // The other HMAC hashes, with the most common encoding.
        for hs in [Alg::HS384, Alg::HS512] {
            all.push(confusion(KeyEncoding::PemSpki, hs, true));
        }
        // HS256 outside the allowlist: every RSA encoding (the classic case), PEM for
        // the others.
        for encoding in KeyEncoding::ALL.into_iter().filter(|e| e.applies_to(&jwk)) {
            if key_alg == Alg::RS256 || encoding == KeyEncoding::PemSpki {
                all.push(confusion(encoding, Alg::HS256, false));
            }
        }
    }
    all
}

/// The RSA key's PEM as a configuration might hold it: with leading whitespace, or with
/// CRLF line endings.
fn whitespace_variants() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let spki = String::from_utf8(encode("rsa-2048-a", KeyEncoding::PemSpki).expect("PEM"))
        .expect("PEM is text");
    let pkcs1 = String::from_utf8(encode("rsa-2048-a", KeyEncoding::PemPkcs1).expect("PEM"))
        .expect("PEM is text");
    vec![
        (
            "pem-spki-leading-newline",
            "the PEM `PUBLIC KEY` text after a line feed",
            format!("\n{spki}").into_bytes(),
        ),
        (
            "pem-spki-leading-space",
            "the PEM `PUBLIC KEY` text after a space",
            format!(" {spki}").into_bytes(),
        ),
        (
            "pem-spki-leading-tab",
            "the PEM `PUBLIC KEY` text after a tab",
            format!("\t{spki}").into_bytes(),
        ),
        (
            "pem-spki-crlf",
            "the PEM `PUBLIC KEY` text with CR LF line endings",
            spki.replace('\n', "\r\n").into_bytes(),
        ),
        (
            "pem-pkcs1-leading-newline",
            "the PEM `RSA PUBLIC KEY` (PKCS#1) text after a line feed",
            format!("\n{pkcs1}").into_bytes(),
        ),
    ]
}

/// HS256 MACed with the trusted RSA key's PEM in a spelling a key-type check keyed on
/// the text misses; HS256 and RS256 both allowed.
#[track_caller]
fn whitespace(ctx: &Context, claims: &Value, control: &str) -> Vec<Case> {
    let key = "rsa-2048-a";
    let draft = Draft::json(&header_with_alg(Some(json!("HS256")), key), claims);
    whitespace_variants()
        .into_iter()
        .map(|(slug, what, secret)| {
            Case::builder(
                format!("alg-confusion/hs256-rsa-{slug}"),
                format!("HS256 MACed with the trusted RSA key's PEM, {slug}, is rejected"),
            )
            .severity(Severity::Critical)
            .refs(["RFC8725#section-3.1", "CVE-2026-34950", "CVE-2023-48223"])
            .sends(format!(
                "header alg HS256, kid {key}, valid claims; the MAC's secret is {what} of the \
                 verifier's trusted RS256 key ({} bytes); the verifier allows RS256 and HS256",
                secret.len()
            ))
            .requirement(
                "RFC 7515 4.1.1: \"The JWS Signature value is not valid if the \"alg\" value does \
                 not represent a supported algorithm or if there is not a key for use with that \
                 algorithm associated with the party that digitally signed or MACed the \
                 content.\" HS256 needs a shared secret (kty oct, RFC 7518 3.2) and the only \
                 trusted key is an RSA public key, however its text is spaced: there is no key \
                 for HS256, the signature is not valid and the JWT MUST be rejected (RFC 7519 \
                 7.2), `rfc`. RFC 8725 3.1: \"each key MUST be used with exactly one algorithm, \
                 and this MUST be checked when the cryptographic operation is performed\"",
            )
            .rfc("RFC7515#section-4.1.1")
            .token(draft.with_signature(&hmac(Alg::HS256, &secret, draft.input().as_bytes())))
            .policy(policy(ctx, &[Alg::RS256, Alg::HS256], &[key]))
            .expect_reject(RejectKind::Key)
            .needs_algorithms(&[Alg::RS256, Alg::HS256])
            .control(control)
            .build()
        })
        .collect()
}

#[track_caller]
fn build(ctx: &Context, c: &Confusion, claims: &Value, control: &str) -> Case {
    let jwk = keys::public(c.key);
    let secret =
        encode(c.key, c.encoding).unwrap_or_else(|e| panic!("{} as {:?}: {e}", c.key, c.encoding));
    let draft = Draft::json(&header_with_alg(Some(json!(c.hs.as_str())), c.key), claims);
    let mac = hmac(c.hs, &secret, draft.input().as_bytes());
    let (algs, suffix, expected, requirement) = if c.hs_allowed {
        (
            vec![c.key_alg, c.hs],
            String::new(),
            RejectKind::Key,
            format!(
                "RFC 7515 4.1.1: \"The JWS Signature value is not valid if the \"alg\" value \
                 does not represent a supported algorithm or if there is not a key for use with \
                 that algorithm associated with the party that digitally signed or MACed the \
                 content.\" {} needs a shared secret (kty oct, RFC 7518 3.2) and the only \
                 trusted key with kid {} is a public key (kty {}): there is no key for {}, the \
                 signature is not valid and the JWT MUST be rejected (RFC 7519 7.2), `rfc`. RFC \
                 8725 3.1 agrees: \"each key MUST be used with exactly one algorithm, and this \
                 MUST be checked when the cryptographic operation is performed\"",
                c.hs, c.key, jwk.kty, c.hs
            ),
        )
    } else {
        (
            vec![c.key_alg],
            format!("-{}-only", c.key_alg.slug()),
            RejectKind::Algorithm,
            format!(
                "RFC 8725 3.1: \"Libraries MUST enable the caller to specify a supported set of \
                 algorithms and MUST NOT use any other algorithms when performing cryptographic \
                 operations\"; the policy allows only {}, hence the `algorithm` rejection. The \
                 level is `rfc` all the same: RFC 7515 4.1.1, \"The JWS Signature value is not \
                 valid if … there is not a key for use with that algorithm\", and no trusted \
                 key is one for {}, so the token is a forgery whatever the policy allows, and \
                 RFC 7519 7.2 says the JWT MUST be rejected",
                c.key_alg, c.hs
            ),
        )
    };
    let mut refs: Vec<&str> = REFS.to_vec();
    if c.encoding == KeyEncoding::OpenSsh {
        refs.extend(OPENSSH_REFS);
    }
    let mut needs = vec![c.key_alg];
    if c.hs_allowed {
        needs.push(c.hs);
    }
    Case::builder(
        format!(
            "alg-confusion/{}-{}-{}{suffix}",
            c.hs.slug(),
            c.key_slug,
            c.encoding.slug()
        ),
        format!(
            "{} MACed with the trusted {} key's {} is rejected ({})",
            c.hs,
            c.key_type,
            c.encoding.label(),
            if c.hs_allowed {
                format!("{} also allowed", c.hs)
            } else {
                format!("only {} allowed", c.key_alg)
            }
        ),
    )
    .severity(Severity::Critical)
    .refs(refs)
    .sends(format!(
        "header alg {}, kid {}, valid claims; the MAC's secret is {} of the verifier's trusted \
         {} key {} ({} bytes); the verifier allows {}",
        c.hs,
        c.key,
        c.encoding.describe(&jwk),
        c.key_alg,
        c.key,
        secret.len(),
        algs.iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>()
            .join(" and ")
    ))
    .requirement(requirement)
    .rfc("RFC7515#section-4.1.1")
    .token(draft.with_signature(&mac))
    .policy(policy(ctx, &algs, &[c.key]))
    .expect_reject(expected)
    .needs_algorithms(&needs)
    .control(control)
    .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forge::check::{
        assert_same_claims_as_control, header_of, input_of, listed, signature_of,
    };

    /// Whether `token`'s MAC verifies as `alg` under an HMAC key holding exactly
    /// `secret`: what a confused verifier computes.
    fn mac_verifies_with(token: &str, alg: Alg, secret: &[u8]) -> bool {
        let key = crate::jwk::Jwk {
            kty: "oct".into(),
            k: Some(crate::b64::encode(secret)),
            ..Default::default()
        };
        forge::verify(alg, &key, input_of(token).as_bytes(), &signature_of(token))
    }

    #[test]
    fn every_token_is_a_working_forgery_for_a_confused_verifier() {
        let all = listed(cases, 30 + 8 + 12 + 5);
        for (case, c) in all.iter().zip(confusions()) {
            let secret = encode(c.key, c.encoding).unwrap();
            assert!(mac_verifies_with(&case.token, c.hs, &secret), "{}", case.id);
            // No other form of the same key would have verified it.
            for other in KeyEncoding::ALL.into_iter().filter(|e| *e != c.encoding) {
                if let Ok(other_secret) = encode(c.key, other) {
                    assert!(
                        !mac_verifies_with(&case.token, c.hs, &other_secret),
                        "{}",
                        case.id
                    );
                }
            }
            assert!(
                case.policy.keys.keys.iter().all(|k| k.kty != "oct"),
                "{}",
                case.id
            );
        }
    }

    #[test]
    fn whitespace_variants_forge_for_a_verifier_holding_those_bytes_only() {
        let all = cases(&Context::listing());
        let canonical: Vec<Vec<u8>> = KeyEncoding::ALL
            .into_iter()
            .filter_map(|e| encode("rsa-2048-a", e).ok())
            .collect();
        for (slug, _, secret) in whitespace_variants() {
            let case = all
                .iter()
                .find(|c| c.id == format!("alg-confusion/hs256-rsa-{slug}"))
                .expect("case");
            assert!(
                mac_verifies_with(&case.token, Alg::HS256, &secret),
                "{slug}"
            );
            for other in &canonical {
                assert!(!mac_verifies_with(&case.token, Alg::HS256, other), "{slug}");
            }
            let trimmed = String::from_utf8(secret)
                .unwrap()
                .trim()
                .replace("\r\n", "\n");
            assert!(trimmed.starts_with("-----BEGIN"), "{slug}");
        }
    }

    #[test]
    fn tokens_differ_from_their_control_only_in_alg_and_mac() {
        for case in cases(&Context::listing()) {
            let control = case.control_token().unwrap();
            let mut header = header_of(&case.token);
            let control_header = header_of(control);
            assert!(
                header["alg"].as_str().unwrap().starts_with("HS"),
                "{}",
                case.id
            );
            header["alg"] = control_header["alg"].clone();
            assert_eq!(header, control_header, "{}", case.id);
        }
        assert_same_claims_as_control(&cases(&Context::listing()));
    }
}
