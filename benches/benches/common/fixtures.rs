//! Tokens minted once by the harness forge from the fixture keys: never a key generated
//! at run time, never a token made by the verifier under test.

use jwt_conformance::catalogue::common::policy_for;
use jwt_conformance::context::{Context, MARGIN};
use jwt_conformance::forge::{self, keys};
use jwt_conformance::{b64, Alg, Policy};
use serde_json::{json, Value};

/// A claim set of about 300 bytes, shaped like a service's access token, valid at `now`.
pub(crate) fn claims(now: i64) -> Value {
    json!({
        "iss": "https://issuer.example",
        "sub": "user-4f6c2a9e-1b7d-4c3e-9a51-8d2f0e6b7c13",
        "iat": now,
        "nbf": now,
        "exp": now + MARGIN,
        "jti": "b3f1c7e2-5a94-4d8e-8f0a-2c6e9d1b4a77",
        "name": "Ada Lovelace",
        "email": "ada.lovelace@example.com",
        "scope": "openid profile email orders:read orders:write",
        "roles": ["admin", "billing", "support"],
        "tenant": "acme-eu-west",
    })
}

/// A valid token and the policy it is valid under.
pub(crate) struct Valid {
    pub token: String,
    pub policy: Policy,
}

/// A valid `alg` token signed by the algorithm's default fixture key, and the usual
/// policy for it (that key only, that algorithm only, `exp` required).
pub(crate) fn valid(alg: Alg, ctx: &Context) -> Valid {
    Valid {
        token: forge::jwt(alg, keys::default_key_name(alg), &claims(ctx.now)),
        policy: policy_for(ctx, alg),
    }
}

/// The signing input and the raw signature of a compact token.
pub(crate) fn split(token: &str) -> (&str, Vec<u8>) {
    let (input, signature) = token
        .rsplit_once('.')
        .expect("forged tokens have three segments");
    let signature = b64::decode(signature).expect("forged signatures are base64url");
    (input, signature)
}

/// The same token with one bit of its signature flipped.
fn corrupt_signature(token: &str) -> String {
    let (input, mut signature) = split(token);
    signature[0] ^= 1;
    format!("{input}.{}", b64::encode(signature))
}

/// Total length of the `1mb-token` input.
const BIG: usize = 1_000_000;

/// The rejection-path inputs for `alg` at `ctx`, in report order: what an attacker can
/// send without the key.
pub(crate) fn attacks(alg: Alg, ctx: &Context) -> Vec<(&'static str, String)> {
    let key = keys::default_key_name(alg);
    let good = valid(alg, ctx).token;

    let expired = forge::jwt(alg, key, &claims(ctx.now - 2 * MARGIN));

    // A character outside the base64url alphabet in the middle of the payload.
    let (header, rest) = good.split_once('.').expect("three segments");
    let mut payload = rest.to_string();
    let middle = payload.find('.').expect("three segments") / 2;
    payload.replace_range(middle..=middle, "*");
    let malformed = format!("{header}.{payload}");

    // Well-formed, 1 MB long, signed by the trusted key and then corrupted: an attacker
    // cannot sign it, so what matters is how much work a verifier does before saying no.
    let padded = |pad: usize| {
        let mut big = claims(ctx.now);
        big["pad"] = Value::from("a".repeat(pad));
        forge::jwt(alg, key, &big)
    };
    let base = padded(0).len();
    let big = corrupt_signature(&padded((BIG - base) * 3 / 4));
    assert!(
        big.len().abs_diff(BIG) < 8,
        "1 MB token is {} bytes",
        big.len()
    );

    vec![
        ("bad-signature", corrupt_signature(&good)),
        ("expired", expired),
        ("malformed-base64", malformed),
        ("1mb-token", big),
        ("million-dots", ".".repeat(BIG)),
    ]
}
