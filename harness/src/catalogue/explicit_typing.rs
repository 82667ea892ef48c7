//! `explicit-typing/*`: each kind of token offered to the other profiles' presets (RFC
//! 8725 sections 3.11 and 3.12).
//!
//! Every token here carries claims that satisfy the preset it is offered to, and is
//! signed with the key that preset trusts (a party signs several kinds of JWT with one
//! key: an OpenID Provider its ID tokens, access tokens, logout tokens and security
//! event tokens; a client its assertions, DPoP proofs and request objects); only its
//! `typ` says it is of another kind. The matrix, with the cells the profile classes
//! already hold:
//!
//! | offered \ preset | `rfc9068` | `oidc-id-token` | `rfc7523` |
//! |---|---|---|---|
//! | ID token (`JWT`) | `rfc9068/id-token-as-access-token` | — | accepted: untyped assertions are (rfc7523bis section 4); `iss`, `sub` and `aud` tell them apart |
//! | access token (`at+jwt`) | — | `access-token-as-id-token` | `rfc7523/typ-at-jwt` |
//! | logout token (`logout+jwt`) | `logout-token-as-access-token` | `oidc-id-token/logout-token-typed` | — |
//! | security event token (`secevent+jwt`) | `secevent-as-access-token` | `secevent-as-id-token` | — |
//! | DPoP proof (`dpop+jwt`) | — | — | `rfc7523/typ-dpop-jwt` |
//! | request object (`oauth-authz-req+jwt`) | — | — | `request-object-as-client-assertion` |
//!
//! Levels: an access token's type is the profile's MUST (RFC 9068 section 4), `rfc`. ID
//! tokens and client assertions have no required type; refusing another kind's type is
//! RFC 8725 section 3.12's MUST for a party that issues several kinds, `bcp`.

use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::signed_with_header;
use crate::catalogue::rfc9068::with;
use crate::catalogue::{oidc_id_token, rfc7523, rfc9068};
use crate::context::Context;
use crate::verdict::RejectKind;
use serde_json::json;

const SEPARATE: &str = "RFC 8725 3.12: \"If more than one kind of JWT can be issued by the same \
    issuer, the validation rules for those JWTs MUST be written such that they are mutually \
    exclusive, rejecting JWTs of the wrong kind.\"";
const EXPLICIT: &str = "RFC 8725 3.11: \"Explicit JWT typing is accomplished by using the \"typ\" \
    Header Parameter.\"";

/// The explicit-typing cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let at = rfc9068::valid_claims(ctx);
    let id = oidc_id_token::valid_claims(ctx);
    let assertion = rfc7523::valid_claims(ctx);
    let logout_event = json!({"http://schemas.openid.net/event/backchannel-logout": {}});
    let session_event = json!({"https://schemas.openid.net/secevent/caep/event-type/session-revoked": {"event_timestamp": ctx.now}});
    let mut out = Vec::new();
    for (name, kind, typ, event) in [
        (
            "logout-token-as-access-token",
            "A logout token",
            "logout+jwt",
            &logout_event,
        ),
        (
            "secevent-as-access-token",
            "A security event token",
            "secevent+jwt",
            &session_event,
        ),
    ] {
        let claims = with(&at, "events", event.clone());
        out.push(
            case(name, &format!("{kind} is not accepted as an access token"))
                .sends(format!(
                    "typ {typ:?}, signed with the authorization server's key, with an events claim \
                        and every claim an access token for this resource server needs"
                ))
                .policy(rfc9068::policy(ctx))
                .needs_algorithms(&[crate::Alg::RS256])
                .control(rfc9068::valid_token(ctx))
                .rfc("RFC9068#section-4")
                .requirement(format!(
                    "RFC 9068 4: \"The resource server MUST verify that the \"typ\" header value is \
                        \"at+jwt\" or \"application/at+jwt\" and reject tokens carrying any other \
                        value.\" (rfc) {SEPARATE}"
                ))
                .token(rfc9068::token(ctx, &rfc9068::header(typ), &claims))
                .expect_reject(RejectKind::Type)
                .build(),
        );
    }
    let as_id = [
        (
            "access-token-as-id-token",
            "An access token",
            "at+jwt",
            with(
                &with(&id, "client_id", json!(oidc_id_token::CLIENT_ID)),
                "jti",
                json!("3f1c"),
            ),
        ),
        (
            "secevent-as-id-token",
            "A security event token",
            "secevent+jwt",
            with(&id, "events", session_event.clone()),
        ),
    ];
    for (name, kind, typ, claims) in as_id {
        out.push(
            case(name, &format!("{kind} is not accepted as an ID token"))
                .sends(format!(
                    "typ {typ:?}, signed with the OpenID Provider's key, with every claim an ID token \
                        for this client needs (the nonce sent included)"
                ))
                .policy(oidc_id_token::policy(ctx))
                .needs_algorithms(&[crate::Alg::RS256])
                .control(oidc_id_token::token(&id))
                .bcp("RFC8725#section-3.12")
                .requirement(format!(
                    "{SEPARATE} The OpenID Provider issues ID tokens and {typ} tokens with the same \
                        keys (RFC 9068 4: \"An authorization server MAY elect to use different keys \
                        to sign [OpenID Connect] ID Tokens and JWT access tokens\"; it need not), so \
                        an ID-token validator refuses a token typed as another kind (bcp). {EXPLICIT}"
                ))
                .token(signed_with_header(crate::Alg::RS256, &oidc_id_token::header(typ), &claims))
                .expect_reject(RejectKind::Type)
                .build(),
        );
    }
    let request_object = with(
        &with(&assertion, "response_type", json!("code")),
        "client_id",
        json!(rfc7523::CLIENT_ID),
    );
    out.push(
        case("request-object-as-client-assertion", "A request object is not accepted as a client assertion")
            .sends(
                "typ \"oauth-authz-req+jwt\" (RFC 9101), signed with the client's key, with every \
                    claim a client assertion needs",
            )
            .policy(rfc7523::policy(ctx))
            .needs_algorithms(&[crate::Alg::ES256])
            .control(rfc7523::token("client-authentication+jwt", &assertion))
            .bcp("RFC8725#section-3.12")
            .requirement(format!(
                "{SEPARATE} A client signs its request objects and its assertions with its own \
                    keys; an authorization server that takes a request object (RFC 9101, whose aud is \
                    the authorization server too) as a client assertion lets whoever sees the \
                    authorization request authenticate as the client (bcp). {EXPLICIT}"
            ))
            .token(rfc7523::token("oauth-authz-req+jwt", &request_object))
            .expect_reject(RejectKind::Type)
            .build(),
    );
    out
}

#[track_caller]
fn case(name: &str, title: &str) -> CaseBuilder {
    Case::builder(format!("explicit-typing/{name}"), title)
        .severity(Severity::High)
        .refs([
            "RFC8725#section-3.11",
            "RFC8725#section-3.12",
            "RFC8725#section-2.8",
        ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::matching;
    use crate::policy::Profile;
    use crate::profiles::CLASSES;

    #[test]
    fn every_case_of_the_profile_classes_is_built_on_a_preset_with_its_controls() {
        let ctx = Context::listing();
        let mut counts = Vec::new();
        for class in CLASSES {
            let cases = matching(&ctx, Some(&format!("{class}/")));
            counts.push((class, cases.len()));
            for case in &cases {
                assert!(case.policy.profile.is_some(), "{}", case.id);
                if let Some(control) = &case.control {
                    assert_eq!(control.policy.profile, case.policy.profile, "{}", case.id);
                }
            }
        }
        assert_eq!(
            counts,
            [
                ("rfc9068", 16),
                ("oidc-id-token", 18),
                ("rfc7523", 11),
                ("explicit-typing", 5)
            ]
        );
        let offered: Vec<Option<Profile>> = cases(&ctx).iter().map(|c| c.policy.profile).collect();
        assert_eq!(
            offered,
            [
                Some(Profile::Rfc9068),
                Some(Profile::Rfc9068),
                Some(Profile::OidcIdToken),
                Some(Profile::OidcIdToken),
                Some(Profile::Rfc7523)
            ]
        );
    }
}
