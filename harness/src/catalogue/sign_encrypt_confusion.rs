//! `sign-encrypt-confusion/*`: a JWE carrying forged claims, handed to a verifier that
//! takes signed JWTs, made with the verifier's own key.
//!
//! A service that signs and verifies JWTs with one key pair, or one HMAC secret, holds
//! the key material a JWE needs too. A library whose one `decode` call accepts a JWS or
//! a JWE and reports both as "valid" lets anyone encrypt a claims set of their choosing
//! to the service's public key and have it accepted as if the issuer had signed it
//! (CVE-2023-51774 in json-jwt; CVE-2022-3102 in jwcrypto; Tervoort, "Three New Attacks
//! Against JSON Web Tokens", 2023). The update of RFC 8725 names the threat
//! (draft-ietf-oauth-rfc8725bis, "Incorrect Use and Composition of Encryption and
//! Signature"): "verifiers don't always check that the
//! received JWT is a JWS (a signed JWT) as opposed to a JWE (a JWT with encrypted
//! structure). This can result in vulnerabilities when the verifier's library does not
//! distinguish between successful decryption and successful signature validation", and
//! answers it in "Validate All Cryptographic Operations": "Libraries MUST allow the verifier to distinguish between
//! signed JWTs (JWSes) and encrypted JWTs (JWEs)."
//!
//! Every token here is a genuine JWE that decrypts, with the verifier's key, to claims
//! an attacker chose (another `sub`, `admin`, a fresh `exp`); its positive control is the
//! same claims set signed as a JWS by the same key under the same policy. The policy
//! holds the key pair (or the secret) without a `use`, so only the verifier's telling a
//! JWE from a JWS stands between the token and acceptance.
//!
//! Levels:
//! - Encrypted to the verifier's public key (`RSA-OAEP`, `RSA-OAEP-256`, `ECDH-ES`,
//!   `ECDH-ES+A128KW`, with `typ: JWT` too): `rfc`. The policy is that of an application
//!   taking signed JWTs (its algorithms are signature algorithms), and for a JWS "at least
//!   one JWS Signature value MUST successfully validate, or the JWS MUST be considered
//!   invalid" (RFC 7515 section 5.2). The token has no JWS Signature; its authentication
//!   tag is keyed by a CEK that whoever made it chose and wrapped with a public key, so
//!   anyone can make it: accepting it is accepting an unsigned token, and RFC 7519
//!   section 11.1 says why: "The contents of a JWT cannot be relied upon in a trust
//!   decision unless its contents have been cryptographically secured and bound to the
//!   context necessary for the trust decision."
//! - Under the verifier's HMAC secret (`dir`, `A256KW`, `PBES2-*`): `bcp`. Only a holder
//!   of the secret can make such a token, so it is no forgery by an outsider; what it
//!   breaks is RFC 8725 section 3.1: "Libraries MUST enable the caller to specify a
//!   supported set of algorithms and MUST NOT use any other algorithms when performing
//!   cryptographic operations" and "each key MUST be used with exactly one algorithm, and
//!   this MUST be checked when the cryptographic operation is performed". The policy
//!   states the set and the key's one algorithm. A 128-bit or 192-bit key (`A128KW`,
//!   `A192KW`, `dir` with `A128GCM` or `A192GCM`) is not a usable HMAC secret (RFC 7518
//!   section 3.2: "A key of the same size as the hash output (for instance, 256 bits for
//!   "HS256") or larger MUST be used with this algorithm"), so no HMAC policy can hold
//!   one; `A128KW` is covered by `ECDH-ES+A128KW` and `PBES2-HS256+A128KW`.
//! - A JWE with `cty: JWT` around a JWS signed by an attacker's key: `rfc` whether or not
//!   the verifier decrypts. RFC 7519 section 7.2 step 8 makes the inner JWS the JWT to
//!   validate, whose signature no trusted key made, and "If any of the listed steps fail,
//!   then the JWT MUST be rejected".
//!
//! The strict reference verifies JWSs only: it refuses five segments as `malformed`.

use crate::alg::Alg;
use crate::b64;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::{key_pair_policy, valid_claims};
use crate::context::Context;
use crate::forge::jwe::{usual_header, ContentEncryption, JweBuilder, KeyManagement};
use crate::forge::{self, keys};
use crate::verdict::RejectKind;
use serde_json::Value;

/// The threat and the answer, in the words of the update of RFC 8725.
const DRAFT: &str = "draft-ietf-oauth-rfc8725bis, Incorrect Use and Composition of \
    Encryption and Signature: \"verifiers don't always check that \
    the received JWT is a JWS (a signed JWT) as opposed to a JWE (a JWT with encrypted \
    structure). This can result in vulnerabilities when the verifier's library does not \
    distinguish between successful decryption and successful signature validation\"; Validate \
    All Cryptographic Operations: \"Libraries MUST allow the verifier to distinguish between signed JWTs (JWSes) and \
    encrypted JWTs (JWEs).\"";

/// Why a JWE made with a public key is `rfc`.
const PUBLIC_KEY_REQ: &str = "RFC 7519 7.2 step 6 tells a JWE from a JWS (five segments, RFC \
    7516 9). The policy is that of an application taking signed JWTs: it trusts the key to \
    verify signatures with the allowed algorithm only, and for a JWS \"at least one JWS \
    Signature value MUST successfully validate, or the JWS MUST be considered invalid\" (RFC \
    7515 5.2). This token has no JWS Signature: its authentication tag is keyed by a CEK its \
    maker chose and wrapped with the verifier's public key, which anyone can do, so accepting \
    it accepts an unsigned token (rfc). RFC 7519 11.1: \"The contents of a JWT cannot be \
    relied upon in a trust decision unless its contents have been cryptographically secured \
    and bound to the context necessary for the trust decision.\" RFC 8725 3.1 forbids the \
    decryption itself: \"MUST NOT use any other algorithms when performing cryptographic \
    operations\"";

/// Why a JWE made with the HMAC secret is `bcp`.
const SECRET_REQ: &str = "RFC 8725 3.1: \"Libraries MUST enable the caller to specify a \
    supported set of algorithms and MUST NOT use any other algorithms when performing \
    cryptographic operations\", and \"each key MUST be used with exactly one algorithm, and \
    this MUST be checked when the cryptographic operation is performed.\" The policy allows \
    one HMAC algorithm with this secret; decrypting with the secret uses another algorithm \
    and a second one for the key (bcp). Only a holder of the secret can make this token, so \
    it is no outsider's forgery, which is why the level is not rfc";

/// Why a JWE around an attacker's JWS is `rfc` for any verifier.
const NESTED_REQ: &str = "RFC 7519 7.2 step 8: \"If the JOSE Header contains a \"cty\" \
    (content type) value of \"JWT\", then the Message is a JWT that was the subject of nested \
    signing or encryption operations. In this case, return to Step 1, using the Message as \
    the JWT.\" The inner JWT is a JWS that no trusted key signed, so its validation fails, and \
    \"If any of the listed steps fail, then the JWT MUST be rejected\" (rfc), whether or not \
    the verifier decrypts the outer JWE. RFC 8725 3.3: \"for Nested JWTs in which both outer \
    and inner operations MUST be validated using the keys and algorithms supplied by the \
    application\"";

/// The references of every case.
const REFS: [&str; 7] = [
    "RFC7519#section-7.2",
    "RFC7516#section-9",
    "RFC7519#section-11.1",
    "RFC8725#section-3.1",
    "draft-ietf-oauth-rfc8725bis#validate-crypto",
    "CVE-2023-51774",
    "CVE-2022-3102",
];

/// A verifier's signing key, and what the JWE makes of it.
#[derive(Clone, Copy)]
struct Target {
    /// The policy's one algorithm.
    alg: Alg,
    /// The key fixture the policy holds (with its private part).
    key: &'static str,
}

const RSA: Target = Target {
    alg: Alg::RS256,
    key: "rsa-2048-a",
};
const EC: Target = Target {
    alg: Alg::ES256,
    key: "ec-p256-a",
};
/// An HS256 secret of 32 octets: also a `dir` key for A256GCM or A128CBC-HS256, and an
/// A256KW key.
const OCT_256: Target = Target {
    alg: Alg::HS256,
    key: "oct-256",
};
/// An HS384 secret of 48 octets: also a `dir` key for A192CBC-HS384.
const OCT_384: Target = Target {
    alg: Alg::HS384,
    key: "oct-384",
};
/// The usual HS256 secret, 64 octets: also a `dir` key for A256CBC-HS512, and a PBES2
/// password.
const OCT_512: Target = Target {
    alg: Alg::HS256,
    key: "oct-a",
};

/// The sign-encrypt-confusion cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let mut out = Vec::new();
    for alg in [KeyManagement::RsaOaep, KeyManagement::RsaOaep256] {
        for enc in ContentEncryption::ALL {
            out.push(public_key(ctx, RSA, alg, enc, None));
        }
    }
    for alg in [KeyManagement::EcdhEs, KeyManagement::EcdhEsA128Kw] {
        for enc in ContentEncryption::ALL {
            out.push(public_key(ctx, EC, alg, enc, None));
        }
    }
    for (target, enc) in [
        (OCT_256, ContentEncryption::A128CbcHs256),
        (OCT_256, ContentEncryption::A256Gcm),
        (OCT_384, ContentEncryption::A192CbcHs384),
        (OCT_512, ContentEncryption::A256CbcHs512),
    ] {
        out.push(secret(ctx, target, KeyManagement::Dir, enc));
    }
    for enc in ContentEncryption::ALL {
        out.push(secret(ctx, OCT_256, KeyManagement::A256Kw, enc));
    }
    for (alg, enc) in [
        (KeyManagement::Pbes2Hs256A128Kw, ContentEncryption::A128Gcm),
        (KeyManagement::Pbes2Hs384A192Kw, ContentEncryption::A192Gcm),
        (KeyManagement::Pbes2Hs512A256Kw, ContentEncryption::A256Gcm),
    ] {
        out.push(secret(ctx, OCT_512, alg, enc));
    }
    out.push(public_key(
        ctx,
        RSA,
        KeyManagement::RsaOaep,
        ContentEncryption::A256Gcm,
        Some("JWT"),
    ));
    out.push(public_key(
        ctx,
        EC,
        KeyManagement::EcdhEs,
        ContentEncryption::A256Gcm,
        Some("JWT"),
    ));
    out.push(nested(
        ctx,
        RSA,
        "rsa-2048-b",
        KeyManagement::RsaOaep256,
        ContentEncryption::A256Gcm,
    ));
    out.push(nested(
        ctx,
        EC,
        "ec-p256-b",
        KeyManagement::EcdhEsA128Kw,
        ContentEncryption::A128Gcm,
    ));
    out.push(nested_unsecured(
        ctx,
        RSA,
        KeyManagement::RsaOaep256,
        ContentEncryption::A256Gcm,
    ));
    out
}

/// The claims an attacker wants accepted: another subject, administrator rights, a fresh
/// expiry.
fn forged_claims(ctx: &Context) -> Value {
    let mut claims = valid_claims(ctx);
    claims["sub"] = "attacker".into();
    claims["admin"] = true.into();
    claims
}

/// `alg` and `enc` as a case name: `rsa-oaep-256-a256gcm`, `ecdh-es-a128kw-a128gcm`.
fn slug(alg: KeyManagement, enc: ContentEncryption) -> String {
    format!("{alg}-{enc}").to_lowercase().replace('+', "-")
}

/// The JWE: `header` (the usual one when `None`), `plaintext`, made with `target`'s key.
fn encrypt(
    target: Target,
    alg: KeyManagement,
    enc: ContentEncryption,
    header: Option<Value>,
    plaintext: &[u8],
) -> String {
    let key = keys::private(target.key);
    let builder = JweBuilder::new(alg, enc);
    let builder = match header {
        Some(header) => builder.header_json(header),
        None => builder,
    };
    builder
        .encrypt_compact(plaintext, key)
        .unwrap_or_else(|e| panic!("{alg} {enc} with {}: {e}", target.key))
}

/// A JWE of the forged claims to `target`'s public key; with `typ` in its header if given.
#[track_caller]
fn public_key(
    ctx: &Context,
    target: Target,
    alg: KeyManagement,
    enc: ContentEncryption,
    typ: Option<&str>,
) -> Case {
    let claims = forged_claims(ctx);
    let key = keys::private(target.key);
    let (name, header, shown) = match typ {
        None => (slug(alg, enc), None, String::new()),
        Some(typ) => {
            let mut header = usual_header(alg, enc, key);
            header["typ"] = typ.into();
            (
                format!("{}-typ-{}", slug(alg, enc), typ.to_lowercase()),
                Some(header),
                format!(", typ {typ:?}"),
            )
        }
    };
    let token = encrypt(target, alg, enc, header, claims.to_string().as_bytes());
    let title = format!(
        "A JWE ({alg}, {enc}{shown}) encrypted to the verifier's {} public key is not a signed JWT",
        target.alg
    );
    case(ctx, target, &name, title, &claims)
        .severity(Severity::Critical)
        .sends(format!(
            "a JWE, alg {alg}, enc {enc}{shown}, kid {}, encrypted to the public key the verifier \
             trusts for {}; its plaintext is a claims set with sub \"attacker\" and admin true",
            target.key, target.alg
        ))
        .requirement(format!("{PUBLIC_KEY_REQ}. {DRAFT}"))
        .rfc("RFC7515#section-5.2")
        .token(token)
        .build()
}

/// A JWE of the forged claims under `target`'s HMAC secret.
#[track_caller]
fn secret(ctx: &Context, target: Target, alg: KeyManagement, enc: ContentEncryption) -> Case {
    let claims = forged_claims(ctx);
    let token = encrypt(target, alg, enc, None, claims.to_string().as_bytes());
    let role = if alg.is_pbes2() {
        "as the PBES2 password"
    } else {
        "as the key"
    };
    let title = format!(
        "A JWE ({alg}, {enc}) made with the verifier's {} secret is not a signed JWT",
        target.alg
    );
    case(ctx, target, &slug(alg, enc), title, &claims)
        .severity(Severity::High)
        .sends(format!(
            "a JWE, alg {alg}, enc {enc}, kid {}, made with the {}-octet secret the verifier \
             trusts for {} {role}; its plaintext is a claims set with sub \"attacker\" and admin \
             true",
            target.key,
            keys::private(target.key)
                .hmac_secret()
                .map_or(0, |k| k.len()),
            target.alg
        ))
        .requirement(format!("{SECRET_REQ}. {DRAFT}"))
        .bcp("RFC8725#section-3.1")
        .token(token)
        .build()
}

/// A JWE with `cty: JWT` to `target`'s public key around a JWS of the forged claims
/// signed by `attacker` (with the trusted key's `kid`).
#[track_caller]
fn nested(
    ctx: &Context,
    target: Target,
    attacker: &str,
    alg: KeyManagement,
    enc: ContentEncryption,
) -> Case {
    let claims = forged_claims(ctx);
    let inner_header = forge::header_for(target.alg, keys::private(target.key));
    let inner = forge::sign_json(&inner_header, &claims, target.alg, keys::private(attacker))
        .unwrap_or_else(|e| panic!("{attacker} signs {}: {e}", target.alg));
    let mut header = usual_header(alg, enc, keys::private(target.key));
    header["cty"] = "JWT".into();
    let token = encrypt(target, alg, enc, Some(header), inner.as_bytes());
    case(
        ctx,
        target,
        &format!("{}-cty-jwt-attacker-jws", slug(alg, enc)),
        format!("A JWE ({alg}, cty JWT) around a JWS signed by an attacker's key is rejected"),
        &claims,
    )
    .severity(Severity::Critical)
    .sends(format!(
        "a JWE, alg {alg}, enc {enc}, cty \"JWT\", encrypted to the public key the verifier \
         trusts for {}; its plaintext is a {} JWS of a claims set with sub \"attacker\", \
         signed by {attacker} under kid {}",
        target.alg, target.alg, target.key
    ))
    .requirement(format!("{NESTED_REQ}. {DRAFT}"))
    .rfc("RFC7519#section-7.2")
    .token(token)
    .build()
}

/// A JWE with `cty: JWT` to `target`'s public key around an Unsecured JWT (`alg: none`,
/// RFC 7519 section 6) of the forged claims: the token pac4j's JwtAuthenticator took
/// for verified because it decrypted (CVE-2026-29000).
#[track_caller]
fn nested_unsecured(
    ctx: &Context,
    target: Target,
    alg: KeyManagement,
    enc: ContentEncryption,
) -> Case {
    let claims = forged_claims(ctx);
    let inner = format!(
        "{}.{}.",
        b64::encode(r#"{"alg":"none"}"#),
        b64::encode(claims.to_string())
    );
    let mut header = usual_header(alg, enc, keys::private(target.key));
    header["cty"] = "JWT".into();
    let token = encrypt(target, alg, enc, Some(header), inner.as_bytes());
    let mut refs: Vec<&str> = REFS.to_vec();
    refs.extend(["RFC7519#section-6", "CVE-2026-29000"]);
    case(
        ctx,
        target,
        &format!("{}-cty-jwt-unsecured", slug(alg, enc)),
        format!("A JWE ({alg}, cty JWT) around an Unsecured JWT (alg none) is rejected"),
        &claims,
    )
    .refs(refs)
    .severity(Severity::Critical)
    .sends(format!(
        "a JWE, alg {alg}, enc {enc}, cty \"JWT\", encrypted to the public key the verifier \
         trusts for {}; its plaintext is an Unsecured JWT (header {{\"alg\":\"none\"}}, empty \
         signature) of a claims set with sub \"attacker\"",
        target.alg
    ))
    .requirement(format!("{NESTED_REQ}. {DRAFT}"))
    .rfc("RFC7519#section-7.2")
    .token(token)
    .build()
}

/// A case under `target`'s key-pair policy, expecting the strict reference's rejection
/// of five segments; the control is `claims` signed by the trusted key.
#[track_caller]
fn case(ctx: &Context, target: Target, name: &str, title: String, claims: &Value) -> CaseBuilder {
    Case::builder(format!("sign-encrypt-confusion/{name}"), title)
        .refs(REFS)
        .policy(key_pair_policy(ctx, target.alg, target.key))
        .expect_reject(RejectKind::Malformed)
        .needs_algorithms(&[target.alg])
        .control(forge::jwt(target.alg, target.key, claims))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::common::testing::case_by_id;
    use crate::forge::check::{assert_controls_valid, header_of};
    use crate::forge::jwe::decrypt;

    fn all() -> Vec<Case> {
        cases(&Context::listing())
    }

    #[test]
    fn every_token_decrypts_with_the_trusted_key_to_the_forged_claims() {
        let cases = all();
        assert_eq!(cases.len(), 42);
        for case in &cases {
            assert_eq!(case.token.split('.').count(), 5, "{}", case.id);
            let key = &case.policy.keys.keys[0];
            assert!(key.use_.is_none(), "{}", case.id);
            let plain = decrypt(&case.token, key)
                .unwrap_or_else(|e| panic!("{}: {e}", case.id))
                .plaintext;
            let control = case.control_token().unwrap();
            if case.id.contains("-cty-jwt-") {
                // The plaintext is a JWS of the control's claims that no trusted key signed.
                let inner = String::from_utf8(plain).unwrap();
                assert_eq!(
                    forge::decode(&inner).payload,
                    forge::decode(control).payload,
                    "{}",
                    case.id
                );
                let alg = case.policy.algorithms[0];
                let (input, sig) = inner.rsplit_once('.').unwrap();
                let sig = crate::b64::decode(sig).unwrap();
                assert!(
                    !forge::verify(alg, key, input.as_bytes(), &sig),
                    "{}",
                    case.id
                );
            } else {
                let claims: Value = serde_json::from_slice(&plain).unwrap();
                assert_eq!(claims["sub"], "attacker", "{}", case.id);
                assert_eq!(
                    forge::decode(control).payload.unwrap(),
                    plain,
                    "{}",
                    case.id
                );
            }
        }
        assert_controls_valid(&cases);
    }

    #[test]
    fn headers_name_what_was_done() {
        let cases = all();
        let header = |id: &str| {
            let case = case_by_id(&cases, &format!("sign-encrypt-confusion/{id}"));
            serde_json::from_slice::<Value>(&forge::decode(&case.token).header.unwrap()).unwrap()
        };
        let h = header("rsa-oaep-256-a128cbc-hs256");
        assert_eq!(
            (h["alg"].as_str(), h["enc"].as_str()),
            (Some("RSA-OAEP-256"), Some("A128CBC-HS256"))
        );
        assert_eq!(header("ecdh-es-a128kw-a192gcm")["alg"], "ECDH-ES+A128KW");
        assert!(header("ecdh-es-a256gcm")["epk"].is_object());
        assert_eq!(header("rsa-oaep-a256gcm-typ-jwt")["typ"], "JWT");
        assert_eq!(
            header("rsa-oaep-256-a256gcm-cty-jwt-attacker-jws")["cty"],
            "JWT"
        );
        assert_eq!(header("pbes2-hs512-a256kw-a256gcm")["p2c"], 1000);
        assert_eq!(header("dir-a192cbc-hs384")["kid"], "oct-384");
        // The control is a plain JWS of the trusted key.
        let control = header_of(
            case_by_id(&cases, "sign-encrypt-confusion/a256kw-a128gcm")
                .control_token()
                .unwrap(),
        );
        assert_eq!(
            (control["alg"].as_str(), control["kid"].as_str()),
            (Some("HS256"), Some("oct-256"))
        );
    }
}
