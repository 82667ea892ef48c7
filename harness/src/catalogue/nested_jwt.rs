//! `nested-jwt/*`: an outer JWS that a trusted key signed, with `cty: JWT`, around an
//! inner token that is not valid: unsigned, signed by an untrusted key, altered after
//! signing, expired, or for another audience.
//!
//! RFC 7519 section 5.2 names the construction: "In the case that nested signing or
//! encryption is employed, this Header Parameter MUST be present; in this case, the value
//! MUST be "JWT", to indicate that a Nested JWT is carried in this JWT." Section 7.2 step
//! 8 says how a verifier reads it: "If the JOSE Header contains a "cty" (content type)
//! value of "JWT", then the Message is a JWT that was the subject of nested signing or
//! encryption operations. In this case, return to Step 1, using the Message as the JWT."
//! RFC 8725 section 3.3 applies to it by name: "This is true not only of JWTs with a
//! single set of Header Parameters but also for Nested JWTs in which both outer and inner
//! operations MUST be validated using the keys and algorithms supplied by the
//! application." A verifier that checks the outer signature and hands back the inner
//! token's claims has verified nothing about them: whoever can get any payload signed by
//! the issuer (or replay a signed envelope) chooses the claims.
//!
//! Levels: `rfc` reject, whichever way a verifier reads `cty`.
//! - A verifier that processes nesting validates the inner token from step 1 again, and
//!   the inner token fails a MUST: `none` (RFC 7518 section 3.6, "Implementations MUST
//!   NOT accept Unsecured JWSs by default"), a signature no trusted key made (RFC 7515
//!   section 5.2, "at least one JWS Signature value MUST successfully validate, or the
//!   JWS MUST be considered invalid"), an `exp` in the past (RFC 7519 section 4.1.4) or
//!   an audience that is not the verifier's (section 4.1.3). "If any of the listed steps
//!   fail, then the JWT MUST be rejected" (section 7.2).
//! - A verifier that does not process nesting cannot take the Message for claims either:
//!   steps 9 and 10 base64url-decode it "following the restriction that no line breaks,
//!   whitespace, or other additional characters have been used" and want "a completely
//!   valid JSON object", and the Message is a compact JWT whose periods are no base64url.
//!   The strict reference is such a verifier: it refuses `cty: JWT` as `malformed`.
//!
//! Why no case is `either`: a rejection is right for every token here. An acceptance
//! could only hand back the inner token's claims (the outer payload is a compact JWT, not
//! a JSON object, so "accepted with the outer payload" is no acceptance at all), and the
//! inner claims are unverified by construction. The one nested token where either answer
//! would be conformant, a valid inner token inside a valid outer one, needs an acceptance
//! checked against the inner claims, which the scoring of `either` (the signed claims of
//! the token's own payload) cannot express; it is left out rather than scored wrongly.
//!
//! Every control is a plain JWS of the inner token's claims made valid, signed by the
//! trusted key under the same policy: what a valid outer claim set would say.

use crate::alg::Alg;
use crate::case::{Case, Severity};
use crate::catalogue::common::{claims_with, default_header, policy_for, signed, valid_claims};
use crate::context::{Context, MARGIN};
use crate::forge::{self, keys};
use crate::policy::Policy;
use crate::verdict::RejectKind;
use serde_json::Value;

const REFS: [&str; 5] = [
    "RFC7519#section-5.2",
    "RFC7519#section-7.2",
    "RFC8725#section-3.3",
    "RFC8725#section-2.3",
    "draft-ietf-oauth-rfc8725bis#validate-crypto",
];

/// What makes every case `rfc`, whether or not the verifier processes nesting.
const NESTED_REQ: &str = "RFC 7519 7.2 step 8: \"If the JOSE Header contains a \"cty\" \
    (content type) value of \"JWT\", then the Message is a JWT that was the subject of nested \
    signing or encryption operations. In this case, return to Step 1, using the Message as \
    the JWT.\" RFC 8725 3.3: \"for Nested JWTs in which both outer and inner operations MUST \
    be validated using the keys and algorithms supplied by the application.\" A verifier that \
    does not process nesting cannot read the Message as claims either (steps 9 and 10 want \
    base64url of \"a completely valid JSON object\", and it is a compact JWT); one that does \
    validates the inner token, which fails as said next. \"If any of the listed steps fail, \
    then the JWT MUST be rejected\" (RFC 7519 7.2): rfc either way";

/// The audience of the case that sends another one.
const AUDIENCE: &str = "https://api.example/orders";

/// What is wrong with the inner token.
#[derive(Clone, Copy)]
enum Inner {
    /// `alg: none`, an empty signature.
    Unsigned,
    /// Signed by oct-b (or rsa-2048-b) under the trusted key's `kid`.
    UntrustedKey,
    /// Signed by the trusted key, then its claims changed.
    Tampered,
    /// Signed by the trusted key; `exp` is past.
    Expired,
    /// Signed by the trusted key; `aud` names another recipient.
    OtherAudience,
}

impl Inner {
    fn name(self) -> &'static str {
        match self {
            Inner::Unsigned => "inner-unsigned",
            Inner::UntrustedKey => "inner-untrusted-key",
            Inner::Tampered => "inner-tampered",
            Inner::Expired => "inner-expired",
            Inner::OtherAudience => "inner-other-audience",
        }
    }

    fn what(self) -> &'static str {
        match self {
            Inner::Unsigned => "an unsigned inner JWT (alg none, empty signature)",
            Inner::UntrustedKey => "an inner JWT signed by a key the verifier does not trust",
            Inner::Tampered => {
                "an inner JWT whose claims were changed after the trusted key signed it"
            }
            Inner::Expired => "an expired inner JWT signed by the trusted key",
            Inner::OtherAudience => "an inner JWT for another audience, signed by the trusted key",
        }
    }

    /// The MUST the inner token breaks, for a verifier that validates it.
    fn rule(self) -> &'static str {
        match self {
            Inner::Unsigned => "RFC 7518 3.6: \"Implementations MUST NOT accept Unsecured JWSs by default\"",
            Inner::UntrustedKey | Inner::Tampered => "RFC 7515 5.2: \"at least one JWS Signature value MUST successfully validate, or the JWS MUST be considered invalid\"",
            Inner::Expired => "RFC 7519 4.1.4: the \"exp\" claim \"identifies the expiration time on or after which the JWT MUST NOT be accepted for processing\"",
            Inner::OtherAudience => "RFC 7519 4.1.3: \"If the principal processing the claim does not identify itself with a value in the \"aud\" claim when this claim is present, then the JWT MUST be rejected\"",
        }
    }

    fn severity(self) -> Severity {
        match self {
            Inner::Unsigned | Inner::UntrustedKey | Inner::Tampered => Severity::Critical,
            Inner::Expired | Inner::OtherAudience => Severity::High,
        }
    }
}

/// The nested-jwt cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let mut out: Vec<Case> = [
        Inner::Unsigned,
        Inner::UntrustedKey,
        Inner::Tampered,
        Inner::Expired,
        Inner::OtherAudience,
    ]
    .into_iter()
    .map(|inner| build(ctx, Alg::HS256, inner))
    .collect();
    out.push(build(ctx, Alg::RS256, Inner::Unsigned));
    out.push(build(ctx, Alg::RS256, Inner::UntrustedKey));
    out
}

/// The claims an attacker wants: another subject, administrator rights.
fn forged_claims(ctx: &Context) -> Value {
    let mut claims = valid_claims(ctx);
    claims["sub"] = "attacker".into();
    claims["admin"] = true.into();
    claims
}

/// The inner token, and the claims its control carries (the inner claims made valid).
fn inner_token(ctx: &Context, alg: Alg, inner: Inner) -> (String, Value) {
    let trusted = keys::default_key_name(alg);
    let header = default_header(alg);
    let forged = forged_claims(ctx);
    match inner {
        Inner::Unsigned => {
            let mut header = header;
            header["alg"] = "none".into();
            let input =
                forge::signing_input(header.to_string().as_bytes(), forged.to_string().as_bytes());
            (format!("{input}."), forged)
        }
        Inner::UntrustedKey => {
            let token = forge::sign_json(
                &header,
                &forged,
                alg,
                keys::private(keys::second_key_name(alg)),
            )
            .unwrap_or_else(|e| panic!("the second {alg} fixture signs: {e}"));
            (token, forged)
        }
        Inner::Tampered => {
            let honest = valid_claims(ctx);
            let signed = signed(alg, &honest);
            let signature = signed.rsplit_once('.').expect("a compact JWS").1;
            let input =
                forge::signing_input(header.to_string().as_bytes(), forged.to_string().as_bytes());
            (format!("{input}.{signature}"), forged)
        }
        Inner::Expired => {
            let expired = claims_with(ctx, "exp", ctx.now - MARGIN);
            let token = forge::jwt(alg, trusted, &expired);
            (token, valid_claims(ctx))
        }
        Inner::OtherAudience => {
            let other = claims_with(ctx, "aud", "https://other.example");
            let token = forge::jwt(alg, trusted, &other);
            (token, claims_with(ctx, "aud", AUDIENCE))
        }
    }
}

/// One case: the outer JWS by `alg`'s trusted key, `cty: JWT`, around the `inner` token.
#[track_caller]
fn build(ctx: &Context, alg: Alg, inner: Inner) -> Case {
    let trusted = keys::default_key_name(alg);
    let (inner_jwt, control_claims) = inner_token(ctx, alg, inner);
    let mut outer_header = default_header(alg);
    outer_header["cty"] = "JWT".into();
    let token = forge::sign_bytes(
        outer_header.to_string().as_bytes(),
        inner_jwt.as_bytes(),
        alg,
        keys::private(trusted),
    )
    .unwrap_or_else(|e| panic!("{trusted} signs {alg}: {e}"));
    let mut policy: Policy = policy_for(ctx, alg);
    if let Inner::OtherAudience = inner {
        policy.audience = vec![AUDIENCE.to_string()];
    }
    let prefix = match alg {
        Alg::HS256 => String::new(),
        other => format!("{}-", other.slug()),
    };
    Case::builder(
        format!("nested-jwt/{prefix}{}", inner.name()),
        format!(
            "A {alg} JWS with cty JWT around {} is rejected",
            inner.what()
        ),
    )
    .severity(inner.severity())
    .refs(REFS)
    .sends(format!(
        "an outer {alg} JWS signed by the trusted key {trusted}, cty \"JWT\", whose payload is {}",
        inner.what()
    ))
    .requirement(format!(
        "{NESTED_REQ}. The inner token breaks {}",
        inner.rule()
    ))
    .rfc("RFC7519#section-7.2")
    .token(token)
    .policy(policy)
    .expect_reject(RejectKind::Malformed)
    .needs_algorithms(&[alg])
    .control(forge::jwt(alg, trusted, &control_claims))
    .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::common::testing::case_by_id;
    use crate::forge::check::{header_of, valid_under};

    fn all() -> Vec<Case> {
        cases(&Context::listing())
    }

    #[test]
    fn the_outer_token_is_valid_and_only_the_inner_one_is_not() {
        let cases = all();
        assert_eq!(cases.len(), 7);
        for case in &cases {
            let alg = case.policy.algorithms[0];
            assert_eq!(header_of(&case.token)["cty"], "JWT", "{}", case.id);
            let (input, sig) = case.token.rsplit_once('.').unwrap();
            let key = keys::public(keys::default_key_name(alg));
            assert!(
                forge::verify(
                    alg,
                    &key,
                    input.as_bytes(),
                    &crate::b64::decode(sig).unwrap()
                ),
                "{}: the outer signature verifies",
                case.id
            );
            let inner = String::from_utf8(forge::decode(&case.token).payload.unwrap()).unwrap();
            assert_eq!(inner.split('.').count(), 3, "{}", case.id);
            // valid_under does not look at `aud`: that case is checked below.
            if !case.id.ends_with("other-audience") {
                assert!(
                    !valid_under(&inner, &case.policy),
                    "{}: the inner token is invalid",
                    case.id
                );
            }
        }
        // The outer token is signed and its payload no claims set, so only the controls
        // go through the usual check.
        for case in &cases {
            assert!(
                valid_under(case.control_token().unwrap(), &case.policy),
                "{}",
                case.id
            );
        }
        let tampered = case_by_id(&cases, "nested-jwt/inner-tampered");
        let inner = String::from_utf8(forge::decode(&tampered.token).payload.unwrap()).unwrap();
        assert_eq!(crate::forge::check::payload_of(&inner)["sub"], "attacker");
        let audience = case_by_id(&cases, "nested-jwt/inner-other-audience");
        assert_eq!(audience.policy.audience, vec![AUDIENCE.to_string()]);
        let inner = String::from_utf8(forge::decode(&audience.token).payload.unwrap()).unwrap();
        assert!(valid_under(&inner, &audience.policy));
        assert_eq!(
            crate::forge::check::payload_of(&inner)["aud"],
            "https://other.example"
        );
    }
}
