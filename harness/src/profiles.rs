//! Policy presets for the JWT profiles most services verify: an OAuth 2.0 access token
//! at a resource server (RFC 9068), an OpenID Connect ID token at the Relying Party
//! (OpenID Connect Core 1.0), a JWT client assertion at an authorization server (RFC
//! 7523 and its update on audiences).
//!
//! Each preset fixes what its profile requires, in the policy's ordinary members (the
//! issuer, the accepted audiences, the required claims, a required `typ`) and in
//! [`Policy::profile`], whose rules ([`crate::rules::profiles`]) add what those members
//! cannot say. A case of a profile's class is built on its preset; `run --profile NAME`
//! and [`Harness::profile`](crate::Harness::profile) run those cases only.
//!
//! | preset | `typ` | required claims | beyond the members |
//! |---|---|---|---|
//! | [`access_token`] (`rfc9068`) | `at+jwt` (section 4) | `iss`, `exp`, `aud` (section 4) | `sub`, `client_id`, `iat`, `jti` present (section 2.2, strict) |
//! | [`id_token`] (`oidc-id-token`) | absent or `JWT` (RFC 8725 section 3.12) | `iss`, `aud`, `exp` (section 3.1.3.7) | `aud` lists the client and only trusted audiences, `nonce`, `at_hash`; `sub`, `iat` present, `azp` (strict) |
//! | [`client_assertion`] (`rfc7523`) | absent, `JWT` or `client-authentication+jwt` | `iss`, `sub`, `aud`, `exp` (section 3) | `iss` and `sub` are the client; under the update, the issuer identifier is the sole `aud` |
//!
//! ```
//! use jwt_conformance::forge::keys;
//! use jwt_conformance::{profiles, Alg, Profile};
//!
//! let policy = profiles::access_token(
//!     keys::public_set(&["rsa-2048-a"]),
//!     vec![Alg::RS256],
//!     Some(1_700_000_000),
//!     "https://as.example",
//!     "https://rs.example/api",
//! );
//! assert_eq!(policy.profile, Some(Profile::Rfc9068));
//! assert_eq!(policy.typ.as_deref(), Some("at+jwt"));
//! ```

use crate::alg::Alg;
use crate::jwk::JwkSet;
use crate::policy::{AudienceRule, Policy, Profile};

/// The classes of the catalogue whose cases are built on the presets: one per profile,
/// and `explicit-typing`, which offers each kind of token to the other presets.
pub const CLASSES: [&str; 4] = ["rfc9068", "oidc-id-token", "rfc7523", "explicit-typing"];

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// What a resource server checks in an OAuth 2.0 access token (RFC 9068 section 4): the
/// type `at+jwt`, the authorization server's exact `issuer`, `aud` naming this
/// `resource`, an unexpired `exp`; the other claims section 2.2 makes REQUIRED (`sub`,
/// `client_id`, `iat`, `jti`) are the profile's to check.
pub fn access_token(
    keys: JwkSet,
    algorithms: Vec<Alg>,
    now: Option<i64>,
    issuer: &str,
    resource: &str,
) -> Policy {
    let mut policy = Policy::new(keys, algorithms, now);
    policy.profile = Some(Profile::Rfc9068);
    policy.typ = Some("at+jwt".to_string());
    policy.issuer = Some(issuer.to_string());
    policy.audience = vec![resource.to_string()];
    policy.required_claims = strings(&["iss", "exp", "aud"]);
    policy
}

/// What a Relying Party checks in an ID token (OpenID Connect Core 1.0 section 3.1.3.7):
/// the OpenID Provider's exact `issuer`, `aud` listing `client_id` (and only audiences
/// the client trusts: `client_id`, and whatever the caller adds to `audience`), an
/// unexpired `exp`, no other kind's explicit type. Set [`Policy::nonce`] when a nonce
/// was sent, [`Policy::access_token`] when an access token came with the ID token.
/// `algorithms` is the registered `id_token_signed_response_alg` (RS256 by default).
pub fn id_token(
    keys: JwkSet,
    algorithms: Vec<Alg>,
    now: Option<i64>,
    issuer: &str,
    client_id: &str,
) -> Policy {
    let mut policy = Policy::new(keys, algorithms, now);
    policy.profile = Some(Profile::OidcIdToken);
    policy.issuer = Some(issuer.to_string());
    policy.client_id = Some(client_id.to_string());
    policy.audience = vec![client_id.to_string()];
    policy.required_claims = strings(&["iss", "aud", "exp"]);
    policy
}

/// What an authorization server checks in a JWT client assertion (RFC 7523 section 3;
/// OpenID Connect Core 1.0 section 9): `iss` and `sub` are `client_id`, `aud` identifies
/// this server, `exp` has not passed, no other kind's explicit type. Under
/// [`AudienceRule::Rfc7523`], `audience` lists every identifier the server answers to
/// (its issuer identifier, its token endpoint URL); under [`AudienceRule::Rfc7523bis`]
/// it is the issuer identifier alone, which must be the assertion's sole audience.
pub fn client_assertion(
    keys: JwkSet,
    algorithms: Vec<Alg>,
    now: Option<i64>,
    client_id: &str,
    audience: &[&str],
    rule: AudienceRule,
) -> Policy {
    let mut policy = Policy::new(keys, algorithms, now);
    policy.profile = Some(Profile::Rfc7523);
    policy.issuer = Some(client_id.to_string());
    policy.client_id = Some(client_id.to_string());
    policy.audience = strings(audience);
    policy.audience_rule = Some(rule);
    policy.required_claims = strings(&["iss", "sub", "aud", "exp"]);
    policy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_preset_names_its_profile_and_requires_what_its_section_checks() {
        let keys = JwkSet::default();
        let at = access_token(keys.clone(), vec![Alg::RS256], None, "i", "r");
        assert_eq!(at.required_claims, ["iss", "exp", "aud"]);
        let id = id_token(keys.clone(), vec![Alg::RS256], None, "i", "c");
        assert_eq!(
            (id.profile, id.audience.as_slice()),
            (Some(Profile::OidcIdToken), &["c".to_string()][..])
        );
        let ca = client_assertion(
            keys,
            vec![Alg::ES256],
            None,
            "c",
            &["as"],
            AudienceRule::Rfc7523bis,
        );
        assert_eq!(ca.issuer.as_deref(), Some("c"));
        assert_eq!(ca.client_id.as_deref(), Some("c"));
        assert_eq!(ca.to_json()["audience_rule"], "rfc7523bis");
    }
}
