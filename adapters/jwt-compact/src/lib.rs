//! jwt-conformance adapter for [`jwt-compact`](https://docs.rs/jwt-compact), with its
//! `rsa` (RS*/PS*), `p256` (ES256) and `ed25519-compact` (EdDSA) features. It has no
//! ES384 or ES512.
//!
//! jwt-compact's documentation has the application pick the key by the header's
//! `kid` and validate with an algorithm it chose itself, then validate the time claims
//! it cares about:
//! `Alg.validator(&key).validate(&token)?` followed by
//! `claims.validate_expiration(&time_options)?.validate_maturity(&time_options)?`.
//! The adapter does exactly that. At `prepare` it turns each trusted JWK into a key of
//! each allowed algorithm of its type with the library's own JWK conversions
//! (`JsonWebKey` → `RsaPublicKey`, …). RSA keys are wrapped in `StrongKey`/`StrongAlg`
//! as the `Rsa` documentation recommends, so keys under 2048 bits are refused. HMAC keys
//! are used as the crate's main example uses them, unwrapped: its opt-in `StrongKey`
//! refuses HMAC keys shorter than the hash's block size (128 bytes for HS384/HS512),
//! not the hash output RFC 7518 section 3.2 and its own documentation name, so it would
//! refuse valid keys. At `verify` it parses
//! an `UntrustedToken`, takes the key its `kid` names (or the only trusted key), and the
//! validator for the header's `alg` among that key's algorithms, else the first one:
//! jwt-compact compares the `alg` itself and refuses a mismatch.
//!
//! Time: `TimeOptions { leeway, clock_fn }` with the policy's leeway and the injected
//! clock. `validate_expiration` runs when the policy requires `exp` or the token has
//! one, `validate_maturity` when the token has an `nbf` (both fail on a missing claim,
//! so the application calls them for the claims it expects).
//!
//! jwt-compact has no issuer, audience or `typ` checks and can only require `exp` and
//! `nbf`; policies that need anything else are unsupported. With no audience in the
//! policy a token's `aud` should be refused, which jwt-compact cannot do: those cases
//! record the deviation. The adapter never re-checks a claim itself.

use chrono::{DateTime, Duration, Utc};
use jwt_compact::alg::{
    Ed25519, Es256, Hs256, Hs256Key, Hs384, Hs384Key, Hs512, Hs512Key, Rsa, RsaPublicKey,
    StrongAlg, StrongKey,
};
use jwt_compact::jwk::JsonWebKey;
use jwt_compact::{
    Algorithm, AlgorithmExt, Claims, ParseError, TimeOptions, Token, UntrustedToken,
    ValidationError,
};
use jwt_conformance::{
    Adapter, AdapterInfo, Alg, Checks, Clock, Jwk, Policy, RejectKind, Verdict, Verifier,
};
use serde_json::{Map, Value};

/// The version of jwt-compact this adapter is built against (checked against Cargo.lock
/// by a test).
pub const LIBRARY_VERSION: &str = "0.8.0";

/// The expected-failures manifest: jwt-compact's known deviations from the RFCs.
pub const MANIFEST: &str = include_str!("../expected-failures.toml");

jwt_conformance::adapter_crate_test!("jwt-compact", LIBRARY_VERSION, MANIFEST);

/// The claims as jwt-compact hands them back: the time claims typed, the rest as JSON.
type CustomClaims = Map<String, Value>;

/// The jwt-compact adapter.
#[derive(Clone, Copy, Debug, Default)]
pub struct JwtCompactAdapter;

/// The algorithms jwt-compact 0.8 cannot verify (with the features this adapter enables).
const MISSING: [Alg; 2] = [Alg::ES384, Alg::ES512];

/// An algorithm with its verifying key: what `Alg.validator(&key)` needs.
trait Validate: Send + Sync {
    fn validate(&self, token: &UntrustedToken<'_>) -> Result<Token<CustomClaims>, ValidationError>;
}

/// A validator, or why the library would not build one from the JWK.
type Loaded = Result<Box<dyn Validate>, String>;

struct Keyed<A: Algorithm> {
    alg: A,
    key: A::VerifyingKey,
}

impl<A> Validate for Keyed<A>
where
    A: Algorithm + Send + Sync,
    A::VerifyingKey: Send + Sync,
{
    fn validate(&self, token: &UntrustedToken<'_>) -> Result<Token<CustomClaims>, ValidationError> {
        self.alg
            .validator::<CustomClaims>(&self.key)
            .validate(token)
    }
}

fn keyed<A>(alg: A, key: A::VerifyingKey) -> Box<dyn Validate>
where
    A: Algorithm + Send + Sync + 'static,
    A::VerifyingKey: Send + Sync + 'static,
{
    Box::new(Keyed { alg, key })
}

/// A validator for `alg` with `jwk`, converted by jwt-compact's own JWK support.
fn validator_for(alg: Alg, jwk: &JsonWebKey<'_>) -> Loaded {
    let refused = |e: jwt_compact::jwk::JwkError| format!("jwt-compact refuses the JWK: {e}");
    let weak = || format!("jwt-compact refuses a weak key for {alg}");
    let rsa = |rsa: Rsa| -> Loaded {
        let key = RsaPublicKey::try_from(jwk).map_err(refused)?;
        let key = StrongKey::try_from(key).map_err(|_| weak())?;
        Ok(keyed(StrongAlg(rsa), key))
    };
    Ok(match alg {
        Alg::HS256 => keyed(Hs256, Hs256Key::try_from(jwk).map_err(refused)?),
        Alg::HS384 => keyed(Hs384, Hs384Key::try_from(jwk).map_err(refused)?),
        Alg::HS512 => keyed(Hs512, Hs512Key::try_from(jwk).map_err(refused)?),
        Alg::RS256 => rsa(Rsa::rs256())?,
        Alg::RS384 => rsa(Rsa::rs384())?,
        Alg::RS512 => rsa(Rsa::rs512())?,
        Alg::PS256 => rsa(Rsa::ps256())?,
        Alg::PS384 => rsa(Rsa::ps384())?,
        Alg::PS512 => rsa(Rsa::ps512())?,
        Alg::ES256 => keyed(
            Es256,
            <Es256 as Algorithm>::VerifyingKey::try_from(jwk).map_err(refused)?,
        ),
        Alg::EdDSA => keyed(
            Ed25519,
            <Ed25519 as Algorithm>::VerifyingKey::try_from(jwk).map_err(refused)?,
        ),
        Alg::ES384 | Alg::ES512 => return Err(format!("jwt-compact has no {alg}")),
    })
}

/// The validators of one trusted JWK, one per allowed algorithm of its type.
fn validators(jwk: &Jwk, algorithms: &[Alg]) -> Vec<(Alg, Loaded)> {
    let parsed = serde_json::to_value(jwk)
        .and_then(serde_json::from_value::<JsonWebKey<'static>>)
        .map_err(|e| format!("jwt-compact cannot read the JWK: {e}"));
    algorithms
        .iter()
        .filter(|alg| !MISSING.contains(alg) && alg.key_family().kty() == jwk.kty)
        .map(|alg| {
            let validator = match &parsed {
                Ok(parsed) => validator_for(*alg, parsed),
                Err(e) => Err(e.clone()),
            };
            (*alg, validator)
        })
        .collect()
}

impl Adapter for JwtCompactAdapter {
    fn info(&self) -> AdapterInfo {
        AdapterInfo::new(
            "jwt-compact",
            LIBRARY_VERSION,
            Alg::all_but(&MISSING),
            Clock::Injectable,
        )
    }

    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, Verdict> {
        let checks = Checks {
            leeway: true,
            clock: true,
            required: &["exp", "nbf"],
            ..Checks::NONE
        };
        policy.within("jwt-compact", checks)?;
        let (leeway, now) = policy.chrono_window()?;
        let keys = policy
            .keys
            .keys
            .iter()
            .map(|jwk| (jwk.kid.clone(), validators(jwk, &policy.algorithms)))
            .collect();
        Ok(Box::new(JwtCompactVerifier {
            keys,
            leeway,
            now,
            require_exp: policy.required_claims.iter().any(|c| c == "exp"),
            require_nbf: policy.required_claims.iter().any(|c| c == "nbf"),
        }))
    }
}

type TrustedKey = (Option<String>, Vec<(Alg, Loaded)>);

/// A prepared verifier: validators by `kid`, and the time options.
pub struct JwtCompactVerifier {
    keys: Vec<TrustedKey>,
    leeway: Duration,
    now: Option<DateTime<Utc>>,
    require_exp: bool,
    require_nbf: bool,
}

impl Verifier for JwtCompactVerifier {
    fn verify(&self, token: &str) -> Verdict {
        let untrusted = match UntrustedToken::new(token) {
            Ok(t) => t,
            Err(e) => return parse_rejection(&e),
        };
        let kid = untrusted.header().key_id.as_deref();
        let found = match kid {
            Some(kid) => self.keys.iter().find(|(k, _)| k.as_deref() == Some(kid)),
            None if self.keys.len() == 1 => self.keys.first(),
            None => None,
        };
        let Some((_, validators)) = found else {
            return Verdict::rejected(RejectKind::Key, format!("no trusted key for kid {kid:?}"));
        };
        let chosen = validators
            .iter()
            .find(|(alg, _)| alg.as_str() == untrusted.algorithm())
            .or_else(|| validators.first());
        let validator = match chosen {
            Some((_, Ok(v))) => v,
            Some((_, Err(e))) => return Verdict::rejected(RejectKind::Key, e.clone()),
            None => {
                return Verdict::rejected(
                    RejectKind::Key,
                    format!("the key for kid {kid:?} fits none of the allowed algorithms"),
                )
            }
        };
        let token = match validator.validate(&untrusted) {
            Ok(t) => t,
            Err(e) => return validation_rejection(&e),
        };
        let now = self.now;
        let options = TimeOptions::new(self.leeway, move || now.unwrap_or_else(Utc::now));
        let claims = token.claims();
        if self.require_exp || claims.expiration.is_some() {
            if let Err(e) = claims.validate_expiration(&options) {
                return validation_rejection(&e);
            }
        }
        if self.require_nbf || claims.not_before.is_some() {
            if let Err(e) = claims.validate_maturity(&options) {
                return validation_rejection(&e);
            }
        }
        Verdict::accepted(claims_json(claims))
    }
}

/// The claims jwt-compact hands back, as JSON.
fn claims_json(claims: &Claims<CustomClaims>) -> Value {
    serde_json::to_value(claims).unwrap_or(Value::Null)
}

fn parse_rejection(e: &ParseError) -> Verdict {
    Verdict::rejected(RejectKind::Malformed, e.to_string())
}

fn validation_rejection(e: &ValidationError) -> Verdict {
    let kind = match e {
        ValidationError::AlgorithmMismatch { .. } => RejectKind::Algorithm,
        ValidationError::InvalidSignatureLen { .. }
        | ValidationError::MalformedSignature(_)
        | ValidationError::InvalidSignature => RejectKind::Signature,
        ValidationError::MalformedClaims(_) | ValidationError::MalformedCborClaims(_) => {
            RejectKind::Malformed
        }
        ValidationError::NoClaim(_) => RejectKind::MissingClaim,
        ValidationError::Expired => RejectKind::Expired,
        ValidationError::NotMature => RejectKind::NotYetValid,
        _ => RejectKind::Other,
    };
    Verdict::rejected(kind, e.to_string())
}
