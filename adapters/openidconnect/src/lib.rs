//! jwt-conformance adapter for the ID token verifier of
//! [`openidconnect`](https://docs.rs/openidconnect) 4.1, built without default features
//! (no HTTP client: nothing is fetched, the keys are the policy's).
//!
//! It answers only policies of the `oidc-id-token` profile (see
//! [`jwt_conformance::profiles::id_token`]); every other policy is `unsupported`, since
//! the crate verifies ID tokens, not bare JWTs. At `prepare` it builds a
//! `CoreIdTokenVerifier` the way the crate's documentation does:
//! `new_public_client(client_id, issuer, jwks)` (or `new_confidential_client` with the
//! client secret, the policy's one symmetric key read as UTF-8, for a client that
//! registered an HMAC algorithm), `set_allowed_algs` with the policy's algorithms,
//! `set_other_audience_verifier_fn` trusting the policy's other audiences, and
//! `set_time_fn` for the injected clock. At `verify` it parses the token as a
//! `CoreIdToken` and calls `claims(&verifier, nonce)` with the nonce sent (or a nonce
//! verifier that accepts any when none was sent). With an access token bound, it
//! compares a present `at_hash` with `AccessTokenHash::from_token`, as the crate's
//! documentation shows (the verifier itself does not).
//!
//! Claims handed back: the crate returns typed claims that always write `aud` as an
//! array and drop claims it does not model, so the adapter hands back the verified
//! token's payload as signed instead. Expressible policies: no leeway (the crate has
//! none), no required `typ` (the crate allows `JWT` and `JOSE`, which is what the
//! profile allows), required claims among those the crate requires anyway (`iss`,
//! `aud`, `exp`, `iat`, `sub`).

use chrono::{DateTime, Utc};
use jwt_conformance::outcome::signed_claims;
use jwt_conformance::{
    Adapter, AdapterInfo, Alg, Clock, Policy, Profile, RejectKind, Verdict, Verifier,
};
use openidconnect::core::{
    CoreIdToken, CoreIdTokenVerifier, CoreJsonWebKey, CoreJsonWebKeySet, CoreJwsSigningAlgorithm,
};
use openidconnect::{
    AccessToken, AccessTokenHash, Audience, ClaimsVerificationError, ClientId, ClientSecret,
    IssuerUrl, Nonce, SignatureVerificationError,
};
use serde_json::Value;
use std::sync::Arc;

/// The version of openidconnect this adapter is built against (checked against
/// Cargo.lock by a test).
pub const LIBRARY_VERSION: &str = "4.1.0";

/// The expected-failures manifest: openidconnect's known deviations.
pub const MANIFEST: &str = include_str!("../expected-failures.toml");

jwt_conformance::adapter_crate_test!("openidconnect", LIBRARY_VERSION, MANIFEST);

/// The algorithm openidconnect 4.1 cannot verify (its ES512 has no key support).
const MISSING: [Alg; 1] = [Alg::ES512];

/// The claims the crate's `IdTokenClaims` cannot be without.
const ALWAYS_REQUIRED: [&str; 5] = ["iss", "aud", "exp", "iat", "sub"];

/// The openidconnect adapter.
#[derive(Clone, Copy, Debug, Default)]
pub struct OpenIdConnectAdapter;

impl Adapter for OpenIdConnectAdapter {
    fn info(&self) -> AdapterInfo {
        AdapterInfo::new(
            "openidconnect",
            LIBRARY_VERSION,
            Alg::all_but(&MISSING),
            Clock::Injectable,
        )
    }

    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, Verdict> {
        let unsupported = |why: &str| Err(Verdict::unsupported(why.to_string()));
        if policy.profile != Some(Profile::OidcIdToken) {
            return unsupported("openidconnect verifies ID tokens: the oidc-id-token profile only");
        }
        if policy.leeway != 0 {
            return unsupported("openidconnect's IdTokenVerifier has no leeway");
        }
        if policy.typ.is_some() {
            return unsupported("openidconnect's IdTokenVerifier takes no required typ");
        }
        if let Some(claim) = policy
            .required_claims
            .iter()
            .find(|c| !ALWAYS_REQUIRED.contains(&c.as_str()))
        {
            return unsupported(&format!("openidconnect cannot require the claim {claim}"));
        }
        let (Some(issuer), Some(client_id)) = (&policy.issuer, &policy.client_id) else {
            return unsupported("an ID token verifier needs an issuer and a client_id");
        };
        let issuer = IssuerUrl::new(issuer.clone()).map_err(|e| {
            Verdict::unsupported(format!("openidconnect refuses the issuer URL: {e}"))
        })?;
        let mut algorithms = Vec::new();
        for alg in &policy.algorithms {
            algorithms.push(
                serde_json::from_value::<CoreJwsSigningAlgorithm>(Value::from(alg.as_str()))
                    .map_err(|e| Verdict::unsupported(format!("{alg}: {e}")))?,
            );
        }
        // The client secret is the one symmetric key; the others form the key set.
        let (secrets, public): (Vec<_>, Vec<_>) =
            policy.keys.keys.iter().partition(|k| k.kty == "oct");
        let jwks: CoreJsonWebKeySet = serde_json::from_value(serde_json::json!({
            "keys": public.iter().map(|k| serde_json::to_value(k).unwrap_or_default()).collect::<Vec<_>>()
        }))
        .map_err(|e| Verdict::rejected(RejectKind::Key, format!("the key set: {e}")))?;
        let client = ClientId::new(client_id.clone());
        let verifier = match secrets.as_slice() {
            [] => CoreIdTokenVerifier::new_public_client(client, issuer, jwks),
            [secret] => {
                let bytes = secret
                    .hmac_secret()
                    .map_err(|e| Verdict::rejected(RejectKind::Key, e.to_string()))?;
                let Ok(text) = String::from_utf8(bytes) else {
                    return unsupported("a client_secret is a string; this key is not UTF-8");
                };
                CoreIdTokenVerifier::new_confidential_client(
                    client,
                    ClientSecret::new(text),
                    issuer,
                    jwks,
                )
            }
            _ => return unsupported("a client has one client_secret"),
        };
        let trusted: Vec<String> = policy.audience.clone();
        let verifier = verifier
            .set_allowed_algs(algorithms)
            .set_other_audience_verifier_fn(move |aud: &Audience| {
                trusted.iter().any(|t| t.as_str() == aud.as_str())
            });
        let verifier = match policy.now {
            Some(now) => {
                let now: DateTime<Utc> = DateTime::from_timestamp(now, 0).ok_or_else(|| {
                    Verdict::unsupported(format!("{now} is not a time chrono represents"))
                })?;
                verifier.set_time_fn(move || now)
            }
            None => verifier,
        };
        Ok(Box::new(OpenIdConnectVerifier {
            verifier: Arc::new(verifier),
            nonce: policy.nonce.clone().map(Nonce::new),
            access_token: policy.access_token.clone().map(AccessToken::new),
        }))
    }
}

/// A prepared ID token verifier.
pub struct OpenIdConnectVerifier {
    verifier: Arc<CoreIdTokenVerifier<'static>>,
    nonce: Option<Nonce>,
    access_token: Option<AccessToken>,
}

impl Verifier for OpenIdConnectVerifier {
    fn verify(&self, token: &str) -> Verdict {
        let id_token: CoreIdToken = match token.parse() {
            Ok(t) => t,
            Err(e) => return Verdict::rejected(RejectKind::Malformed, e.to_string()),
        };
        let verified = match &self.nonce {
            Some(nonce) => id_token.claims(&self.verifier, nonce),
            None => id_token.claims(&self.verifier, |_: Option<&Nonce>| Ok(())),
        };
        let claims = match verified {
            Ok(claims) => claims,
            Err(e) => return Verdict::rejected(kind(&e), e.to_string()),
        };
        if let (Some(access_token), Some(expected)) =
            (&self.access_token, claims.access_token_hash())
        {
            let actual = id_token.signing_alg().and_then(|alg| {
                let key: &CoreJsonWebKey = id_token.signing_key(&self.verifier)?;
                AccessTokenHash::from_token(access_token, alg, key)
                    .map_err(|e| SignatureVerificationError::Other(e.to_string()))
            });
            match actual {
                Ok(actual) if actual == *expected => {}
                Ok(_) => {
                    return Verdict::rejected(
                        RejectKind::Other,
                        "at_hash does not match the access token",
                    )
                }
                Err(e) => return Verdict::rejected(RejectKind::Other, format!("at_hash: {e}")),
            }
        }
        match signed_claims(token) {
            Ok(claims) => Verdict::Accepted { claims },
            Err(why) => Verdict::accepted(Value::from(why)),
        }
    }
}

/// The reject kind of a verification error.
fn kind(e: &ClaimsVerificationError) -> RejectKind {
    match e {
        ClaimsVerificationError::Expired(_) => RejectKind::Expired,
        ClaimsVerificationError::InvalidAudience(_) => RejectKind::Audience,
        ClaimsVerificationError::InvalidIssuer(_) => RejectKind::Issuer,
        ClaimsVerificationError::InvalidNonce(_) => RejectKind::Other,
        ClaimsVerificationError::Unsupported(why) if why.contains("JWT type") => RejectKind::Type,
        ClaimsVerificationError::Unsupported(_) => RejectKind::Malformed,
        ClaimsVerificationError::SignatureVerification(s) => match s {
            SignatureVerificationError::DisallowedAlg(_)
            | SignatureVerificationError::UnsupportedAlg(_)
            | SignatureVerificationError::NoSignature => RejectKind::Algorithm,
            SignatureVerificationError::NoMatchingKey
            | SignatureVerificationError::AmbiguousKeyId(_)
            | SignatureVerificationError::InvalidKey(_) => RejectKind::Key,
            _ => RejectKind::Signature,
        },
        _ => RejectKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_policy_is_unsupported() {
        let policy = Policy::new(Default::default(), vec![Alg::RS256], Some(0));
        assert!(matches!(
            OpenIdConnectAdapter.prepare(&policy),
            Err(Verdict::Unsupported { .. })
        ));
    }
}
