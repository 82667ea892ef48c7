//! What a verifier is configured with for one case.

use crate::alg::Alg;
use crate::jwk::JwkSet;
use crate::verdict::Verdict;
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a library's verifier can be configured to check, for [`Policy::within`]:
/// every flag says whether the policy's setting of that name can be honoured.
/// [`Checks::NONE`] is a signature-only verifier; name what the library adds:
/// `Checks { required: &["exp"], ..Checks::NONE }`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checks<'a> {
    /// An expected issuer ([`Policy::issuer`]).
    pub issuer: bool,
    /// Accepted audiences ([`Policy::audience`]).
    pub audience: bool,
    /// A required `typ` ([`Policy::typ`]).
    pub typ: bool,
    /// A leeway other than zero ([`Policy::leeway`]).
    pub leeway: bool,
    /// An injected time ([`Policy::now`]).
    pub clock: bool,
    /// The claims it can require to be present ([`Policy::required_claims`]).
    pub required: &'a [&'a str],
}

impl Checks<'_> {
    /// Nothing beyond the signature.
    pub const NONE: Checks<'static> = Checks {
        issuer: false,
        audience: false,
        typ: false,
        leeway: false,
        clock: false,
        required: &[],
    };
}

/// The verification policy: trusted keys, allowed algorithms and claim checks.
///
/// Serialised exactly as the process protocol's `policy` object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Trusted keys. Usually public parts only; a JWK may carry its private part too, as
    /// the keys of a service that issues and verifies with one key pair do (an `oct`
    /// secret is symmetric anyway). Either way a verifier verifies with the public part:
    /// a private part is no licence to decrypt a JWE or to trust what it says.
    pub keys: JwkSet,
    /// Allowed `alg` values; a token with any other `alg` must be rejected.
    pub algorithms: Vec<Alg>,
    /// Expected `iss`; `None` means no issuer check.
    pub issuer: Option<String>,
    /// Accepted audiences; empty means the verifier expects no audience: a token carrying
    /// `aud` may then be refused (hardening) or its `aud` left to the application
    /// (RFC 7519 section 4.1.3; see [`rules::claims`](crate::rules::claims)).
    #[serde(deserialize_with = "null_as_empty")]
    pub audience: Vec<String>,
    /// Claims that must be present (e.g. `exp`).
    #[serde(default)]
    pub required_claims: Vec<String>,
    /// Clock skew allowed on `exp` and `nbf`, in seconds.
    pub leeway: u64,
    /// Required `typ` header value, if any.
    pub typ: Option<String>,
    /// The current time for adapters whose clock can be injected; `None` means the
    /// verifier uses the system clock.
    pub now: Option<i64>,
    /// A remote key set the verifier must fetch its keys from, with the cache settings
    /// the case needs; `None` for the ordinary cases, whose keys are all in `keys`.
    /// Absent from the protocol's policy object when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks: Option<RemoteJwks>,
    /// The profile whose validation rules apply on top of the members above (an OAuth
    /// access token, an OpenID Connect ID token, a client assertion); `None` for a bare
    /// JWT. The profile presets in [`crate::profiles`] set it together with the members
    /// it needs. A verifier that cannot apply the profile's rules answers `unsupported`.
    /// Absent from the protocol's policy object when `None`, like every member below.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
    /// The OAuth 2.0 `client_id` the profile checks claims against: with
    /// `oidc-id-token`, the Relying Party's own, which `aud` must list and `azp`, when
    /// present, must name (OpenID Connect Core 1.0 section 3.1.3.7); with `rfc7523`, the
    /// client authenticating, which `sub` must be (RFC 7523 section 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// With `oidc-id-token`: the `nonce` sent in the Authentication Request, which the ID
    /// token's `nonce` claim must then carry (OpenID Connect Core 1.0 section 3.1.3.7);
    /// `None` when none was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    /// With `oidc-id-token`: the access token issued with the ID token, which its
    /// `at_hash` must match (OpenID Connect Core 1.0 sections 3.2.2.9 and 3.3.2.11);
    /// `None` when no access token is bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// With `rfc7523`: which version of the audience rule for client authentication
    /// applies; `None` reads as [`AudienceRule::Rfc7523`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience_rule: Option<AudienceRule>,
}

/// A profile of JWT that adds validation rules to the bare JWT RFCs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Profile {
    /// An OAuth 2.0 access token checked by a resource server (RFC 9068 section 4):
    /// `typ` `at+jwt`, `iss`, `aud`, `exp`, and the claims section 2.2 requires.
    #[serde(rename = "rfc9068")]
    Rfc9068,
    /// An OpenID Connect ID token checked by the Relying Party that requested it (OpenID
    /// Connect Core 1.0 sections 2 and 3.1.3.7): `aud` lists the client and only trusted
    /// audiences, `azp`, `nonce`, `at_hash`, and no other kind's explicit type.
    #[serde(rename = "oidc-id-token")]
    OidcIdToken,
    /// A JWT client assertion checked by an authorization server (RFC 7523 section 3 and
    /// its update on audiences): `iss` and `sub` are the client, `aud` the server.
    #[serde(rename = "rfc7523")]
    Rfc7523,
}

impl Profile {
    /// Every profile, in the catalogue's order.
    pub const ALL: [Profile; 3] = [Profile::Rfc9068, Profile::OidcIdToken, Profile::Rfc7523];

    /// `rfc9068`, `oidc-id-token` or `rfc7523`: the name in the protocol and on the
    /// command line, and the class of the profile's cases.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Rfc9068 => "rfc9068",
            Profile::OidcIdToken => "oidc-id-token",
            Profile::Rfc7523 => "rfc7523",
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Profile {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Profile::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Profile::ALL.iter().map(|p| p.as_str()).collect();
                format!("{s:?} is not a profile ({})", names.join(", "))
            })
    }
}

/// The audience rule for JWT client authentication (profile `rfc7523`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AudienceRule {
    /// RFC 7523 section 3 item 3 as published: `aud` must contain a value identifying the
    /// authorization server, which may be its token endpoint URL; the policy's `audience`
    /// lists the identifiers it answers to.
    #[serde(rename = "rfc7523")]
    Rfc7523,
    /// The update of that item (draft-ietf-oauth-rfc7523bis section 4): `aud` must hold
    /// the authorization server's issuer identifier as its sole value; the policy's
    /// `audience` holds that identifier.
    #[serde(rename = "rfc7523bis")]
    Rfc7523bis,
}

/// A remote JWK Set (a JWKS endpoint, RFC 7517 section 5; OpenID Connect's `jwks_uri`)
/// and how long the verifier may keep what it fetched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoteJwks {
    /// Where the key set is served (always a loopback URL in this suite).
    pub uri: String,
    /// The least time between two fetches made because a token names a key the cached
    /// set lacks: an unknown-`kid` flood must not become a request flood.
    pub cooldown_ms: u64,
    /// How long a fetched set may be used before it is fetched again.
    pub max_age_ms: u64,
    /// How long a fetch may take before it is abandoned.
    pub timeout_ms: u64,
}

fn null_as_empty<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(Option::<Vec<String>>::deserialize(d)?.unwrap_or_default())
}

impl Policy {
    /// A policy trusting `keys` for `algorithms`, requiring `exp`, no issuer or audience
    /// check, no leeway, at time `now`.
    pub fn new(keys: JwkSet, algorithms: Vec<Alg>, now: Option<i64>) -> Policy {
        Policy {
            keys,
            algorithms,
            issuer: None,
            audience: Vec::new(),
            required_claims: vec!["exp".to_string()],
            leeway: 0,
            typ: None,
            now,
            jwks: None,
            profile: None,
            client_id: None,
            nonce: None,
            access_token: None,
            audience_rule: None,
        }
    }

    /// For an adapter without profile validation: `Err` with [`Verdict::Unsupported`]
    /// when the policy names a profile, so that `prepare` can answer it with `?` and the
    /// profile's cases are skipped rather than scored against bare JWT checks.
    pub fn without_profile(&self, library: &str) -> Result<(), Verdict> {
        match self.profile {
            Some(profile) => Err(Verdict::unsupported(format!(
                "{library} has no validation of the {profile} profile"
            ))),
            None => Ok(()),
        }
    }

    /// For an adapter whose library checks less than a policy can ask: `Err` with
    /// [`Verdict::Unsupported`] naming the first thing in the policy that `library`
    /// cannot be configured with (see [`Checks`]), so that `prepare` can answer it with
    /// `?` and the case is skipped rather than scored against checks never made. A
    /// profile is never expressible here (see [`Policy::without_profile`]).
    pub fn within(&self, library: &str, checks: Checks<'_>) -> Result<(), Verdict> {
        self.without_profile(library)?;
        let missing = if self.issuer.is_some() && !checks.issuer {
            Some("has no issuer check".to_string())
        } else if !self.audience.is_empty() && !checks.audience {
            Some("has no audience check".to_string())
        } else if self.typ.is_some() && !checks.typ {
            Some("has no `typ` check".to_string())
        } else if self.leeway != 0 && !checks.leeway {
            Some("has no leeway".to_string())
        } else if self.now.is_some() && !checks.clock {
            Some("reads the system clock".to_string())
        } else {
            self.required_claims
                .iter()
                .find(|c| !checks.required.contains(&c.as_str()))
                .map(|c| format!("cannot require the claim {c:?}"))
        };
        match missing {
            Some(missing) => Err(Verdict::unsupported(format!("{library} {missing}"))),
            None => Ok(()),
        }
    }

    /// The leeway and the injected time (`None`: the system clock) as chrono values, for
    /// an adapter whose library takes them so; `unsupported` when out of chrono's range.
    #[cfg(feature = "chrono")]
    pub fn chrono_window(
        &self,
    ) -> Result<(chrono::TimeDelta, Option<chrono::DateTime<chrono::Utc>>), Verdict> {
        let out_of_range =
            |what: &str| Verdict::unsupported(format!("{what} out of chrono's range"));
        let leeway = i64::try_from(self.leeway)
            .ok()
            .and_then(chrono::TimeDelta::try_seconds)
            .ok_or_else(|| out_of_range("leeway"))?;
        let now = match self.now {
            Some(now) => {
                Some(chrono::DateTime::from_timestamp(now, 0).ok_or_else(|| out_of_range("time"))?)
            }
            None => None,
        };
        Ok((leeway, now))
    }

    /// The policy as protocol JSON.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a policy always serialises")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_window_converts_or_says_unsupported() {
        let mut policy = Policy::new(Default::default(), vec![Alg::ES256], Some(1_700_000_000));
        policy.leeway = 30;
        let (leeway, now) = policy.chrono_window().unwrap();
        assert_eq!(leeway.num_seconds(), 30);
        assert_eq!(now.map(|n| n.timestamp()), Some(1_700_000_000));
        policy.now = None;
        assert_eq!(policy.chrono_window().unwrap().1, None);
        policy.leeway = u64::MAX;
        assert!(matches!(
            policy.chrono_window(),
            Err(Verdict::Unsupported { .. })
        ));
        policy.leeway = 0;
        policy.now = Some(i64::MAX);
        assert!(matches!(
            policy.chrono_window(),
            Err(Verdict::Unsupported { .. })
        ));
    }

    #[test]
    fn within_names_the_first_check_the_library_lacks() {
        let mut policy = Policy::new(Default::default(), vec![Alg::ES256], Some(0));
        let only_exp = Checks {
            required: &["exp"],
            ..Checks::NONE
        };
        let why = |r: Result<(), Verdict>| match r {
            Err(Verdict::Unsupported { why }) => why,
            other => format!("{other:?}"),
        };
        assert_eq!(
            why(policy.within("lib", only_exp)),
            "lib reads the system clock"
        );
        let with_clock = Checks {
            clock: true,
            ..only_exp
        };
        assert!(policy.within("lib", with_clock).is_ok());
        policy.required_claims.push("iss".to_string());
        assert_eq!(
            why(policy.within("lib", with_clock)),
            "lib cannot require the claim \"iss\""
        );
        policy.issuer = Some("https://issuer.example".to_string());
        assert_eq!(
            why(policy.within("lib", with_clock)),
            "lib has no issuer check"
        );
        policy.profile = Some(Profile::Rfc9068);
        assert!(why(policy.within("lib", with_clock)).contains("profile"));
    }

    #[test]
    fn protocol_shape_round_trips() {
        let text = r#"{"keys":{"keys":[]},"algorithms":["RS256"],"issuer":null,"audience":null,"required_claims":["exp"],"leeway":0,"typ":null,"now":1700000000}"#;
        let policy: Policy = serde_json::from_str(text).unwrap();
        assert_eq!(policy.algorithms, vec![Alg::RS256]);
        assert!(policy.audience.is_empty());
        assert_eq!(policy.now, Some(1_700_000_000));
        let back = policy.to_json();
        assert_eq!(back["audience"], serde_json::json!([]));
        assert_eq!(back["issuer"], serde_json::Value::Null);
    }

    #[test]
    fn profile_members_are_absent_unless_set_and_round_trip() {
        let mut policy = Policy::new(JwkSet::default(), vec![Alg::RS256], Some(1));
        let bare = policy.to_json();
        for member in [
            "profile",
            "client_id",
            "nonce",
            "access_token",
            "audience_rule",
        ] {
            assert!(bare.get(member).is_none(), "{member}");
        }
        policy.profile = Some(Profile::Rfc7523);
        policy.client_id = Some("client".into());
        policy.nonce = Some("n".into());
        policy.access_token = Some("at".into());
        policy.audience_rule = Some(AudienceRule::Rfc7523bis);
        let json = policy.to_json();
        assert_eq!(json["profile"], "rfc7523");
        assert_eq!(json["audience_rule"], "rfc7523bis");
        let back: Policy = serde_json::from_value(json).unwrap();
        assert_eq!(back, policy);
    }

    #[test]
    fn profiles_parse_by_name_and_adapters_without_them_say_unsupported() {
        for profile in Profile::ALL {
            assert_eq!(profile.as_str().parse::<Profile>(), Ok(profile));
        }
        assert!("oidc"
            .parse::<Profile>()
            .unwrap_err()
            .contains("oidc-id-token"));
        let mut policy = Policy::new(JwkSet::default(), vec![Alg::RS256], None);
        assert_eq!(policy.without_profile("lib"), Ok(()));
        policy.profile = Some(Profile::OidcIdToken);
        assert_eq!(
            policy.without_profile("lib"),
            Err(Verdict::unsupported(
                "lib has no validation of the oidc-id-token profile"
            ))
        );
    }

    #[test]
    fn unknown_fields_and_algs_are_rejected() {
        let bad = r#"{"keys":{"keys":[]},"algorithms":["none"],"issuer":null,"audience":[],"leeway":0,"typ":null,"now":null}"#;
        assert!(serde_json::from_str::<Policy>(bad).is_err());
        let extra = r#"{"keys":{"keys":[]},"algorithms":[],"issuer":null,"audience":[],"leeway":0,"typ":null,"now":null,"x":1}"#;
        assert!(serde_json::from_str::<Policy>(extra).is_err());
    }
}
