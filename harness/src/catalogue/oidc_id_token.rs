//! `oidc-id-token/*`: OpenID Connect ID tokens at the Relying Party (OpenID Connect Core
//! 1.0 incorporating errata set 2, sections 2, 3.1.3.7, 3.2.2.9 and 3.3.2.11), under the
//! [`id_token`](crate::profiles::id_token) preset with a nonce sent.
//!
//! Section 3.1.3.7's MUSTs are `rfc` (the profile's MUSTs): the issuer "MUST exactly
//! match"; "The ID Token MUST be rejected if the ID Token does not list the Client as a
//! valid audience, or if it contains additional audiences not trusted by the Client";
//! "If a nonce value was sent in the Authentication Request, a nonce Claim MUST be
//! present and its value checked"; for MAC algorithms, the client secret "corresponding
//! to the client_id contained in the aud (audience) Claim [is] used as the key". A
//! present `at_hash` must match a bound access token (section 3.2.2.9: "The value of
//! at_hash in the ID Token MUST match the value produced in the previous step"; the
//! policy binding the token asks for that validation).
//!
//! `strict`: `sub` and `iat`, REQUIRED in the token by section 2 but not among the
//! checks of section 3.1.3.7; `azp` ("This validation MAY include that when an azp
//! (authorized party) Claim is present, the Client SHOULD verify that its client_id is
//! the Claim Value"; the rule that several audiences need an `azp` is errata set 1's and
//! was dropped in errata set 2); an absent `at_hash` (REQUIRED only for the flows that
//! return the access token from the Authorization Endpoint, sections 3.2.2.10 and
//! 3.3.2.11).
//!
//! An algorithm other than the registered one: section 3.1.3.7 only says "The alg value
//! SHOULD be the default of RS256 or the algorithm sent by the Client in the
//! id_token_signed_response_alg parameter during Registration"; the preset allows that
//! algorithm alone, and RFC 8725 section 3.1 makes the allow-list binding (`bcp`).
//!
//! A logout token (OpenID Connect Back-Channel Logout 1.0 section 2.4) is signed with the
//! ID tokens' keys. Untyped, it is told from an ID token by the nonce it must not carry
//! ("Its use is prohibited to make a Logout Token syntactically invalid if used in a
//! forged Authentication Response in place of an ID Token"); typed `logout+jwt`, by its
//! type, under RFC 8725 section 3.12 (`bcp`).

use crate::alg::Alg;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::signed_with_header;
use crate::catalogue::rfc9068::{with, without};
use crate::context::{Context, MARGIN};
use crate::forge::{self, keys};
use crate::jwk::{Jwk, JwkSet};
use crate::policy::Policy;
use crate::profiles;
use crate::rules::profiles::token_hash;
use crate::verdict::RejectKind;
use serde_json::{json, Value};

const ALG: Alg = Alg::RS256;
/// The OpenID Provider.
pub const ISSUER: &str = "https://server.example.com";
/// This Relying Party's client_id.
pub const CLIENT_ID: &str = "s6BhdRkqt3";
/// The nonce this Relying Party sent in its Authentication Request.
pub const NONCE: &str = "n-0S6_WzA2Mj";
/// Another audience this Relying Party trusts, for the cases about several audiences.
const TRUSTED: &str = "https://api.example.com";
/// The access token issued with the ID token, for the `at_hash` cases.
const ACCESS_TOKEN: &str = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y";
/// This client's `client_secret` and another client's, for the MAC cases.
const CLIENT_SECRET: &str = "rp-client-secret-7d1f3a9c5e2b8f4a6c0e9d2b";
const OTHER_CLIENT_SECRET: &str = "other-client-secret-3b8e1c7a9f2d5e0b4a6c";

const VALIDATION: &str = "OIDC-Core#section-3.1.3.7";
const AUD_REQ: &str = "OpenID Connect Core 1.0 3.1.3.7: \"The Client MUST validate that the aud \
    (audience) Claim contains its client_id value registered at the Issuer identified by the iss \
    (issuer) Claim as an audience. The aud (audience) Claim MAY contain an array with more than one \
    element. The ID Token MUST be rejected if the ID Token does not list the Client as a valid \
    audience, or if it contains additional audiences not trusted by the Client.\" (rfc)";
const NONCE_REQ: &str = "OpenID Connect Core 1.0 3.1.3.7: \"If a nonce value was sent in the \
    Authentication Request, a nonce Claim MUST be present and its value checked to verify that it \
    is the same value as the one that was sent in the Authentication Request.\" (rfc)";
const AT_HASH_REQ: &str = "OpenID Connect Core 1.0 3.2.2.9 (which 3.1.3.8 and 3.3.2.9 apply to \
    the other flows): hash the access token with the hash of the ID token's alg, \"Take the \
    left-most half of the hash and base64url-encode it\", and \"The value of at_hash in the ID \
    Token MUST match the value produced in the previous step.\" The section opens \"the Client \
    SHOULD do the following\"; the policy binds the access token, asking for the validation, so \
    its MUST applies (rfc)";
const REQUIRED_2: &str = "OpenID Connect Core 1.0 2 lists the claim as REQUIRED in the ID Token, \
    a requirement on the OpenID Provider; section 3.1.3.7, \"Clients MUST validate the ID Token in \
    the Token Response in the following manner\", does not include its presence. Refusing a token \
    without it is hardening (strict)";

/// The ID-token cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let mut out = Vec::new();
    let claims = valid_claims(ctx);
    out.push(
        case(ctx, "valid", "A well-formed ID token is accepted")
            .severity(Severity::Info)
            .sends("iss, sub, aud (the client), exp, iat, auth_time and the nonce sent")
            .rfc(VALIDATION)
            .requirement(format!(
                "{AUD_REQ}; {NONCE_REQ}; every check passes, so the token is accepted"
            ))
            .token(token(&claims))
            .expect_accept(&claims)
            .build(),
    );
    out.push(
        rejects(
            ctx,
            "issuer-mismatch",
            "An ID token from another issuer is rejected",
        )
        .sends(format!(
            "iss \"https://evil.example.com\"; the OpenID Provider is {ISSUER:?}"
        ))
        .rfc(VALIDATION)
        .requirement(
            "OpenID Connect Core 1.0 3.1.3.7: \"The Issuer Identifier for the OpenID Provider \
                    (which is typically obtained during Discovery) MUST exactly match the value of \
                    the iss (issuer) Claim.\" (rfc)",
        )
        .token(token(&with(
            &claims,
            "iss",
            json!("https://evil.example.com"),
        )))
        .expect_reject(RejectKind::Issuer)
        .build(),
    );
    out.push(
        rejects(ctx, "aud-missing", "An ID token without aud is rejected")
            .sends("no aud")
            .rfc(VALIDATION)
            .requirement(format!(
                "{AUD_REQ} An ID token without aud does not list the client; the preset lists aud in \
                    its required claims, so the reject kind is missing-claim"
            ))
            .token(token(&without(&claims, "aud")))
            .expect_reject(RejectKind::MissingClaim)
            .build(),
    );
    out.push(
        rejects(
            ctx,
            "aud-untrusted-extra",
            "An ID token also issued to an untrusted audience is rejected",
        )
        .sends(format!(
            "aud [{CLIENT_ID:?}, \"https://evil.example.com\"], azp {CLIENT_ID:?}; the client \
                    trusts no other audience"
        ))
        .rfc(VALIDATION)
        .requirement(format!(
            "{AUD_REQ} The second audience could replay its copy of the token to this client \
                    (the attack the rule stops); a verifier that only looks for its own client_id \
                    accepts it"
        ))
        .token(token(&with(
            &with(
                &claims,
                "aud",
                json!([CLIENT_ID, "https://evil.example.com"]),
            ),
            "azp",
            json!(CLIENT_ID),
        )))
        .expect_reject(RejectKind::Audience)
        .build(),
    );
    out.push(
        rejects(
            ctx,
            "aud-without-client",
            "An ID token for a trusted audience but not for this client is rejected",
        )
        .sends(format!(
            "aud {TRUSTED:?}, an audience the client trusts, without the client_id {CLIENT_ID:?}"
        ))
        .policy(trusting(ctx))
        .rfc(VALIDATION)
        .requirement(format!(
            "{AUD_REQ} A generic audience check configured with every trusted audience accepts \
                    the token; the client must be listed itself"
        ))
        .token(token(&with(&claims, "aud", json!(TRUSTED))))
        .expect_reject(RejectKind::Audience)
        .build(),
    );
    out.push(
        rejects(ctx, "several-audiences-without-azp", "An ID token with several audiences and no azp is rejected (hardening)")
            .severity(Severity::Low)
            .sends(format!("aud [{CLIENT_ID:?}, {TRUSTED:?}], both trusted, and no azp"))
            .policy(trusting(ctx))
            .strict("OIDC-Core-errata1#section-3.1.3.7")
            .refs([VALIDATION])
            .requirement(
                "OpenID Connect Core 1.0 errata set 1, 3.1.3.7: \"If the ID Token contains multiple \
                    audiences, the Client SHOULD verify that an azp Claim is present.\" Errata set 2 \
                    replaced the step (\"If the implementation is using extensions [...] that result \
                    in the azp (authorized party) Claim being present, it SHOULD validate the azp \
                    value as specified by those extensions\"), so the check is hardening only \
                    (strict)",
            )
            .token(token(&with(&claims, "aud", json!([CLIENT_ID, TRUSTED]))))
            .expect_reject(RejectKind::MissingClaim)
            .build(),
    );
    out.push(
        rejects(ctx, "azp-mismatch", "An ID token authorized to another party is rejected (hardening)")
            .severity(Severity::Medium)
            .sends(format!("azp \"other-client\"; the client is {CLIENT_ID:?}"))
            .strict(VALIDATION)
            .requirement(
                "OpenID Connect Core 1.0 3.1.3.7: \"This validation MAY include that when an azp \
                    (authorized party) Claim is present, the Client SHOULD verify that its client_id \
                    is the Claim Value.\" (strict: a SHOULD within a MAY; section 2 also encourages \
                    implementations not using extensions to ignore azp)",
            )
            .token(token(&with(&claims, "azp", json!("other-client"))))
            .expect_reject(RejectKind::Audience)
            .build(),
    );
    out.push(
        rejects(
            ctx,
            "nonce-missing",
            "An ID token without the nonce that was sent is rejected",
        )
        .sends(format!(
            "no nonce; the Authentication Request sent {NONCE:?}"
        ))
        .rfc(VALIDATION)
        .requirement(NONCE_REQ)
        .token(token(&without(&claims, "nonce")))
        .expect_reject(RejectKind::MissingClaim)
        .build(),
    );
    out.push(
        rejects(
            ctx,
            "nonce-mismatch",
            "An ID token with another nonce is rejected",
        )
        .sends(format!(
            "nonce \"n-replayed\"; the Authentication Request sent {NONCE:?}"
        ))
        .rfc(VALIDATION)
        .requirement(format!(
            "{NONCE_REQ} An ID token minted for another authentication replayed here carries \
                    that authentication's nonce"
        ))
        .token(token(&with(&claims, "nonce", json!("n-replayed"))))
        .expect_reject(RejectKind::Other)
        .build(),
    );
    for claim in ["sub", "iat"] {
        out.push(
            rejects(
                ctx,
                &format!("{claim}-missing"),
                &format!("An ID token without {claim} is rejected (hardening)"),
            )
            .severity(Severity::Low)
            .sends(format!("no {claim}"))
            .strict("OIDC-Core#section-2")
            .refs([VALIDATION])
            .requirement(format!("{claim}: {REQUIRED_2}"))
            .token(token(&without(&claims, claim)))
            .expect_reject(RejectKind::MissingClaim)
            .build(),
        );
    }
    let at_hash = token_hash(ALG.as_str(), ACCESS_TOKEN).unwrap_or_default();
    let with_hash = with(&claims, "at_hash", json!(at_hash));
    out.push(
        case(
            ctx,
            "at-hash-valid",
            "An ID token whose at_hash matches the bound access token is accepted",
        )
        .severity(Severity::Info)
        .sends(format!(
            "at_hash {at_hash:?}, the hash of the bound access token"
        ))
        .policy(binding(ctx))
        .rfc("OIDC-Core#section-3.2.2.9")
        .refs(["OIDC-Core#section-3.3.2.11"])
        .requirement(AT_HASH_REQ)
        .token(token(&with_hash))
        .expect_accept(&with_hash)
        .build(),
    );
    let other_hash = token_hash(ALG.as_str(), "another-access-token").unwrap_or_default();
    out.push(
        rejects(
            ctx,
            "at-hash-mismatch",
            "An ID token whose at_hash is another access token's is rejected",
        )
        .severity(Severity::Medium)
        .sends(format!(
            "at_hash {other_hash:?}, the hash of another access token"
        ))
        .policy(binding(ctx))
        .control(token(&with_hash))
        .rfc("OIDC-Core#section-3.2.2.9")
        .refs(["OIDC-Core#section-3.3.2.11"])
        .requirement(format!(
            "{AT_HASH_REQ}. A token substituted for the one issued with the ID token (OpenID \
                    Connect Core 1.0 16.11) is caught here"
        ))
        .token(token(&with(&claims, "at_hash", json!(other_hash))))
        .expect_reject(RejectKind::Other)
        .build(),
    );
    out.push(
        rejects(ctx, "at-hash-missing", "An ID token without at_hash for a bound access token is rejected (hardening)")
            .severity(Severity::Low)
            .sends("no at_hash, though an access token came with the ID token")
            .policy(binding(ctx))
            .control(token(&with_hash))
            .strict("OIDC-Core#section-3.3.2.11")
            .requirement(
                "OpenID Connect Core 1.0 3.3.2.11: at_hash is REQUIRED \"If the ID Token is issued \
                    from the Authorization Endpoint with an access_token value\"; otherwise its \
                    inclusion is OPTIONAL. The policy does not say which endpoint issued the token, \
                    so refusing its absence is hardening (strict)",
            )
            .token(token(&claims))
            .expect_reject(RejectKind::MissingClaim)
            .build(),
    );
    let es256 = Alg::ES256;
    let es256_key = keys::default_key_name(es256);
    out.push(
        rejects(ctx, "alg-not-registered", "An ID token signed with an algorithm other than the registered one is rejected")
            .sends(
                "alg ES256, signed by a key the OpenID Provider publishes; the client registered RS256",
            )
            .policy(two_keys(ctx))
            .needs_algorithms(&[ALG, es256])
            .bcp("RFC8725#section-3.1")
            .refs([VALIDATION])
            .requirement(
                "OpenID Connect Core 1.0 3.1.3.7: \"The alg value SHOULD be the default of RS256 or \
                    the algorithm sent by the Client in the id_token_signed_response_alg parameter \
                    during Registration.\" The policy allows that algorithm alone, and RFC 8725 3.1 \
                    binds the allow-list: \"libraries MUST enable the caller to specify a supported \
                    set of algorithms and MUST NOT use any other algorithms when performing \
                    cryptographic operations\" (bcp)",
            )
            .token(
                forge::sign_json(
                    &forge::header_for(es256, keys::private(es256_key)),
                    &claims,
                    es256,
                    keys::private(es256_key),
                )
                .unwrap_or_default(),
            )
            .expect_reject(RejectKind::Algorithm)
            .build(),
    );
    out.push(
        case(ctx, "hs256-another-clients-secret", "An HS256 ID token MACed with another client's secret is rejected")
            .severity(Severity::Critical)
            .sends(
                "alg HS256, MACed with another client's client_secret; the client's own secret is \
                    the only key it holds",
            )
            .policy(mac_policy(ctx))
            .control(mac_token(&claims, CLIENT_SECRET))
            .needs_algorithms(&[Alg::HS256])
            .rfc(VALIDATION)
            .requirement(
                "OpenID Connect Core 1.0 3.1.3.7: \"If the JWT alg Header Parameter uses a MAC based \
                    algorithm such as HS256, HS384, or HS512, the octets of the UTF-8 representation \
                    of the client_secret corresponding to the client_id contained in the aud \
                    (audience) Claim are used as the key to validate the signature.\" A MAC under \
                    another key does not validate (rfc): any client holding its own secret could \
                    otherwise mint ID tokens for this one",
            )
            .token(mac_token(&claims, OTHER_CLIENT_SECRET))
            .expect_reject(RejectKind::Signature)
            .build(),
    );
    let logout = logout_claims(ctx);
    out.push(
        rejects(
            ctx,
            "logout-token-untyped",
            "An untyped logout token is not accepted as an ID token",
        )
        .sends(
            "a Back-Channel Logout token (events, sid, jti; no nonce) with typ JWT, signed with \
                    the ID tokens' key; the Authentication Request sent a nonce",
        )
        .refs([
            VALIDATION,
            "OIDC-Backchannel#section-2.4",
            "RFC8725#section-2.8",
        ])
        .rfc(VALIDATION)
        .requirement(format!(
            "{NONCE_REQ} OpenID Connect Back-Channel Logout 1.0 2.4: \"A nonce Claim MUST NOT be \
                    present. Its use is prohibited to make a Logout Token syntactically invalid if \
                    used in a forged Authentication Response in place of an ID Token.\""
        ))
        .token(token(&logout))
        .expect_reject(RejectKind::MissingClaim)
        .build(),
    );
    let no_nonce = without_nonce(ctx);
    out.push(
        case(ctx, "logout-token-typed", "A logout token typed logout+jwt is not accepted as an ID token")
            .severity(Severity::High)
            .sends("a Back-Channel Logout token with typ logout+jwt; no nonce was sent this time")
            .policy(no_nonce)
            .control(token(&without(&claims, "nonce")))
            .refs([VALIDATION, "OIDC-Backchannel#section-2.4", "RFC8725#section-3.11"])
            .bcp("RFC8725#section-3.12")
            .requirement(
                "RFC 8725 3.12: \"If more than one kind of JWT can be issued by the same issuer, the \
                    validation rules for those JWTs MUST be written such that they are mutually \
                    exclusive, rejecting JWTs of the wrong kind.\" OpenID Connect Back-Channel \
                    Logout 1.0 2.4: \"The same keys are used to sign and encrypt Logout Tokens as are \
                    used for ID Tokens\" and \"It is RECOMMENDED that Logout Tokens be explicitly \
                    typed\" with logout+jwt. Without a nonce to miss, the type is what tells the \
                    logout token apart (bcp)",
            )
            .token(signed_with_header(ALG, &header("logout+jwt"), &logout))
            .expect_reject(RejectKind::Type)
            .build(),
    );
    out
}

/// The preset of the class: this client at this OpenID Provider, a nonce sent.
pub fn policy(ctx: &Context) -> Policy {
    let mut policy = profiles::id_token(
        keys::public_set(&[keys::default_key_name(ALG)]),
        vec![ALG],
        ctx.policy_now(),
        ISSUER,
        CLIENT_ID,
    );
    policy.nonce = Some(NONCE.to_string());
    policy
}

/// The preset without a nonce sent.
pub fn without_nonce(ctx: &Context) -> Policy {
    let mut policy = policy(ctx);
    policy.nonce = None;
    policy
}

/// The preset trusting one more audience.
fn trusting(ctx: &Context) -> Policy {
    let mut policy = policy(ctx);
    policy.audience.push(TRUSTED.to_string());
    policy
}

/// The preset with an access token bound.
fn binding(ctx: &Context) -> Policy {
    let mut policy = policy(ctx);
    policy.access_token = Some(ACCESS_TOKEN.to_string());
    policy
}

/// The preset with the OpenID Provider's RSA and P-256 keys; RS256 registered.
fn two_keys(ctx: &Context) -> Policy {
    let mut policy = policy(ctx);
    policy.keys = keys::public_set(&[
        keys::default_key_name(ALG),
        keys::default_key_name(Alg::ES256),
    ]);
    policy
}

/// A symmetric key whose octets are `secret`'s UTF-8 representation.
fn secret_key(secret: &str) -> Jwk {
    Jwk::from_json(&json!({"kty": "oct", "k": crate::b64::encode(secret)}).to_string())
        .unwrap_or_else(|e| panic!("a client secret makes a JWK: {e}"))
}

/// The preset for a client that registered HS256: its own client_secret is the key.
fn mac_policy(ctx: &Context) -> Policy {
    let mut policy = policy(ctx);
    policy.keys = JwkSet::new(vec![secret_key(CLIENT_SECRET)]);
    policy.algorithms = vec![Alg::HS256];
    policy
}

/// An HS256 ID token MACed with `secret`.
fn mac_token(claims: &Value, secret: &str) -> String {
    forge::sign_json(
        &json!({"alg": "HS256", "typ": "JWT"}),
        claims,
        Alg::HS256,
        &secret_key(secret),
    )
    .unwrap_or_default()
}

/// The claims of a valid ID token for this client, with the nonce sent.
pub fn valid_claims(ctx: &Context) -> Value {
    json!({
        "iss": ISSUER,
        "sub": "24400320",
        "aud": CLIENT_ID,
        "nonce": NONCE,
        "exp": ctx.now + MARGIN,
        "iat": ctx.now,
        "auth_time": ctx.now - 60,
    })
}

/// The claims of a Back-Channel Logout token for this client (section 2.4's example).
pub fn logout_claims(ctx: &Context) -> Value {
    json!({
        "iss": ISSUER,
        "sub": "24400320",
        "aud": CLIENT_ID,
        "iat": ctx.now,
        "exp": ctx.now + MARGIN,
        "jti": "bWJq",
        "sid": "08a5019c-17e1-4977-8f42-65a12843ea02",
        "events": {"http://schemas.openid.net/event/backchannel-logout": {}},
    })
}

/// The header of a token of type `typ` signed with the OpenID Provider's key.
pub fn header(typ: &str) -> Value {
    let mut h = forge::header_for(ALG, keys::private(keys::default_key_name(ALG)));
    h["typ"] = json!(typ);
    h
}

/// An ID token over `claims` with the usual header (typ JWT).
pub fn token(claims: &Value) -> String {
    signed_with_header(ALG, &header("JWT"), claims)
}

#[track_caller]
fn case(ctx: &Context, name: &str, title: &str) -> CaseBuilder {
    Case::builder(format!("oidc-id-token/{name}"), title)
        .refs([VALIDATION])
        .policy(policy(ctx))
        .needs_algorithms(&[ALG])
}

/// A high-severity reject case whose control is a valid ID token.
#[track_caller]
fn rejects(ctx: &Context, name: &str, title: &str) -> CaseBuilder {
    case(ctx, name, title)
        .severity(Severity::High)
        .control(token(&valid_claims(ctx)))
}
