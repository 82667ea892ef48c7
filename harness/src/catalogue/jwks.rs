//! `jwks/*`: verifiers that fetch their keys from a remote JWK Set (RFC 7517 section 5;
//! OpenID Connect Core section 10.1.1), scripted step by step against the loopback
//! issuer (see [`crate::scenario`]).
//!
//! K1 (`ec-p256-a`) is the key the issuer starts with, K2 (`ec-p256-b`) the key it
//! rotates in, Kx (`ec-p256-c`) the attacker's, which the issuer never publishes as its
//! key set. Every token is an ES256 token whose `kid` names its key unless a case says
//! otherwise. Each case sets its own cache settings ([`Cache`]): short ones where the
//! case is about time passing, long ones where time must not matter (so a slow verifier
//! is judged like a fast one). No case takes more than about a second and a half.
//!
//! Levels. The JOSE RFCs define the key set (RFC 7517 section 5) but say nothing about
//! fetching it: how often, for how long a fetched set may be used, what to do with a
//! failed fetch, a redirect, a huge or slow body. That is deployment practice (OpenID
//! Connect Core section 10.1.1 on rotation, RFC 8725 section 3.10 on URLs from tokens,
//! the clients' own documentation and CVEs), so most cases here are `strict`, whatever
//! their severity: in a default run a verifier that misses one is reported, not failed.
//! The cases that are `rfc`: a valid token under the fetched set is accepted (RFC 7519
//! section 7.2), and a token signed by a key that no fetched set ever held is rejected
//! (RFC 7515 section 5.2), whether or not its header points at that key. A JWK `alg`
//! that differs from the token's is `bcp` (RFC 8725 section 3.1). Whether a set past its
//! max age that cannot be refreshed may still be used is left open (`either`). A hang
//! fails at every level: a verify step with a time bound that is not met, or a verifier
//! that never answers, stops the scenario.
//!
//! Not here: two issuers with a key set each. The policy names one remote key set
//! ([`Policy::jwks`]) and one expected issuer; binding sets to issuers would need a new
//! shape for the protocol's `jwks` member, which would break the wrappers that read it.

use crate::alg::Alg;
use crate::case::{Case, CaseBuilder, Expected, Severity};
use crate::catalogue::common::valid_claims;
use crate::context::Context;
use crate::forge::{self, keys};
use crate::issuer::Reply;
use crate::jwk::{Jwk, JwkSet};
use crate::policy::{Policy, RemoteJwks};
use crate::scenario::{Step, JWKS_FILE};
use crate::verdict::RejectKind;
use serde_json::{json, Value};
use std::time::Duration;

const ALG: Alg = Alg::ES256;
/// The key the issuer serves first.
const K1: &str = "ec-p256-a";
/// The key the issuer rotates in.
const K2: &str = "ec-p256-b";
/// The attacker's key: never in a key set the issuer serves with `200`.
const KX: &str = "ec-p256-c";

/// The least time between fetches for an unknown `kid`, in the cases about cooldowns.
pub const COOLDOWN_MS: u64 = 200;
/// How long a fetched set may be used, in the cases about refreshing it.
pub const MAX_AGE_MS: u64 = 600;
/// How long one fetch may take.
pub const TIMEOUT_MS: u64 = 250;
/// Longer than any case: no refresh or refetch is due within it.
const LONG_MS: u64 = 10_000;
/// The bound on a verification while the endpoint stalls: six times the fetch timeout.
const WITHIN: Duration = Duration::from_millis(6 * TIMEOUT_MS);
/// The pace of a huge body: a MiB every 50 ms, 20 MiB a second. Fast enough that a
/// client bounded in size or time stops well within [`WITHIN`], slow enough that reading
/// it all takes seconds however fast the machine: whether a client is bounded then
/// decides the verdict, not how fast it reads.
const HUGE_PACE: (usize, Duration) = (1024 * 1024, Duration::from_millis(50));
/// A wait that ends past the cooldown.
const PAST_COOLDOWN: Duration = Duration::from_millis(COOLDOWN_MS + 150);
/// A wait that ends past the max age.
const PAST_MAX_AGE: Duration = Duration::from_millis(MAX_AGE_MS + 250);
/// How long a stalled endpoint holds its answer back (then it answers, so nothing
/// lingers): well past the fetch timeout and the step bound.
const STALL: Duration = Duration::from_secs(3);

/// The cache settings of one case.
#[derive(Clone, Copy, Debug)]
struct Cache {
    cooldown_ms: u64,
    max_age_ms: u64,
}

/// Nothing is due during the case: one fetch serves it all.
const STEADY: Cache = Cache {
    cooldown_ms: LONG_MS,
    max_age_ms: LONG_MS,
};
/// An unknown `kid` may cause a fetch after the cooldown; the set never ages out.
const COOLING: Cache = Cache {
    cooldown_ms: COOLDOWN_MS,
    max_age_ms: LONG_MS,
};
/// The set ages out during the case.
const AGING: Cache = Cache {
    cooldown_ms: COOLDOWN_MS,
    max_age_ms: MAX_AGE_MS,
};

const SET_DEFINED: &str = "RFC 7517 section 5 defines the JWK Set a verifier fetches and \
    nothing about fetching it";
const ROTATION: &str = "OpenID Connect Core 10.1.1: \"The verifier knows to go back to the \
    jwks_uri location to re-retrieve the keys when it sees an unfamiliar kid value. The JWK Set \
    document at the jwks_uri SHOULD retain recently decommissioned signing keys for a reasonable \
    period of time to facilitate a smooth transition.\"";
const PROVENANCE: &str = "RFC 7517 9.1: \"One should place no more trust in the data \
    cryptographically secured by a key than in the method by which it was obtained and in the \
    trustworthiness of the entity asserting an association with the key.\"";
const NOT_TRUSTED: &str = "RFC 7515 5.2: \"If any of the listed steps fails, then the signature \
    or MAC cannot be validated\", and RFC 7519 7.2: \"If any of the listed steps fail, then the \
    JWT MUST be rejected\"";
const SSRF: &str = "RFC 8725 3.10: \"blindly following a \"jku\" (JWK set URL) or \"x5u\" \
    (X.509 URL) header, which may contain an arbitrary URL, could result in server-side request \
    forgery (SSRF) attacks. Applications SHOULD protect against such attacks\"";
const NO_BOUND: &str = "No RFC bounds it (strict): a convention of this suite, which the \
    widespread clients follow by default";

/// The jwks cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let mut out = fetching(ctx);
    out.extend(failing(ctx));
    out.extend(keys_served(ctx));
    out.extend(urls(ctx));
    out
}

/// Fetching, caching, rotating, refreshing, flooding.
fn fetching(ctx: &Context) -> Vec<Case> {
    let claims = valid_claims(ctx);
    let accept = || Expected::accept(&claims);
    let k1 = token(ctx, K1);
    let k2 = token(ctx, K2);
    let flood: Vec<String> = (0..300)
        .map(|i| signed(ctx, KX, Some(&format!("flood-{i:03}")), &[]))
        .collect();
    vec![
        case(ctx, "initial-fetch", "A token signed by a key of the fetched set is accepted", STEADY)
            .severity(Severity::High)
            .rfc("RFC7519#section-7.2")
            .refs(["RFC7517#section-5"])
            .sends(format!("one valid ES256 token signed by {K1}, the only key of the set the issuer serves"))
            .requirement(format!(
                "RFC 7519 7.2 lists the steps of validating a JWT (\"If any of the listed steps \
                 fail, then the JWT MUST be rejected\"), and this token passes every one under the \
                 key set the verifier was told to fetch: it is a valid JWT, accepted with exactly \
                 the signed claims (rfc). {SET_DEFINED}."
            ))
            .token(k1.clone())
            .expect_accept(&claims)
            .scenario(vec![
                Step::serve(set(&[K1])),
                Step::verify(k1.clone(), accept(), "K1 verifies with the fetched set"),
            ])
            .build(),
        case(ctx, "many-tokens-one-fetch", "Twenty tokens within the max age cost one fetch of the key set", STEADY)
            .severity(Severity::Medium)
            .strict("RFC7517#section-5")
            .refs(["OIDC-Core#section-10.1.1"])
            .sends(format!(
                "twenty valid ES256 tokens signed by {K1}, one after the other, well within the \
                 max age of the key set the issuer serves"
            ))
            .requirement(format!(
                "The first token costs one fetch and the set is then used for its max age: \
                 fetching it per token turns every verification into a request to the issuer. \
                 {SET_DEFINED}; {NO_BOUND}."
            ))
            .token(k1.clone())
            .expect_accept(&claims)
            .scenario(vec![
                Step::serve(set(&[K1])),
                Step::Flood {
                    tokens: vec![k1.clone(); 20],
                    threads: 1,
                    expect: accept(),
                    why: "every token verifies with K1".to_string(),
                },
                Step::fetches(1, 1, "one fetch serves every token within the max age"),
            ])
            .build(),
        case(ctx, "rotation-after-cooldown", "A key rotated in is fetched when a token first names it", COOLING)
            .severity(Severity::Medium)
            .strict("OIDC-Core#section-10.1.1")
            .refs(["RFC7517#section-5"])
            .sends(format!(
                "a token signed by {K1}; then the issuer serves {K1} and {K2}, and after the \
                 {COOLDOWN_MS} ms cooldown a token signed by {K2}, the set still far from its max age"
            ))
            .requirement(format!(
                "{ROTATION} The unfamiliar kid costs one more fetch, which finds K2; K1 still \
                 verifies. A SHOULD-level practice of OpenID Connect, not an RFC MUST (strict)."
            ))
            .token(k2.clone())
            .expect_accept(&claims)
            .scenario(vec![
                Step::serve(set(&[K1])),
                Step::verify(k1.clone(), accept(), "K1 verifies with the first set"),
                Step::serve(set(&[K1, K2])),
                Step::Wait(PAST_COOLDOWN),
                Step::verify(k2.clone(), accept(), "K2's kid is unfamiliar: one more fetch finds it"),
                Step::verify(k1.clone(), accept(), "K1 is still in the set"),
                Step::fetches(2, 2, "the first fetch and the one for K2"),
            ])
            .build(),
        case(ctx, "removed-key-rejected-after-max-age", "A key removed upstream stops verifying once the cached set is past its max age", AGING)
            .severity(Severity::Critical)
            .strict("OIDC-Core#section-10.1.1")
            .refs(["RFC7517#section-5", "CVE-2025-22149"])
            .sends(format!(
                "a token signed by {K1}; then the issuer serves only {K2}, and once the cached set \
                 is past its {MAX_AGE_MS} ms max age, a token signed by {K1} again"
            ))
            .requirement(format!(
                "{ROTATION} A key the issuer no longer publishes is decommissioned, often because \
                 it leaked; a verifier that keeps using a set past the max age it was given keeps \
                 trusting it. The max age is the deployment's setting, which no RFC sets: strict, \
                 critical when missed."
            ))
            .token(k1.clone())
            .expect_reject(RejectKind::Key)
            .scenario(vec![
                Step::serve(set(&[K1])),
                Step::verify(k1.clone(), accept(), "K1 verifies with the first set"),
                Step::serve(set(&[K2])),
                Step::Wait(PAST_MAX_AGE),
                Step::verify(k1.clone(), Expected::reject(RejectKind::Key), "the refreshed set lacks K1"),
                Step::verify(k2.clone(), accept(), "K2 verifies with the refreshed set"),
            ])
            .build(),
        case(ctx, "refresh-replaces-set", "A fetched set replaces the cached one instead of being merged into it", COOLING)
            .severity(Severity::Critical)
            .strict("CVE-2025-22149")
            .refs(["OIDC-Core#section-10.1.1", "RFC7517#section-5"])
            .sends(format!(
                "a token signed by {K1}; then the issuer serves only {K2}, and after the cooldown \
                 a token signed by {K2} (one more fetch) and one signed by {K1}"
            ))
            .requirement(format!(
                "The key set is the document the issuer serves now ({SET_DEFINED}): a refresh \
                 replaces the cache, so a key removed upstream stops verifying at the next fetch. \
                 CVE-2025-22149: a client that appended fetched keys to its cache kept trusting \
                 removed ones, \"a security issue for use cases ... where key removal from a JWK \
                 Set is equivalent to revocation\". Cache behaviour no RFC governs: strict, \
                 critical when missed."
            ))
            .token(k1.clone())
            .expect_reject(RejectKind::Key)
            .scenario(vec![
                Step::serve(set(&[K1])),
                Step::verify(k1.clone(), accept(), "K1 verifies with the first set"),
                Step::serve(set(&[K2])),
                Step::Wait(PAST_COOLDOWN),
                Step::verify(k2.clone(), accept(), "K2's kid is unfamiliar: the fetch finds it"),
                Step::verify(k1.clone(), Expected::reject(RejectKind::Key), "the set fetched for K2 lacks K1"),
            ])
            .build(),
        case(ctx, "unknown-kid-flood-bounded", "A flood of unknown kids is not a flood of fetches", STEADY)
            .severity(Severity::High)
            .strict("OIDC-Core#section-10.1.1")
            .refs(["RFC7517#section-5", "RFC8725#section-3.10"])
            .sends(format!(
                "a token signed by {K1}, then 300 tokens signed by {KX}, each with a kid of its \
                 own that no key has, from four threads; the cooldown is longer than the case"
            ))
            .requirement(format!(
                "{ROTATION} Each unknown kid may justify one fetch, but at most one per cooldown: \
                 otherwise anyone who can send tokens makes the verifier hammer its issuer (the \
                 clients call it a cooldown or a rate limit). Every flood token is rejected, and \
                 the flood costs at most one fetch. {NO_BOUND}."
            ))
            .token(flood[0].clone())
            .expect_reject(RejectKind::Key)
            .scenario(vec![
                Step::serve(set(&[K1])),
                Step::verify(k1.clone(), accept(), "K1 verifies with the first set"),
                Step::Flood {
                    tokens: flood.clone(),
                    threads: 4,
                    expect: Expected::reject(RejectKind::Key),
                    why: "no key has any of these kids".to_string(),
                },
                Step::fetches(1, 2, "at most one fetch for the whole flood"),
                Step::verify(k1.clone(), accept(), "K1 still verifies after the flood"),
            ])
            .build(),
        case(ctx, "known-kid-during-flood", "A known kid verifies while unknown kids flood in", COOLING)
            .severity(Severity::Medium)
            .strict("OIDC-Core#section-10.1.1")
            .refs(["RFC7517#section-5"])
            .sends(format!(
                "200 tokens from eight threads at once: every fourth signed by {K1}, the others \
                 signed by {KX} with kids no key has; the cooldown is {COOLDOWN_MS} ms"
            ))
            .requirement(format!(
                "{ROTATION} Refetching for the unknown kids must not cost the known ones their \
                 keys: each K1 token is accepted, each other one rejected. {NO_BOUND}."
            ))
            .token(k1.clone())
            .expect_accept(&claims)
            .scenario(vec![
                Step::serve(set(&[K1])),
                Step::verify(k1.clone(), accept(), "K1 verifies with the first set"),
                Step::Concurrent {
                    tokens: flood[..200]
                        .iter()
                        .enumerate()
                        .map(|(i, t)| match i % 4 {
                            0 => (k1.clone(), accept()),
                            _ => (t.clone(), Expected::reject(RejectKind::Key)),
                        })
                        .collect(),
                    threads: 8,
                    why: "K1 verifies throughout; the unknown kids do not".to_string(),
                },
            ])
            .build(),
        case(ctx, "cold-start-stampede", "Sixteen concurrent first verifications cost one fetch", STEADY)
            .severity(Severity::Low)
            .strict("RFC7517#section-5")
            .refs(["OIDC-Core#section-10.1.1"])
            .sends(format!("sixteen valid tokens signed by {K1} from sixteen threads at once, before any fetch"))
            .requirement(format!(
                "Concurrent verifications that all need the set wait for one fetch instead of \
                 each starting one (a stampede on every restart). {SET_DEFINED}; {NO_BOUND}."
            ))
            .token(k1.clone())
            .expect_accept(&claims)
            .scenario(vec![
                Step::serve(set(&[K1])),
                Step::Flood {
                    tokens: vec![k1.clone(); 16],
                    threads: 16,
                    expect: accept(),
                    why: "every token verifies with K1".to_string(),
                },
                Step::fetches(1, 1, "one fetch for all sixteen"),
            ])
            .build(),
    ]
}

/// An endpoint that fails, stalls, floods or lies, and what the verifier keeps.
fn failing(ctx: &Context) -> Vec<Case> {
    let claims = valid_claims(ctx);
    let accept = || Expected::accept(&claims);
    let k1 = token(ctx, K1);
    let k2 = token(ctx, K2);
    let kx = token(ctx, KX);
    let unknown = || Expected::reject(RejectKind::Key);
    let timed = |token: &str, expect: Expected, why: &str| Step::Verify {
        token: token.to_string(),
        expect,
        within: Some(WITHIN),
        why: why.to_string(),
    };
    let moved = file_url(ctx, "jwks/redirect-not-trusted", "moved.json");
    let mut out = vec![
        case(ctx, "outage-503-keeps-cache", "A 503 from the issuer leaves the cached keys verifying", COOLING)
            .severity(Severity::High)
            .strict("RFC7517#section-5")
            .refs(["OIDC-Core#section-10.1.1"])
            .sends(format!(
                "a token signed by {K1}; then the issuer answers 503, and after the cooldown a token \
                 with an unknown kid (a failed fetch) and a token signed by {K1}; then the issuer \
                 serves {K1} and {K2} again, and after the cooldown a token signed by {K2}"
            ))
            .requirement(format!(
                "A failed fetch changes nothing: the set fetched before still holds within its \
                 max age (wiping it turns one failed request into an outage of every \
                 verification), and the verifier fetches again once the issuer is back. \
                 {SET_DEFINED}; {NO_BOUND}."
            ))
            .token(k1.clone())
            .expect_accept(&claims)
            .scenario(vec![
                Step::serve(set(&[K1])),
                Step::verify(k1.clone(), accept(), "K1 verifies with the first set"),
                Step::serve(Reply::status(503)),
                Step::Wait(PAST_COOLDOWN),
                Step::verify(kx.clone(), unknown(), "an unknown kid; the fetch it causes fails"),
                Step::verify(k1.clone(), accept(), "K1 still verifies with the cached set"),
                Step::serve(set(&[K1, K2])),
                Step::Wait(PAST_COOLDOWN),
                Step::verify(k2.clone(), accept(), "the issuer is back: K2 is fetched"),
            ])
            .build(),
        case(ctx, "outage-timeout-keeps-cache", "A stalled issuer leaves the cached keys verifying, without stalling them", COOLING)
            .severity(Severity::High)
            .strict("RFC7517#section-5")
            .refs(["OIDC-Core#section-10.1.1"])
            .sends(format!(
                "a token signed by {K1}; then the issuer holds every answer back for {} s, and \
                 after the cooldown a token with an unknown kid (a fetch that times out after \
                 {TIMEOUT_MS} ms) and a token signed by {K1}, each to be answered within {} ms",
                STALL.as_secs(),
                WITHIN.as_millis()
            ))
            .requirement(format!(
                "A fetch that takes longer than its timeout is abandoned, so a stalled issuer \
                 delays a verification by the timeout at most, and the set fetched before still \
                 holds. {SET_DEFINED}; {NO_BOUND}."
            ))
            .token(k1.clone())
            .expect_accept(&claims)
            .scenario(vec![
                Step::serve(set(&[K1])),
                Step::verify(k1.clone(), accept(), "K1 verifies with the first set"),
                Step::serve(set(&[K1]).after(STALL)),
                Step::Wait(PAST_COOLDOWN),
                timed(&kx, unknown(), "an unknown kid; the fetch it causes times out"),
                timed(&k1, accept(), "K1 still verifies with the cached set"),
            ])
            .build(),
        case(ctx, "outage-past-max-age", "A set past its max age that cannot be refreshed: fail closed or keep the last good set", AGING)
            .severity(Severity::Info)
            .rfc("RFC7517#section-5")
            .refs(["OIDC-Core#section-10.1.1"])
            .sends(format!(
                "a token signed by {K1}; then the issuer stalls and answers 503, and once the \
                 cached set is past its {MAX_AGE_MS} ms max age a token signed by {K1}, to be \
                 answered within {} ms",
                WITHIN.as_millis()
            ))
            .requirement(format!(
                "{SET_DEFINED}: whether a verifier that cannot refresh a set past its max age \
                 fails closed (verifying nothing with a stale set) or keeps the last set it \
                 fetched is the deployment's choice, and either answer passes; the detail says \
                 which. The answer must still come within the bound, and an acceptance must carry \
                 the signed claims."
            ))
            .token(k1.clone())
            .expect_either("no RFC says how long a fetched key set may be used once it cannot be refreshed")
            .scenario(vec![
                Step::serve(set(&[K1])),
                Step::verify(k1.clone(), accept(), "K1 verifies with the first set"),
                Step::serve(Reply::status(503).after(STALL)),
                Step::Wait(PAST_MAX_AGE),
                timed(
                    &k1,
                    Expected::Either { why: "fail closed, or keep the last good set".to_string() },
                    "the set is stale and the refresh times out",
                ),
            ])
            .build(),
        case(ctx, "error-status-body-not-trusted", "A key in the body of a 500 answer is not trusted", COOLING)
            .severity(Severity::Critical)
            .strict("RFC7517#section-9.1")
            .refs(["RFC7517#section-5", "RFC7515#section-10.3"])
            .sends(format!(
                "a token signed by {K1}; then the issuer answers 500 with a JWK Set holding {KX} as \
                 its body, and after the cooldown a token signed by {KX} and one by {K1}"
            ))
            .requirement(format!(
                "{PROVENANCE} A 500 answer is an error, not the key set: its body is whatever an \
                 error page holds, and nothing in it is a key of the issuer. The JOSE RFCs do not \
                 speak of HTTP statuses, so this is strict, critical when missed."
            ))
            .token(kx.clone())
            .expect_reject(RejectKind::Key)
            .scenario(vec![
                Step::serve(set(&[K1])),
                Step::verify(k1.clone(), accept(), "K1 verifies with the first set"),
                Step::serve(set(&[KX]).with_status(500)),
                Step::Wait(PAST_COOLDOWN),
                Step::verify(kx.clone(), unknown(), "Kx came only in an error answer"),
                Step::verify(k1.clone(), accept(), "K1 still verifies with the cached set"),
            ])
            .build(),
        case(ctx, "redirect-not-trusted", "A redirect to a set holding the attacker's key does not make it trusted", COOLING)
            .severity(Severity::Critical)
            .strict("RFC7517#section-9.1")
            .refs(["RFC7517#section-5", "RFC7515#section-10.3"])
            .sends(format!(
                "a token signed by {K1}; then the issuer answers 302 to another path, which serves \
                 a set holding {KX}, and after the cooldown a token signed by {KX} and one by {K1}"
            ))
            .requirement(format!(
                "{PROVENANCE} The verifier was given one URL for its keys; a redirect elsewhere \
                 is not followed (the widespread clients refuse them), or at least what it leads \
                 to is not trusted. HTTP lets clients follow redirects and no JOSE RFC forbids \
                 it: strict, critical when missed."
            ))
            .token(kx.clone())
            .expect_reject(RejectKind::Key)
            .scenario(vec![
                Step::serve(set(&[K1])),
                Step::verify(k1.clone(), accept(), "K1 verifies with the first set"),
                Step::Serve {
                    file: "moved.json".to_string(),
                    queue: Vec::new(),
                    then: set(&[KX]),
                },
                Step::serve(Reply::redirect(302, &moved)),
                Step::Wait(PAST_COOLDOWN),
                Step::verify(kx.clone(), unknown(), "Kx is only behind the redirect"),
                Step::verify(k1.clone(), accept(), "K1 still verifies with the cached set"),
            ])
            .build(),
    ];
    for (name, title, reply, sends) in [
        (
            "huge-body-bounded",
            "A 100 MiB key set body fails the fetch without stalling verification",
            Reply::huge(100 * 1024 * 1024, br#"{"keys":["#)
                .with_header("Content-Type", "application/json")
                .trickle(HUGE_PACE.0, HUGE_PACE.1),
            "a body of 100 MiB that never closes its JSON array, at 20 MiB a second",
        ),
        (
            "trickle-body-bounded",
            "A key set trickled at one byte a second fails the fetch without stalling verification",
            set(&[K1, K2]).trickle(1, Duration::from_secs(1)),
            "the set of K1 and K2 one byte a second",
        ),
    ] {
        out.push(
            case(ctx, name, title, COOLING)
                .severity(Severity::High)
                .strict("RFC7517#section-5")
                .refs(["OIDC-Core#section-10.1.1"])
                .sends(format!(
                    "a token signed by {K1}; then the issuer serves {sends}, and after the \
                     cooldown a token signed by {K2} (a fetch) and one by {K1}, each to be \
                     answered within {} ms",
                    WITHIN.as_millis()
                ))
                .requirement(format!(
                    "A fetch is bounded in size and in time ({TIMEOUT_MS} ms here, for the \
                     whole body, not per read): a body too big or too slow fails the fetch, the \
                     token that needed it is rejected, and the cached keys still verify. \
                     {SET_DEFINED}; {NO_BOUND}."
                ))
                .token(k2.clone())
                .expect_reject(RejectKind::Key)
                .scenario(vec![
                    Step::serve(set(&[K1])),
                    Step::verify(k1.clone(), accept(), "K1 verifies with the first set"),
                    Step::serve(reply),
                    Step::Wait(PAST_COOLDOWN),
                    timed(&k2, unknown(), "K2 needs a fetch, which fails"),
                    timed(&k1, accept(), "K1 still verifies with the cached set"),
                ])
                .build(),
        );
    }
    out
}

/// Sets whose keys are unusable, unfit or not keys of the issuer at all.
fn keys_served(ctx: &Context) -> Vec<Case> {
    let claims = valid_claims(ctx);
    let accept = || Expected::accept(&claims);
    let k1 = token(ctx, K1);
    let k2 = token(ctx, K2);
    let kx = token(ctx, KX);
    let with = |change: &dyn Fn(&mut Jwk)| {
        let mut jwk = keys::public(K1);
        change(&mut jwk);
        serde_json::to_value(jwk).unwrap_or(Value::Null)
    };
    let mut out = Vec::new();
    for (name, title, basis, key, sends, requirement) in [
        (
            "use-enc-key-not-used",
            "A published key whose use is enc does not verify signatures",
            "RFC7517#section-4.2",
            with(&|k| k.use_ = Some("enc".to_string())),
            "\"use\": \"enc\"",
            "RFC 7517 4.2: \"use\" identifies \"the intended use of the public key\": \"sig\" \
             (signature) or \"enc\" (encryption); a key published for encryption is not a key \
             for signatures. Honouring it is hardening (strict): the member is \"OPTIONAL, \
             unless the application requires its presence\".",
        ),
        (
            "key-ops-without-verify",
            "A published key whose key_ops lack verify does not verify signatures",
            "RFC7517#section-4.3",
            with(&|k| k.key_ops = Some(vec!["deriveKey".to_string()])),
            "\"key_ops\": [\"deriveKey\"]",
            "RFC 7517 4.3: \"key_ops\" identifies \"the operation(s) for which the key is \
             intended to be used\"; verifying is \"verify\", which is not listed. Honouring it is \
             hardening (strict): the member is \"OPTIONAL, unless the application requires its \
             presence\".",
        ),
    ] {
        out.push(
            case(ctx, name, title, STEADY)
                .severity(Severity::Medium)
                .strict(basis)
                .refs(["RFC7517#section-5"])
                .sends(format!(
                    "a token signed by {K1}, whose JWK in the served set carries {sends}; the set \
                     also holds {K2}, whose token is accepted"
                ))
                .requirement(requirement)
                .token(k1.clone())
                .expect_reject(RejectKind::Key)
                .scenario(vec![
                    Step::serve(set_of(vec![key, jwk(K2)])),
                    Step::verify(
                        k1.clone(),
                        Expected::reject(RejectKind::Key),
                        "K1 is not for verifying",
                    ),
                    Step::verify(k2.clone(), accept(), "K2 verifies"),
                ])
                .build(),
        );
    }
    let oct = forge::jwt(Alg::HS256, "oct-a", &claims);
    out.extend([
        case(
            ctx,
            "jwk-alg-mismatch",
            "A published key bound to ES384 does not verify an ES256 token",
            STEADY,
        )
        .severity(Severity::Medium)
        .bcp("RFC8725#section-3.1")
        .refs(["RFC7517#section-4.4"])
        .sends(format!(
            "an ES256 token signed by {K1}, whose JWK in the served set carries \"alg\": \
                 \"ES384\"; the set also holds {K2}, whose token is accepted"
        ))
        .requirement(
            "RFC 8725 3.1: \"each key MUST be used with exactly one algorithm, and this MUST be \
                 checked when the cryptographic operation is performed\"; RFC 7517 4.4: the JWK \
                 alg member \"identifies the algorithm intended for use with the key\". The \
                 issuer bound K1 to ES384: only RFC 8725 makes the binding a MUST (bcp).",
        )
        .token(k1.clone())
        .expect_reject(RejectKind::Key)
        .scenario(vec![
            Step::serve(set_of(vec![
                with(&|k| k.alg = Some("ES384".to_string())),
                jwk(K2),
            ])),
            Step::verify(
                k1.clone(),
                Expected::reject(RejectKind::Key),
                "K1 is bound to ES384",
            ),
            Step::verify(k2.clone(), accept(), "K2 verifies"),
        ])
        .build(),
        case(
            ctx,
            "oct-key-not-trusted",
            "An HMAC key published in the key set is not trusted",
            STEADY,
        )
        .severity(Severity::Critical)
        .strict("RFC7517#section-9.2")
        .refs(["RFC7517#section-9.1", "RFC7518#section-3.2"])
        .policy({
            let mut policy = remote_policy(ctx, "jwks/oct-key-not-trusted", STEADY);
            policy.algorithms = vec![ALG, Alg::HS256];
            policy
        })
        .needs_algorithms(&[ALG, Alg::HS256])
        .sends(format!(
            "an HS256 token MACed with oct-a, which the served set publishes (with its \"k\") \
                 beside {K1}; the policy allows ES256 and HS256"
        ))
        .requirement(
            "RFC 7517 9.2: \"Private and symmetric keys MUST be protected from disclosure to \
                 unintended parties.\" A set served without authentication to anyone who asks \
                 discloses its keys: a published HMAC key authenticates nobody, since everyone \
                 who fetched it can MAC. The MUST binds the publisher, and no RFC tells a \
                 verifier to refuse the key, so this is strict, critical when missed.",
        )
        .token(oct.clone())
        .expect_reject(RejectKind::Key)
        .scenario(vec![
            Step::serve(set_of(vec![jwk(K1), secret("oct-a")])),
            Step::verify(
                oct,
                Expected::reject(RejectKind::Key),
                "a published secret proves nothing",
            ),
            Step::verify(k1.clone(), accept(), "K1 verifies"),
        ])
        .build(),
    ]);
    for (name, title, odd, sends) in [
        (
            "unknown-kty-beside-good-key",
            "A key of an unknown type beside K1 leaves K1 verifying",
            json!({"kty": "XYZ", "kid": "future-key", "x": "AAAA"}),
            "a key of type \"XYZ\"",
        ),
        (
            "malformed-key-beside-good-key",
            "A malformed key beside K1 leaves K1 verifying",
            json!({"kty": "EC", "kid": "broken-key", "crv": "P-256", "x": "AAAA", "y": 7}),
            "a P-256 key whose x is three octets and whose y is a number",
        ),
    ] {
        out.push(
            case(ctx, name, title, STEADY)
                .severity(Severity::Medium)
                .strict("RFC7517#section-5")
                .sends(format!(
                    "a token signed by {K1}, from a set that holds {sends} before {K1}"
                ))
                .requirement(
                    "RFC 7517 5: \"Implementations SHOULD ignore JWKs within a JWK Set that use \
                     \"kty\" (key type) values that are not understood by them, that are missing \
                     required members, or for which values are out of the supported ranges.\" \
                     A SHOULD (strict): refusing the whole set for one odd key rejects every \
                     valid token.",
                )
                .token(k1.clone())
                .expect_accept(&claims)
                .scenario(vec![
                    Step::serve(set_of(vec![odd, jwk(K1)])),
                    Step::verify(k1.clone(), accept(), "the odd key is ignored; K1 verifies"),
                ])
                .build(),
        );
    }
    out.push(
        case(
            ctx,
            "unknown-kid-rejected",
            "A token signed by a key the issuer never published is rejected",
            COOLING,
        )
        .severity(Severity::Critical)
        .rfc("RFC7515#section-5.2")
        .refs(["RFC7519#section-7.2", "RFC7517#section-5"])
        .sends(format!(
            "a token signed by {K1}; then, after the cooldown, a token signed by {KX}, whose kid \
                 names it and which no set the issuer serves holds"
        ))
        .requirement(format!(
            "{NOT_TRUSTED}: the signature validates under none of the keys the issuer \
                 publishes, however often the set is fetched (rfc)."
        ))
        .token(kx.clone())
        .expect_reject(RejectKind::Key)
        .scenario(vec![
            Step::serve(set(&[K1])),
            Step::verify(k1, accept(), "K1 verifies with the first set"),
            Step::Wait(PAST_COOLDOWN),
            Step::verify(
                kx,
                Expected::reject(RejectKind::Key),
                "no served set holds Kx",
            ),
        ])
        .build(),
    );
    out
}

/// URLs that come from the token: never fetched, never trusted.
fn urls(ctx: &Context) -> Vec<Case> {
    let claims = valid_claims(ctx);
    let accept = || Expected::accept(&claims);
    let k1 = token(ctx, K1);
    let unknown = || Expected::reject(RejectKind::Key);

    let hid = "jwks/jku-key-not-trusted";
    let jku = file_url(ctx, hid, "jku.json");
    let impersonating = signed(ctx, KX, Some(K1), &[("jku", Value::from(jku.as_str()))]);
    let mut kx_as_k1 = keys::public(KX);
    kx_as_k1.kid = Some(K1.to_string());

    let uid = "jwks/header-urls-not-fetched";
    let jku_kx = signed(
        ctx,
        KX,
        Some(KX),
        &[("jku", Value::from(file_url(ctx, uid, "jku.json")))],
    );
    let x5u_kx = signed(
        ctx,
        KX,
        Some(KX),
        &[("x5u", Value::from(file_url(ctx, uid, "x5u.pem")))],
    );
    let mut from_claims = valid_claims(ctx);
    from_claims["iss"] = Value::from(file_url(ctx, uid, "claims"));
    from_claims["jwks_uri"] = Value::from(file_url(ctx, uid, "claims/jwks.json"));
    let claims_kx = forge::sign_json(
        &forge::header_for(ALG, keys::private(KX)),
        &from_claims,
        ALG,
        keys::private(KX),
    )
    .unwrap_or_default();

    let kid = "kid-probe-6b1f";
    let probe = signed(ctx, KX, Some(kid), &[]);
    vec![
        case(
            ctx,
            "jku-key-not-trusted",
            "A jku pointing at the attacker's key, with the trusted kid, is not trusted",
            COOLING,
        )
        .severity(Severity::Critical)
        .rfc("RFC7515#section-5.2")
        .refs([
            "RFC7515#section-4.1.2",
            "RFC7515#section-10.3",
            "RFC8725#section-3.10",
        ])
        .sends(format!(
            "a token signed by {KX} whose kid is {K1}'s and whose jku points at another path \
                 of the issuer, where a set holds {KX} under {K1}'s kid"
        ))
        .requirement(format!(
            "{NOT_TRUSTED}: the signature validates under none of the keys of the configured \
                 set, and a key the token points at is chosen by whoever made the token (RFC 7515 \
                 10.3: \"The key management technique employed to obtain public keys must \
                 authenticate the origin of the key; otherwise, it is unknown what party signed \
                 the message\"), so this is rfc."
        ))
        .token(impersonating.clone())
        .expect_reject(RejectKind::Signature)
        .scenario(vec![
            Step::serve(set(&[K1])),
            Step::Serve {
                file: "jku.json".to_string(),
                queue: Vec::new(),
                then: set_of(vec![serde_json::to_value(kx_as_k1).unwrap_or(Value::Null)]),
            },
            Step::verify(k1.clone(), accept(), "K1 verifies with the configured set"),
            Step::verify(
                impersonating,
                Expected::reject(RejectKind::Signature),
                "the jku's key is not trusted",
            ),
        ])
        .build(),
        case(
            ctx,
            "header-urls-not-fetched",
            "URLs in a token's header or claims are never fetched",
            COOLING,
        )
        .severity(Severity::High)
        .strict("RFC8725#section-3.10")
        .refs(["RFC7515#section-4.1.2", "RFC7515#section-4.1.5"])
        .sends(format!(
            "tokens signed by {KX}: one whose jku, one whose x5u, and one whose iss and \
                 jwks_uri claims point at paths of the issuer (under jku.json, x5u.pem and \
                 claims/)"
        ))
        .requirement(format!(
            "{SSRF}. A verifier configured with a key set URL has no use for another: every \
                 token is rejected and none of those paths is requested. A SHOULD of RFC 8725 \
                 (strict); the rejections themselves are rfc, as in jku-key-not-trusted."
        ))
        .token(jku_kx.clone())
        .expect_reject(RejectKind::Key)
        .scenario(vec![
            Step::serve(set(&[K1])),
            Step::Serve {
                file: "jku.json".to_string(),
                queue: Vec::new(),
                then: set(&[KX]),
            },
            Step::verify(k1.clone(), accept(), "K1 verifies with the configured set"),
            Step::Wait(PAST_COOLDOWN),
            Step::verify(jku_kx, unknown(), "the jku is not followed"),
            Step::verify(x5u_kx, unknown(), "the x5u is not followed"),
            Step::verify(claims_kx, unknown(), "the claims' URLs are not followed"),
            Step::NoRequestContaining {
                needle: "/jku.json".to_string(),
                why: "the jku was not fetched".to_string(),
            },
            Step::NoRequestContaining {
                needle: "/x5u.pem".to_string(),
                why: "the x5u was not fetched".to_string(),
            },
            Step::NoRequestContaining {
                needle: "/claims".to_string(),
                why: "no URL was built from the claims".to_string(),
            },
        ])
        .build(),
        case(
            ctx,
            "kid-not-in-request",
            "A token's kid never reaches the request line",
            COOLING,
        )
        .severity(Severity::Medium)
        .strict("RFC8725#section-3.10")
        .refs(["RFC7515#section-4.1.4"])
        .sends(format!(
            "a token signed by {K1}; then, after the cooldown, a token signed by {KX} whose kid \
                 is {kid:?}, which no key has (one more fetch)"
        ))
        .requirement(
            "RFC 8725 3.10: \"The \"kid\" (key ID) header is used by the relying application \
                 to perform key lookup. Applications should ensure that this does not create SQL \
                 or LDAP injection vulnerabilities by validating and/or sanitizing the received \
                 value.\" The key set URL is the configured one: a kid spliced into it is \
                 attacker input in a request. Lower-case should (strict).",
        )
        .token(probe.clone())
        .expect_reject(RejectKind::Key)
        .scenario(vec![
            Step::serve(set(&[K1])),
            Step::verify(k1, accept(), "K1 verifies with the configured set"),
            Step::Wait(PAST_COOLDOWN),
            Step::verify(probe, unknown(), "no key has this kid"),
            Step::NoRequestContaining {
                needle: kid.to_string(),
                why: "the unknown kid is not in any request".to_string(),
            },
            Step::NoRequestContaining {
                needle: K1.to_string(),
                why: "nor is the known one".to_string(),
            },
        ])
        .build(),
    ]
}

/// A jwks case: its policy trusts only the key set at its own issuer path, fetched with
/// `cache`'s settings and [`TIMEOUT_MS`].
#[track_caller]
fn case(ctx: &Context, name: &str, title: &str, cache: Cache) -> CaseBuilder {
    let id = format!("jwks/{name}");
    Case::builder(&id, title)
        .policy(remote_policy(ctx, &id, cache))
        .needs_algorithms(&[ALG])
}

/// ES256 only, no policy keys, the case's remote key set with `cache`'s settings.
fn remote_policy(ctx: &Context, id: &str, cache: Cache) -> Policy {
    let mut policy = Policy::new(JwkSet::default(), vec![ALG], ctx.policy_now());
    policy.jwks = Some(RemoteJwks {
        uri: ctx.jwks_uri(id),
        cooldown_ms: cache.cooldown_ms,
        max_age_ms: cache.max_age_ms,
        timeout_ms: TIMEOUT_MS,
    });
    policy
}

/// The URL of `file` in the directory of case `id` on the issuer.
fn file_url(ctx: &Context, id: &str, file: &str) -> String {
    let uri = ctx.jwks_uri(id);
    let dir = uri.strip_suffix(JWKS_FILE).unwrap_or(&uri);
    format!("{dir}{file}")
}

/// The public JWK of the fixture `name`, as JSON.
fn jwk(name: &str) -> Value {
    serde_json::to_value(keys::public(name)).unwrap_or(Value::Null)
}

/// The JWK of the fixture `name` with its private part: for an `oct` key, the secret.
fn secret(name: &str) -> Value {
    serde_json::to_value(keys::private(name)).unwrap_or(Value::Null)
}

/// A `200` JWK Set of exactly these JWKs.
fn set_of(keys: Vec<Value>) -> Reply {
    Reply::json(&json!({ "keys": keys }))
}

/// The public JWK Set of the fixture keys `names`, as the issuer serves it.
fn set(names: &[&str]) -> Reply {
    set_of(names.iter().map(|n| jwk(n)).collect())
}

/// A valid ES256 token whose `kid` names `key`.
fn token(ctx: &Context, key: &str) -> String {
    forge::jwt(ALG, key, &valid_claims(ctx))
}

/// A valid ES256 token signed by `key`, with `kid` (none when `None`) and `extra`
/// header members.
fn signed(ctx: &Context, key: &str, kid: Option<&str>, extra: &[(&str, Value)]) -> String {
    let mut header = json!({"alg": ALG.as_str(), "typ": "JWT"});
    if let Some(kid) = kid {
        header["kid"] = Value::from(kid);
    }
    for (name, value) in extra {
        header[*name] = value.clone();
    }
    forge::sign_json(&header, &valid_claims(ctx), ALG, keys::private(key)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_case_is_a_scenario_with_its_own_remote_set() {
        let ctx = Context::listing();
        let cases = cases(&ctx);
        assert!(cases.len() >= 20, "{}", cases.len());
        let ids: BTreeSet<&str> = cases.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids.len(), cases.len(), "duplicate ids");
        for case in &cases {
            assert!(case.scenario.is_some(), "{}", case.id);
            let jwks = case.policy.jwks.as_ref().expect("a remote set");
            assert!(
                jwks.uri.ends_with(&format!("/{}/jwks.json", case.id)),
                "{}",
                jwks.uri
            );
            assert!(case.policy.keys.keys.is_empty(), "{}", case.id);
            assert!(!case.token.is_empty(), "{}", case.id);
        }
    }

    #[test]
    fn flood_tokens_have_distinct_kids_and_the_attackers_signature() {
        let ctx = Context::listing();
        let flood: BTreeSet<String> = (0..300)
            .map(|i| signed(&ctx, KX, Some(&format!("flood-{i:03}")), &[]))
            .collect();
        assert_eq!(flood.len(), 300);
        let mut kx = keys::public(KX);
        kx.kid = None;
        let token = flood.iter().next().unwrap();
        let (input, sig) = token.rsplit_once('.').unwrap();
        let sig = crate::b64::decode(sig).unwrap();
        assert!(forge::verify(ALG, &kx, input.as_bytes(), &sig));
    }

    #[test]
    fn urls_stay_under_the_case_directory() {
        let ctx = Context::listing();
        let url = file_url(&ctx, "jwks/x", "moved.json");
        assert!(url.ends_with("/jwks/x/moved.json"), "{url}");
    }
}
