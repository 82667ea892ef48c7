//! Validation throughput of every in-process adapter that can share a process, the
//! signature primitives alone (the limit), the harness's own cost, and a whole suite run.

mod common;

use common::fixtures::{claims, split, valid};
use common::MakeAdapter;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use jsonwebtoken::crypto::CryptoProvider;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use jwt_conformance::forge::keys;
use jwt_conformance::properties::PropertyConfig;
use jwt_conformance::runner::{observe, Observation, DEFAULT_TIMEOUT};
use jwt_conformance::{Adapter, Alg, Case, Context, Suite, Verdict};
use jwt_conformance_jsonwebtoken::JsonwebtokenAdapter;
use serde_json::Value;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

/// jsonwebtoken picks its crypto backend once per process. Another adapter in this
/// workspace turns on its aws-lc-rs feature too, so this binary says which one the
/// `jsonwebtoken` rows measure: the pure-Rust one its adapter is documented to use.
fn use_rust_crypto_for_jsonwebtoken() {
    let wanted = &jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER;
    let _ = CryptoProvider::install_default(wanted);
    let installed = CryptoProvider::try_get_default().map(|p| std::ptr::eq(p, wanted));
    assert_eq!(
        installed,
        Some(true),
        "jsonwebtoken's rust_crypto provider must be the process default in this bench"
    );
}

/// The registry's in-process adapters that can share this process, the lenient
/// reference left out (the strict one is the baseline).
fn in_process() -> Vec<MakeAdapter> {
    jwt_conformance_registry::all()
        .into_iter()
        .filter(|b| b.shares_process && b.name != "reference-lenient")
        .map(|b| b.make)
        .collect()
}

fn adapters(c: &mut Criterion) {
    use_rust_crypto_for_jsonwebtoken();
    common::per_adapter::bench(c, &in_process());
}

/// A signature check with everything about the key parsed beforehand.
type Check = Box<dyn Fn(&[u8], &[u8]) -> bool>;

/// The primitive alone with aws-lc-rs, key prepared once.
fn aws_lc(alg: Alg) -> Check {
    use aws_lc_rs::{hmac, signature as sig};
    let jwk = keys::public(keys::default_key_name(alg));
    let hmac_key = |a| hmac::Key::new(a, &jwk.hmac_secret().expect("oct fixture"));
    let parsed = |a: &'static dyn sig::VerificationAlgorithm, bytes: Vec<u8>| {
        let key = sig::ParsedPublicKey::new(a, bytes).expect("fixture key parses");
        Box::new(move |m: &[u8], s: &[u8]| key.verify_sig(m, s).is_ok()) as Check
    };
    let rsa = || jwk.rsa_public_key_pkcs1_der().expect("RSA fixture");
    let ec = || jwk.ec_sec1_point().expect("EC fixture");
    match alg {
        Alg::HS256 | Alg::HS384 | Alg::HS512 => {
            let key = hmac_key(match alg {
                Alg::HS256 => hmac::HMAC_SHA256,
                Alg::HS384 => hmac::HMAC_SHA384,
                _ => hmac::HMAC_SHA512,
            });
            Box::new(move |m, s| hmac::verify(&key, m, s).is_ok())
        }
        Alg::RS256 => parsed(&sig::RSA_PKCS1_2048_8192_SHA256, rsa()),
        Alg::PS256 => parsed(&sig::RSA_PSS_2048_8192_SHA256, rsa()),
        Alg::ES256 => parsed(&sig::ECDSA_P256_SHA256_FIXED, ec()),
        Alg::ES384 => parsed(&sig::ECDSA_P384_SHA384_FIXED, ec()),
        Alg::EdDSA => {
            let x = jwk.ed25519_public_bytes().expect("Ed25519 fixture");
            parsed(&sig::ED25519, x.to_vec())
        }
        other => panic!("no primitive measured for {other}"),
    }
}

/// The primitive alone with RustCrypto, key prepared once.
fn rust_crypto(alg: Alg) -> Check {
    use hmac::{KeyInit, Mac};
    use sha2::{Sha256, Sha384, Sha512};
    use signature::Verifier as _;
    let jwk = keys::public(keys::default_key_name(alg));
    fn keyed<M: Mac + KeyInit + Clone + 'static>(secret: &[u8]) -> Check {
        let keyed = <M as KeyInit>::new_from_slice(secret).expect("HMAC takes any key");
        Box::new(move |m, s| {
            let mut mac = keyed.clone();
            mac.update(m);
            mac.verify_slice(s).is_ok()
        })
    }
    let secret = || jwk.hmac_secret().expect("oct fixture");
    let rsa = || jwk.rsa_public_key().expect("RSA fixture");
    match alg {
        Alg::HS256 => keyed::<hmac::Hmac<Sha256>>(&secret()),
        Alg::HS384 => keyed::<hmac::Hmac<Sha384>>(&secret()),
        Alg::HS512 => keyed::<hmac::Hmac<Sha512>>(&secret()),
        Alg::RS256 => {
            let key = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(rsa());
            Box::new(move |m, s| {
                rsa::pkcs1v15::Signature::try_from(s).is_ok_and(|s| key.verify(m, &s).is_ok())
            })
        }
        Alg::PS256 => {
            let key = rsa::pss::VerifyingKey::<Sha256>::new(rsa());
            Box::new(move |m, s| {
                rsa::pss::Signature::try_from(s).is_ok_and(|s| key.verify(m, &s).is_ok())
            })
        }
        Alg::ES256 => {
            let key = p256::ecdsa::VerifyingKey::from(jwk.p256_public_key().expect("P-256"));
            Box::new(move |m, s| {
                p256::ecdsa::Signature::from_slice(s).is_ok_and(|s| key.verify(m, &s).is_ok())
            })
        }
        Alg::ES384 => {
            let key = p384::ecdsa::VerifyingKey::from(jwk.p384_public_key().expect("P-384"));
            Box::new(move |m, s| {
                p384::ecdsa::Signature::from_slice(s).is_ok_and(|s| key.verify(m, &s).is_ok())
            })
        }
        Alg::EdDSA => {
            let key = jwk.ed25519_public_key().expect("Ed25519 fixture");
            Box::new(move |m, s| {
                ed25519_dalek::Signature::from_slice(s).is_ok_and(|s| key.verify(m, &s).is_ok())
            })
        }
        other => panic!("no primitive measured for {other}"),
    }
}

/// `primitive/BACKEND/ALG`: the signature check alone on the signing input of the same
/// valid token the adapters verify.
fn primitives(c: &mut Criterion) {
    let ctx = Context::listing();
    let mut group = c.benchmark_group("primitive");
    for (backend, make) in [
        ("aws-lc-rs", aws_lc as fn(Alg) -> Check),
        ("rustcrypto", rust_crypto),
    ] {
        for alg in common::ALGS {
            let token = valid(alg, &ctx).token;
            let (input, signature) = split(&token);
            let check = make(alg);
            assert!(check(input.as_bytes(), &signature), "{backend} {alg}");
            group.bench_function(BenchmarkId::new(backend, alg), |b| {
                b.iter(|| check(black_box(input.as_bytes()), black_box(&signature)))
            });
        }
    }
    group.finish();
}

/// `overhead/PATH/HS256`: one HS256 verify by jsonwebtoken, called directly and through
/// the harness.
///
/// - `direct-decode`: `jsonwebtoken::decode` with the key and `Validation` the adapter
///   builds for this policy.
/// - `direct-jwks`: what an application with a JWK Set writes, and what the adapter
///   does: `decode_header`, pick the key by `kid`, `decode`.
/// - `adapter-trait`: `Arc<dyn Adapter>` → prepared `Box<dyn Verifier>` → `verify`, the
///   path every other measurement here takes.
/// - `runner-observe`: `runner::observe`, the conformance runner's isolation of one
///   case: prepare from the policy, verify, on a fresh worker thread with a time limit.
fn overhead(c: &mut Criterion) {
    use_rust_crypto_for_jsonwebtoken();
    let adapter: Arc<dyn Adapter> = Arc::new(JsonwebtokenAdapter);
    let ctx = Context::for_adapter(&adapter.info());
    let fixture = valid(Alg::HS256, &ctx);
    let token = fixture.token.as_str();

    let jwks: JwkSet = serde_json::to_value(&fixture.policy.keys)
        .and_then(serde_json::from_value)
        .expect("jsonwebtoken reads the fixture JWK Set");
    let keys: Vec<(Option<String>, DecodingKey)> = jwks
        .keys
        .iter()
        .map(|jwk| {
            let key = DecodingKey::from_jwk(jwk).expect("oct fixture");
            (jwk.common.key_id.clone(), key)
        })
        .collect();
    let mut validation = Validation::new(Algorithm::HS256);
    validation.algorithms = vec![Algorithm::HS256];
    validation.leeway = fixture.policy.leeway;
    validation.validate_exp = true;
    validation.validate_nbf = true;
    validation.required_spec_claims = fixture.policy.required_claims.iter().cloned().collect();

    let direct = |t: &str| decode::<Value>(t, &keys[0].1, &validation);
    let direct_jwks = |t: &str| {
        let header = decode_header(t)?;
        let key = keys
            .iter()
            .find(|(kid, _)| *kid == header.kid)
            .map(|(_, key)| key)
            .ok_or(jsonwebtoken::errors::ErrorKind::InvalidToken)?;
        decode::<Value>(t, key, &validation)
    };
    let verifier = adapter
        .prepare(&fixture.policy)
        .expect("jsonwebtoken expresses the HS256 policy");
    let case = Case::builder("bench/hs256", "A valid HS256 token")
        .refs(["RFC7519#section-7.2"])
        .token(token)
        .policy(fixture.policy.clone())
        .expect_accept(&claims(ctx.now))
        .build();

    assert!(direct(token).is_ok() && direct_jwks(token).is_ok());
    assert!(matches!(verifier.verify(token), Verdict::Accepted { .. }));
    assert!(matches!(
        observe(&adapter, &case, DEFAULT_TIMEOUT),
        Observation::Verdict(Verdict::Accepted { .. })
    ));

    let mut group = c.benchmark_group("overhead");
    group.bench_function(BenchmarkId::new("direct-decode", Alg::HS256), |b| {
        b.iter(|| direct(black_box(token)))
    });
    group.bench_function(BenchmarkId::new("direct-jwks", Alg::HS256), |b| {
        b.iter(|| direct_jwks(black_box(token)))
    });
    group.bench_function(BenchmarkId::new("adapter-trait", Alg::HS256), |b| {
        b.iter(|| verifier.verify(black_box(token)))
    });
    group.bench_function(BenchmarkId::new("runner-observe", Alg::HS256), |b| {
        b.iter(|| observe(&adapter, black_box(&case), DEFAULT_TIMEOUT))
    });
    group.finish();
}

/// `suite/catalogue/ADAPTER`: a fresh suite's default run without the properties, as
/// `jwt-conformance run --proptest-cases 0` does it: the catalogue built, every case
/// observed and scored, the manifest checked. `suite/run/ADAPTER`: the whole default run,
/// properties included (fixed seed, default case count), as `jwt-conformance run` does
/// it. Every in-process adapter of the registry that can share this process.
fn suite(c: &mut Criterion) {
    use_rust_crypto_for_jsonwebtoken();
    let mut group = c.benchmark_group("suite");
    // Seconds per iteration: the fewest samples criterion allows, one run each.
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    let builtins: Vec<_> = jwt_conformance_registry::all()
        .into_iter()
        .filter(|b| b.shares_process && b.name != "reference-lenient")
        .collect();
    let run = |builtin: &jwt_conformance_registry::Builtin, cases: u32| {
        Suite::new(builtin.adapter())
            .manifest(builtin.manifest().expect("the manifest parses"))
            .properties(PropertyConfig {
                cases: Some(cases),
                seed: jwt_conformance::properties::SeedChoice::Fixed(0),
                ..PropertyConfig::default()
            })
            .run()
            .expect("the manifest names known cases")
    };
    for builtin in &builtins {
        group.bench_function(BenchmarkId::new("catalogue", builtin.name), |b| {
            b.iter(|| run(builtin, 0))
        });
    }
    // The property checks take a second or more a run: left out of the quick mode, which
    // only has to keep the benches from rotting.
    if !common::quick() {
        group.measurement_time(Duration::from_secs(30));
        for builtin in &builtins {
            group.bench_function(BenchmarkId::new("run", builtin.name), |b| {
                b.iter(|| run(builtin, jwt_conformance::properties::DEFAULT_CASES))
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = adapters, primitives, overhead, suite
}
criterion_main!(benches);
