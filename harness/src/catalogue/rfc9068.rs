//! `rfc9068/*`: OAuth 2.0 access tokens at a resource server (RFC 9068), under the
//! [`access_token`](crate::profiles::access_token) preset.
//!
//! RFC 9068 section 4 lists what the resource server MUST check: "The resource server
//! MUST verify that the "typ" header value is "at+jwt" or "application/at+jwt" and
//! reject tokens carrying any other value"; "The issuer identifier for the authorization
//! server [...] MUST exactly match the value of the "iss" claim"; "The JWT access token
//! MUST be rejected if "aud" does not contain a resource indicator of the current
//! resource server as a valid audience"; "The resource server MUST reject any JWT in
//! which the value of "alg" is "none""; "The current time MUST be before the time
//! represented by the "exp" claim". These are `rfc` (the profile's MUSTs). Section 2.2
//! also makes `sub`, `client_id`, `iat` and `jti` REQUIRED in the token, a requirement on
//! the authorization server that issues it: section 4 does not have the resource server
//! check them, so refusing a token without one is `strict`.
//!
//! Section 5 names the attack the type check stops: "The explicit typing required in
//! this profile, in line with the recommendations in [RFC8725], helps the resource
//! server to distinguish between JWT access tokens and [OpenID Connect] ID Tokens." The
//! `id-token-as-access-token` case is an ID token whose claims happen to satisfy every
//! other rule of the profile, so that only the type tells it apart.

use crate::alg::Alg;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::signed_with_header;
use crate::context::{Context, MARGIN};
use crate::forge::{self, keys};
use crate::policy::Policy;
use crate::profiles;
use crate::verdict::RejectKind;
use serde_json::{json, Value};

const ALG: Alg = Alg::RS256;
/// The authorization server that issues the access tokens.
pub const ISSUER: &str = "https://as.example";
/// This resource server's resource indicator.
pub const RESOURCE: &str = "https://rs.example/api";
/// The client the access tokens were issued to.
pub const CLIENT_ID: &str = "s6BhdRkqt3";

const SECTION_4: &str = "RFC9068#section-4";
const TYP_REQ: &str = "RFC 9068 4: \"The resource server MUST verify that the \"typ\" header \
    value is \"at+jwt\" or \"application/at+jwt\" and reject tokens carrying any other value.\" \
    (rfc: the profile's MUST)";
const REQUIRED_2_2: &str = "RFC 9068 2.2 lists the claim as REQUIRED \"in the JWT access token \
    data structure\", a requirement on the authorization server that issues it; section 4, \"Resource \
    servers receiving a JWT access token MUST validate it in the following manner\", does not \
    include its presence. Refusing a token without it is hardening (strict); a resource server \
    that relies on the claim for authorization should refuse it";

/// The access-token cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let mut out = Vec::new();
    out.push(
        case(ctx, "valid", "A well-formed access token is accepted")
            .severity(Severity::Info)
            .sends("typ at+jwt; iss, sub, aud, exp, iat, jti, client_id as RFC 9068 2.2 lists them")
            .rfc(SECTION_4)
            .requirement(format!(
                "{TYP_REQ}; every check of section 4 passes, so the resource server accepts the token"
            ))
            .token(valid_token(ctx))
            .expect_accept(&valid_claims(ctx))
            .build(),
    );
    for claim in ["iss", "exp", "aud"] {
        out.push(
            rejects(ctx, &format!("missing-{claim}"), &format!("An access token without {claim} is rejected"))
                .sends(format!("typ at+jwt, no {claim}"))
                .rfc(SECTION_4)
                .requirement(match claim {
                    "iss" => "RFC 9068 4: \"The issuer identifier for the authorization server (which is \
                        typically obtained during discovery) MUST exactly match the value of the \"iss\" \
                        claim.\" An absent iss matches nothing (rfc); the preset lists iss in its \
                        required claims, so the reject kind is missing-claim",
                    "exp" => "RFC 9068 4: \"The current time MUST be before the time represented by the \
                        \"exp\" claim.\" Without exp there is no such time (rfc); the preset lists exp in \
                        its required claims, so the reject kind is missing-claim",
                    _ => "RFC 9068 4: \"The resource server MUST validate that the \"aud\" claim contains \
                        a resource indicator value corresponding to an identifier the resource server \
                        expects for itself. The JWT access token MUST be rejected if \"aud\" does not \
                        contain a resource indicator of the current resource server as a valid \
                        audience.\" (rfc); the preset lists aud in its required claims, so the reject \
                        kind is missing-claim",
                })
                .refs([SECTION_4, "RFC9068#section-2.2"])
                .token(token(ctx, &header("at+jwt"), &without(&valid_claims(ctx), claim)))
                .expect_reject(RejectKind::MissingClaim)
                .build(),
        );
    }
    for claim in ["sub", "client_id", "iat", "jti"] {
        out.push(
            rejects(
                ctx,
                &format!("missing-{}", claim.replace('_', "-")),
                &format!("An access token without {claim} is rejected (hardening)"),
            )
            .severity(Severity::Medium)
            .sends(format!("typ at+jwt, no {claim}"))
            .strict("RFC9068#section-2.2")
            .requirement(format!("{claim}: {REQUIRED_2_2}"))
            .token(token(
                ctx,
                &header("at+jwt"),
                &without(&valid_claims(ctx), claim),
            ))
            .expect_reject(RejectKind::MissingClaim)
            .build(),
        );
    }
    for (name, what, typ) in [
        ("typ-missing", "no typ", None),
        ("typ-jwt", "typ \"JWT\"", Some("JWT")),
        (
            "typ-application-jwt",
            "typ \"application/jwt\"",
            Some("application/jwt"),
        ),
    ] {
        let mut h = header("at+jwt");
        match typ {
            Some(t) => h["typ"] = json!(t),
            None => {
                h.as_object_mut().map(|m| m.shift_remove("typ"));
            }
        }
        out.push(
            rejects(
                ctx,
                name,
                &format!("An access token with {what} is rejected"),
            )
            .sends(format!("{what}; otherwise a valid access token"))
            .rfc(SECTION_4)
            .requirement(TYP_REQ)
            .token(token(ctx, &h, &valid_claims(ctx)))
            .expect_reject(RejectKind::Type)
            .build(),
        );
    }
    for (name, typ, basis) in [
        ("typ-at-jwt-uppercase", "at+JWT", "RFC7515#section-4.1.9"),
        ("typ-application-at-jwt", "application/at+jwt", SECTION_4),
    ] {
        out.push(
            case(ctx, name, &format!("typ {typ:?} is the access-token type"))
                .severity(Severity::Low)
                .sends(format!("typ {typ:?}"))
                .rfc(basis)
                .refs([SECTION_4, "RFC7515#section-4.1.9"])
                .requirement(format!(
                    "{TYP_REQ} RFC 7515 4.1.9: \"Per RFC 2045, all media type values, subtype values, \
                        and parameter names are case insensitive\" and \"A recipient using the media \
                        type value MUST treat it as if \"application/\" were prepended to any \"typ\" \
                        value not containing a '/'.\" Both spellings name application/at+jwt (RFC \
                        9068 3's own example header carries \"at+JWT\")"
                ))
                .token(token(ctx, &header(typ), &valid_claims(ctx)))
                .expect_accept(&valid_claims(ctx))
                .build(),
        );
    }
    let id_token = {
        let mut claims = valid_claims(ctx);
        claims["nonce"] = json!("n-0S6_WzA2Mj");
        claims["auth_time"] = json!(ctx.now - 60);
        claims["azp"] = json!(CLIENT_ID);
        claims
    };
    out.push(
        rejects(ctx, "id-token-as-access-token", "An ID token is not accepted as an access token")
            .severity(Severity::High)
            .sends(
                "an OpenID Connect ID token from the same issuer (typ JWT, nonce, auth_time, azp) \
                    whose aud is this resource server and which carries client_id and jti: only its \
                    type tells it from an access token",
            )
            .rfc(SECTION_4)
            .refs([SECTION_4, "RFC9068#section-5", "RFC8725#section-2.8", "RFC8725#section-3.11"])
            .requirement(format!(
                "{TYP_REQ} RFC 9068 5: \"The explicit typing required in this profile, in line with \
                    the recommendations in [RFC8725], helps the resource server to distinguish \
                    between JWT access tokens and [OpenID Connect] ID Tokens.\" A resource server \
                    that skips the type check lets a client replay the ID token it received as an \
                    access token (RFC 8725 2.8, cross-JWT confusion)"
            ))
            .token(token(ctx, &header("JWT"), &id_token))
            .expect_reject(RejectKind::Type)
            .build(),
    );
    out.push(
        rejects(
            ctx,
            "aud-other-resource",
            "An access token for another resource is rejected",
        )
        .severity(Severity::High)
        .sends(format!(
            "aud \"https://other-rs.example/api\"; this resource server is {RESOURCE:?}"
        ))
        .rfc(SECTION_4)
        .requirement(
            "RFC 9068 4: \"The JWT access token MUST be rejected if \"aud\" does not contain a \
                    resource indicator of the current resource server as a valid audience.\" (rfc)",
        )
        .token(token(
            ctx,
            &header("at+jwt"),
            &with(
                &valid_claims(ctx),
                "aud",
                json!("https://other-rs.example/api"),
            ),
        ))
        .expect_reject(RejectKind::Audience)
        .build(),
    );
    out.push(
        rejects(ctx, "alg-none", "An unsecured access token is rejected")
            .severity(Severity::Critical)
            .sends("alg \"none\", typ at+jwt, an empty signature")
            .rfc(SECTION_4)
            .requirement(
                "RFC 9068 4: \"The resource server MUST validate the signature of all incoming JWT \
                    access tokens according to [RFC7515] using the algorithm specified in the JWT \
                    \"alg\" Header Parameter. The resource server MUST reject any JWT in which the \
                    value of \"alg\" is \"none\".\" (rfc)",
            )
            .token(format!(
                "{}.",
                forge::signing_input(
                    json!({"alg": "none", "typ": "at+jwt"}).to_string().as_bytes(),
                    valid_claims(ctx).to_string().as_bytes(),
                )
            ))
            .expect_reject(RejectKind::Algorithm)
            .build(),
    );
    out
}

/// The preset of the class: this resource server, the authorization server's RS256 key.
pub fn policy(ctx: &Context) -> Policy {
    profiles::access_token(
        keys::public_set(&[keys::default_key_name(ALG)]),
        vec![ALG],
        ctx.policy_now(),
        ISSUER,
        RESOURCE,
    )
}

/// The claims of a valid access token for this resource server (RFC 9068 section 2.2).
pub fn valid_claims(ctx: &Context) -> Value {
    json!({
        "iss": ISSUER,
        "sub": "5ba552d67",
        "aud": RESOURCE,
        "exp": ctx.now + MARGIN,
        "iat": ctx.now,
        "jti": "dbe39bf3a3ba4238a513f51d6e1691c4",
        "client_id": CLIENT_ID,
        "scope": "openid profile reademail",
    })
}

/// The header of an access token of type `typ`, signed by the authorization server.
pub fn header(typ: &str) -> Value {
    let mut h = forge::header_for(ALG, keys::private(keys::default_key_name(ALG)));
    h["typ"] = json!(typ);
    h
}

/// A token over `header` and `claims`, signed by the authorization server's key.
pub fn token(_ctx: &Context, header: &Value, claims: &Value) -> String {
    signed_with_header(ALG, header, claims)
}

/// A valid access token.
pub fn valid_token(ctx: &Context) -> String {
    token(ctx, &header("at+jwt"), &valid_claims(ctx))
}

/// `claims` with `name` set to `value`.
pub fn with(claims: &Value, name: &str, value: Value) -> Value {
    let mut claims = claims.clone();
    claims[name] = value;
    claims
}

/// `claims` without `name`.
pub fn without(claims: &Value, name: &str) -> Value {
    let mut claims = claims.clone();
    if let Some(map) = claims.as_object_mut() {
        map.shift_remove(name);
    }
    claims
}

#[track_caller]
fn case(ctx: &Context, name: &str, title: &str) -> CaseBuilder {
    Case::builder(format!("rfc9068/{name}"), title)
        .refs([SECTION_4])
        .policy(policy(ctx))
        .needs_algorithms(&[ALG])
}

/// A high-severity reject case whose control is a valid access token.
#[track_caller]
fn rejects(ctx: &Context, name: &str, title: &str) -> CaseBuilder {
    case(ctx, name, title)
        .severity(Severity::High)
        .control(valid_token(ctx))
}
