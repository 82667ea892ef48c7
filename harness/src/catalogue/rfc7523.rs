//! `rfc7523/*`: JWT client assertions at an authorization server (RFC 7523 section 3,
//! OpenID Connect Core 1.0 section 9, and the update of RFC 7523's audience rule in
//! draft-ietf-oauth-rfc7523bis section 4), under the
//! [`client_assertion`](crate::profiles::client_assertion) preset.
//!
//! RFC 7523 section 3: "the authorization server MUST validate the JWT according to the
//! criteria below", among them "For client authentication, the subject MUST be the
//! "client_id" of the OAuth client" and "The authorization server MUST reject any JWT
//! that does not contain its own identity as the intended audience", where "The token
//! endpoint URL of the authorization server MAY be used". OpenID Connect Core 1.0
//! section 9 adds for `iss`: "This MUST contain the client_id of the OAuth Client". These
//! are `rfc`.
//!
//! The update (approved, in the RFC Editor queue; read here in the working group's
//! source, dated 26 March 2026) replaces item 3 for client authentication: "the "aud"
//! (audience) claim value MUST use the issuer identifier [RFC8414] of the authorization
//! server as its sole value", "the token endpoint URL of the authorization server MUST
//! NOT be used as an audience value", "The authorization server MUST reject any JWT
//! that does not contain its issuer identifier as its sole audience value." A policy
//! selects the rule ([`AudienceRule`]); under the update these are `rfc` too, with the
//! draft as basis. The same section types assertions `client-authentication+jwt` but
//! calls rejecting untyped ones "NOT RECOMMENDED": `untyped` is a `strict` accept.
//!
//! Explicit types of other kinds (`dpop+jwt`, which a client signs with a key it may
//! also authenticate with; `at+jwt`) are refused under RFC 8725 section 3.12 (`bcp`).
//!
//! Not here: replay of a `jti`. RFC 7523 section 3 leaves it to the server ("The
//! authorization server MAY ensure that JWTs are not replayed by maintaining the set of
//! used "jti" values"), and OpenID Connect Core 1.0 section 9's "These tokens MUST only
//! be used once" needs state across verifications, which a case of one token under one
//! prepared verifier cannot observe.

use crate::alg::Alg;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::signed_with_header;
use crate::catalogue::rfc9068::{with, without};
use crate::context::{Context, MARGIN};
use crate::forge::{self, keys};
use crate::policy::{AudienceRule, Policy};
use crate::profiles;
use crate::verdict::RejectKind;
use serde_json::{json, Value};

const ALG: Alg = Alg::ES256;
/// The authorization server's issuer identifier.
pub const AS_ISSUER: &str = "https://authz.example.net";
/// Its token endpoint.
pub const TOKEN_ENDPOINT: &str = "https://authz.example.net/token.oauth2";
/// The client authenticating.
pub const CLIENT_ID: &str = "https://client.example";

const SECTION_3: &str = "RFC7523#section-3";
const UPDATE: &str = "draft-ietf-oauth-rfc7523bis#section-4";
const AUD_REQ: &str = "RFC 7523 3 item 3: \"The JWT MUST contain an \"aud\" (audience) claim \
    containing a value that identifies the authorization server as an intended audience. The token \
    endpoint URL of the authorization server MAY be used as a value for an \"aud\" element to \
    identify the authorization server as an intended audience of the JWT. The authorization server \
    MUST reject any JWT that does not contain its own identity as the intended audience.\"";
const UPDATE_REQ: &str = "draft-ietf-oauth-rfc7523bis 4, replacing that item for client \
    authentication: \"the \"aud\" (audience) claim value MUST use the issuer identifier [RFC8414] \
    of the authorization server as its sole value. [...] The \"aud\" claim value MUST indicate only \
    the issuer identifier of the intended authorization server as the audience of the JWT; this \
    includes that the token endpoint URL of the authorization server MUST NOT be used as an \
    audience value. The authorization server MUST reject any JWT that does not contain its issuer \
    identifier as its sole audience value.\" The policy selects the updated rule (rfc)";
const TYP_REQ: &str = "RFC 8725 3.12: \"If more than one kind of JWT can be issued by the same \
    issuer, the validation rules for those JWTs MUST be written such that they are mutually \
    exclusive, rejecting JWTs of the wrong kind.\" A client assertion is untyped or typed \
    client-authentication+jwt (draft-ietf-oauth-rfc7523bis 4); a token explicitly typed as another \
    kind is of the wrong kind (bcp)";

/// The client-assertion cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let claims = valid_claims(ctx);
    let mut out = vec![
        case(ctx, "valid", "A well-formed client assertion is accepted")
            .severity(Severity::Info)
            .sends(format!(
                "typ client-authentication+jwt; iss and sub {CLIENT_ID:?}, aud {AS_ISSUER:?} (the issuer identifier alone), exp, iat, jti"
            ))
            .rfc(SECTION_3)
            .refs([UPDATE])
            .requirement(format!("{AUD_REQ} {UPDATE_REQ}: the assertion meets both"))
            .token(token("client-authentication+jwt", &claims))
            .expect_accept(&claims)
            .build(),
        rejects(ctx, "iss-not-client", "An assertion issued by another party than the client is rejected")
            .sends(format!("iss \"https://other-client.example\", sub {CLIENT_ID:?}"))
            .rfc("OIDC-Core#section-9")
            .requirement(
                "OpenID Connect Core 1.0 9 (private_key_jwt, client_secret_jwt): \"iss REQUIRED. \
                    Issuer. This MUST contain the client_id of the OAuth Client.\" and \"sub \
                    REQUIRED. Subject. This MUST contain the client_id of the OAuth Client.\" (rfc): \
                    an assertion whose iss is not its sub is not the client's own",
            )
            .token(token("client-authentication+jwt", &with(&claims, "iss", json!("https://other-client.example"))))
            .expect_reject(RejectKind::Issuer)
            .build(),
        rejects(ctx, "sub-not-client", "An assertion about another subject than the client is rejected")
            .sends(format!("iss {CLIENT_ID:?}, sub \"https://other-client.example\""))
            .rfc(SECTION_3)
            .requirement(
                "RFC 7523 3 item 2: \"The JWT MUST contain a \"sub\" (subject) claim identifying the \
                    principal that is the subject of the JWT. [...] For client authentication, the \
                    subject MUST be the \"client_id\" of the OAuth client.\" (rfc)",
            )
            .token(token("client-authentication+jwt", &with(&claims, "sub", json!("https://other-client.example"))))
            .expect_reject(RejectKind::Other)
            .build(),
        rejects(ctx, "aud-token-endpoint-rfc7523bis", "Under the update, an assertion for the token endpoint is rejected")
            .sends(format!("aud {TOKEN_ENDPOINT:?}; the server's issuer identifier is {AS_ISSUER:?}"))
            .rfc(UPDATE)
            .refs([SECTION_3, "RFC8414#section-2"])
            .requirement(format!(
                "{UPDATE_REQ}. The token endpoint URL is what lets an assertion meant for one server \
                    be replayed to another that shares it, or one obtained at a malicious server's \
                    advertised endpoint be used at the honest one"
            ))
            .token(token("client-authentication+jwt", &with(&claims, "aud", json!(TOKEN_ENDPOINT))))
            .expect_reject(RejectKind::Audience)
            .build(),
        rejects(ctx, "aud-array-rfc7523bis", "Under the update, an assertion with several audiences is rejected")
            .sends(format!("aud [{AS_ISSUER:?}, {TOKEN_ENDPOINT:?}]"))
            .rfc(UPDATE)
            .refs([SECTION_3])
            .requirement(UPDATE_REQ)
            .token(token("client-authentication+jwt", &with(&claims, "aud", json!([AS_ISSUER, TOKEN_ENDPOINT]))))
            .expect_reject(RejectKind::Audience)
            .build(),
        case(ctx, "aud-token-endpoint-rfc7523", "Under RFC 7523 as published, an assertion for the token endpoint is accepted")
            .severity(Severity::Info)
            .sends(format!("aud {TOKEN_ENDPOINT:?}; the server answers to it and to {AS_ISSUER:?}"))
            .policy(published(ctx))
            .rfc(SECTION_3)
            .requirement(format!("{AUD_REQ} (rfc): the token endpoint URL is one of the server's identities"))
            .token(token("client-authentication+jwt", &with(&claims, "aud", json!(TOKEN_ENDPOINT))))
            .expect_accept(&with(&claims, "aud", json!(TOKEN_ENDPOINT)))
            .build(),
        case(ctx, "aud-array-rfc7523", "Under RFC 7523 as published, an assertion with several of the server's identities is accepted")
            .severity(Severity::Info)
            .sends(format!("aud [{AS_ISSUER:?}, {TOKEN_ENDPOINT:?}]"))
            .policy(published(ctx))
            .rfc(SECTION_3)
            .requirement(format!("{AUD_REQ} (rfc): aud contains the server's identity"))
            .token(token("client-authentication+jwt", &with(&claims, "aud", json!([AS_ISSUER, TOKEN_ENDPOINT]))))
            .expect_accept(&with(&claims, "aud", json!([AS_ISSUER, TOKEN_ENDPOINT])))
            .build(),
        rejects(ctx, "aud-other-server", "An assertion for another authorization server is rejected")
            .sends(format!(
                "aud \"https://other-as.example\"; the server answers to {AS_ISSUER:?} and {TOKEN_ENDPOINT:?}"
            ))
            .policy(published(ctx))
            .rfc(SECTION_3)
            .requirement(format!("{AUD_REQ} (rfc)"))
            .token(token("client-authentication+jwt", &with(&claims, "aud", json!("https://other-as.example"))))
            .expect_reject(RejectKind::Audience)
            .build(),
    ];
    for (name, typ, what) in [
        (
            "typ-dpop-jwt",
            "dpop+jwt",
            "a DPoP proof's type (RFC 9449), which the client signs too",
        ),
        ("typ-at-jwt", "at+jwt", "an access token's type (RFC 9068)"),
    ] {
        out.push(
            rejects(ctx, name, &format!("An assertion typed {typ} is rejected"))
                .sends(format!(
                    "typ {typ:?}, {what}; otherwise a valid client assertion"
                ))
                .refs([SECTION_3, UPDATE, "RFC8725#section-3.11"])
                .bcp("RFC8725#section-3.12")
                .requirement(TYP_REQ)
                .token(token(typ, &claims))
                .expect_reject(RejectKind::Type)
                .build(),
        );
    }
    out.push(
        case(ctx, "untyped", "An untyped client assertion is accepted")
            .severity(Severity::Low)
            .sends("no typ; otherwise a valid client assertion")
            .strict(UPDATE)
            .refs([SECTION_3])
            .requirement(
                "draft-ietf-oauth-rfc7523bis 4: \"Client authentication JWTs SHOULD be explicitly \
                    typed by using the typ header parameter value client-authentication+jwt\", yet \
                    \"it is NOT RECOMMENDED for servers to reject JWTs that do not have explicit \
                    types. Such rejection would cause interoperability issues with clients that \
                    already conform to the tightened audience requirements but have not yet adopted \
                    explicit typing.\" Accepting is the recommended answer (strict)",
            )
            .token(signed_with_header(ALG, &without(&header("JWT"), "typ"), &claims))
            .expect_accept(&claims)
            .build(),
    );
    out
}

/// The preset of the class under the updated audience rule.
pub fn policy(ctx: &Context) -> Policy {
    profiles::client_assertion(
        keys::public_set(&[keys::default_key_name(ALG)]),
        vec![ALG],
        ctx.policy_now(),
        CLIENT_ID,
        &[AS_ISSUER],
        AudienceRule::Rfc7523bis,
    )
}

/// The preset under RFC 7523's audience rule as published.
pub fn published(ctx: &Context) -> Policy {
    profiles::client_assertion(
        keys::public_set(&[keys::default_key_name(ALG)]),
        vec![ALG],
        ctx.policy_now(),
        CLIENT_ID,
        &[AS_ISSUER, TOKEN_ENDPOINT],
        AudienceRule::Rfc7523,
    )
}

/// The claims of a valid client assertion.
pub fn valid_claims(ctx: &Context) -> Value {
    json!({
        "iss": CLIENT_ID,
        "sub": CLIENT_ID,
        "aud": AS_ISSUER,
        "iat": ctx.now,
        "exp": ctx.now + MARGIN,
        "jti": "c9e1f0a2-6b1d-4f4e-9d3a-7a5c2e8b1f60",
    })
}

/// The header of a token of type `typ` signed with the client's key.
pub fn header(typ: &str) -> Value {
    let mut h = forge::header_for(ALG, keys::private(keys::default_key_name(ALG)));
    h["typ"] = json!(typ);
    h
}

/// A token of type `typ` over `claims`, signed with the client's key.
pub fn token(typ: &str, claims: &Value) -> String {
    signed_with_header(ALG, &header(typ), claims)
}

#[track_caller]
fn case(ctx: &Context, name: &str, title: &str) -> CaseBuilder {
    Case::builder(format!("rfc7523/{name}"), title)
        .refs([SECTION_3])
        .policy(policy(ctx))
        .needs_algorithms(&[ALG])
}

/// A high-severity reject case whose control is a valid client assertion.
#[track_caller]
fn rejects(ctx: &Context, name: &str, title: &str) -> CaseBuilder {
    case(ctx, name, title)
        .severity(Severity::High)
        .control(token("client-authentication+jwt", &valid_claims(ctx)))
}
