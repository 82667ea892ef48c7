//! The forge's JWE against the RFC 7516 Appendix A and RFC 7520 section 5 examples
//! (inputs and outputs in the data crate's `jwe/` files, copied from the RFC texts), and
//! round trips of every `alg` x `enc` pair through [`decrypt`].

use super::*;
use crate::forge::keys;
use serde::Deserialize;
use serde_json::json;

/// Octets as the RFC prints them: an array of numbers (RFC 7516) or base64url (RFC 7520).
#[derive(Deserialize)]
#[serde(untagged)]
enum Octets {
    Array(Vec<u8>),
    Base64url(String),
}

impl Octets {
    fn bytes(&self) -> Vec<u8> {
        match self {
            Octets::Array(bytes) => bytes.clone(),
            Octets::Base64url(text) => b64::decode(text).expect("vector octets are base64url"),
        }
    }
}

/// One file of the data crate's `jwe/` directory (its README describes the members).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // `id`, `title` and `refs` are read by the data crate's own tests.
struct Vector {
    id: String,
    title: String,
    refs: Vec<String>,
    alg: String,
    enc: String,
    key: Option<Jwk>,
    password: Option<String>,
    plaintext: String,
    cek: Option<Octets>,
    iv: Octets,
    ephemeral_key: Option<Jwk>,
    compressed_plaintext: Option<String>,
    derived_cek: Option<String>,
    reproducible: bool,
    token: String,
}

fn oct(secret: &[u8]) -> Jwk {
    Jwk {
        kty: "oct".into(),
        k: Some(b64::encode(secret)),
        ..Jwk::default()
    }
}

/// Rebuilds the vector's token from its inputs and checks it against the RFC's; then
/// decrypts the RFC's token.
fn check_vector(file: &str) {
    let text = jwt_conformance_vectors::jwe_vector(file).unwrap_or_else(|| panic!("no {file}"));
    let v: Vector = serde_json::from_str(text).unwrap_or_else(|e| panic!("{file}: {e}"));
    let alg: KeyManagement = v.alg.parse().unwrap();
    let enc: ContentEncryption = v.enc.parse().unwrap();
    let key = match (&v.key, &v.password) {
        (Some(key), None) => key.clone(),
        (None, Some(password)) => oct(password.as_bytes()),
        _ => panic!("{file}: needs exactly one of key and password"),
    };
    let segments: Vec<Vec<u8>> = v
        .token
        .split('.')
        .map(|s| b64::decode(s).unwrap())
        .collect();
    let header: Value = serde_json::from_slice(&segments[0]).unwrap();
    assert_eq!(header["alg"], v.alg, "{file}");
    assert_eq!(header["enc"], v.enc, "{file}");

    let mut builder = JweBuilder::new(alg, enc)
        .header_bytes(segments[0].clone())
        .iv(v.iv.bytes());
    if let Some(cek) = &v.cek {
        builder = builder.cek(cek.bytes());
    }
    if let Some(epk) = &v.ephemeral_key {
        builder = builder.ephemeral_secret(b64::decode(epk.d.as_deref().unwrap()).unwrap());
    }
    if alg.is_pbes2() {
        let salt = b64::decode(header["p2s"].as_str().unwrap()).unwrap();
        let count = u32::try_from(header["p2c"].as_u64().unwrap()).unwrap();
        builder = builder.pbes2_salt(salt).pbes2_count(count);
    }
    // RFC 7520 5.9 encrypts its own DEFLATE output, which another compressor need not
    // reproduce octet for octet: encrypt those octets as they are.
    let content = match &v.compressed_plaintext {
        Some(compressed) => {
            builder = builder.zip(ZipMode::AsIs);
            b64::decode(compressed).unwrap()
        }
        None => v.plaintext.as_bytes().to_vec(),
    };
    let parts = builder
        .encrypt(&content, &key)
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    if v.reproducible {
        assert_eq!(parts.compact(), v.token, "{file}");
    } else {
        // RSA-OAEP is randomized: the content encryption is reproducible, the
        // encrypted key is checked by decrypting the RFC's with the private key.
        assert_eq!(parts.protected_header, segments[0], "{file}");
        assert_eq!(parts.iv, segments[2], "{file}");
        assert_eq!(parts.ciphertext, segments[3], "{file}");
        assert_eq!(parts.tag, segments[4], "{file}");
    }
    if let Some(derived) = &v.derived_cek {
        assert_eq!(b64::encode(&parts.cek), *derived, "{file}");
    }

    let decrypted = decrypt(&v.token, &key).unwrap_or_else(|e| panic!("{file}: {e}"));
    assert_eq!(decrypted.plaintext, v.plaintext.as_bytes(), "{file}");
    assert_eq!(decrypted.cek, parts.cek, "{file}");
    assert_eq!(decrypted.header, header, "{file}");
    if let Some(cek) = &v.cek {
        assert_eq!(decrypted.cek, cek.bytes(), "{file}");
    }
}

// RFC 7516 Appendix A.1: RSA-OAEP + A256GCM. Ciphertext and tag from the given CEK and
// IV exactly; the appendix's encrypted key decrypts to its CEK.
#[test]
fn rfc7516_a1_rsa_oaep_a256gcm() {
    check_vector("rfc7516-a1-rsa-oaep-a256gcm.json");
}

// RFC 7516 Appendix A.3: A128KW + A128CBC-HS256, the whole token byte for byte.
#[test]
fn rfc7516_a3_a128kw_a128cbc_hs256() {
    check_vector("rfc7516-a3-a128kw-a128cbc-hs256.json");
}

// RFC 7520 section 5.2: RSA-OAEP + A256GCM with a 4096-bit key (content reproduced).
#[test]
fn rfc7520_5_2_rsa_oaep_a256gcm() {
    check_vector("rfc7520-5.2-rsa-oaep-a256gcm.json");
}

// RFC 7520 section 5.3: PBES2-HS512+A256KW (p2c 8192) + A128CBC-HS256.
#[test]
fn rfc7520_5_3_pbes2_hs512_a256kw_a128cbc_hs256() {
    check_vector("rfc7520-5.3-pbes2-hs512-a256kw-a128cbc-hs256.json");
}

// RFC 7520 section 5.4: ECDH-ES+A128KW on P-384 + A128GCM, with its ephemeral key.
#[test]
fn rfc7520_5_4_ecdh_es_a128kw_a128gcm() {
    check_vector("rfc7520-5.4-ecdh-es-a128kw-a128gcm.json");
}

// RFC 7520 section 5.5: ECDH-ES on P-256 + A128CBC-HS256; the agreed CEK is Figure 123.
#[test]
fn rfc7520_5_5_ecdh_es_a128cbc_hs256() {
    check_vector("rfc7520-5.5-ecdh-es-a128cbc-hs256.json");
}

// RFC 7520 section 5.6: dir + A128GCM.
#[test]
fn rfc7520_5_6_dir_a128gcm() {
    check_vector("rfc7520-5.6-dir-a128gcm.json");
}

// RFC 7520 section 5.8: A128KW + A128GCM.
#[test]
fn rfc7520_5_8_a128kw_a128gcm() {
    check_vector("rfc7520-5.8-a128kw-a128gcm.json");
}

// RFC 7520 section 5.9: A128KW + A128GCM over DEFLATE-compressed content (`zip: DEF`).
#[test]
fn rfc7520_5_9_a128kw_a128gcm_deflate() {
    check_vector("rfc7520-5.9-a128kw-a128gcm-deflate.json");
}

#[test]
fn every_jwe_vector_file_has_a_test() {
    let tested = [
        "rfc7516-a1-rsa-oaep-a256gcm.json",
        "rfc7516-a3-a128kw-a128cbc-hs256.json",
        "rfc7520-5.2-rsa-oaep-a256gcm.json",
        "rfc7520-5.3-pbes2-hs512-a256kw-a128cbc-hs256.json",
        "rfc7520-5.4-ecdh-es-a128kw-a128gcm.json",
        "rfc7520-5.5-ecdh-es-a128cbc-hs256.json",
        "rfc7520-5.6-dir-a128gcm.json",
        "rfc7520-5.8-a128kw-a128gcm.json",
        "rfc7520-5.9-a128kw-a128gcm-deflate.json",
    ];
    let files: Vec<&str> = jwt_conformance_vectors::JWE_VECTORS
        .iter()
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(files, tested);
}

/// A recipient key for `alg` and `enc` from the fixtures: RSA and EC fixtures as they
/// are, symmetric keys of the length the algorithm needs cut from the `oct` fixture.
fn key_for(alg: KeyManagement, enc: ContentEncryption, fixture: &str) -> Jwk {
    match alg {
        KeyManagement::RsaOaep | KeyManagement::RsaOaep256 => keys::private(fixture).clone(),
        _ if alg.is_ecdh() => keys::private(fixture).clone(),
        _ => {
            let secret = keys::private(fixture).hmac_secret().unwrap();
            let len = match alg {
                KeyManagement::Dir => enc.cek_len(),
                _ if alg.is_pbes2() => 20,
                _ => alg.wrap_key_len().unwrap(),
            };
            let mut key = oct(&secret[..len]);
            key.kid = Some(format!("{fixture}-{len}"));
            key
        }
    }
}

fn fixtures_for(alg: KeyManagement) -> (&'static str, &'static str) {
    match alg {
        KeyManagement::RsaOaep | KeyManagement::RsaOaep256 => ("rsa-2048-a", "rsa-2048-b"),
        _ if alg.is_ecdh() => ("ec-p256-a", "ec-p256-b"),
        _ => ("oct-a", "oct-b"),
    }
}

#[test]
fn every_alg_and_enc_round_trips_deterministically_and_only_with_its_key() {
    let claims = br#"{"iss":"https://issuer.example","sub":"alice","exp":1700000000}"#;
    for alg in KeyManagement::ALL {
        let (good, other) = fixtures_for(alg);
        for enc in ContentEncryption::ALL {
            let key = key_for(alg, enc, good);
            let builder = JweBuilder::new(alg, enc);
            let token = builder
                .encrypt_compact(claims, &key)
                .unwrap_or_else(|e| panic!("{alg} {enc}: {e}"));
            assert_eq!(
                builder.encrypt_compact(claims, &key).unwrap(),
                token,
                "{alg} {enc}"
            );
            let decrypted = decrypt(&token, &key).unwrap_or_else(|e| panic!("{alg} {enc}: {e}"));
            assert_eq!(decrypted.plaintext, claims, "{alg} {enc}");
            assert_eq!(decrypted.header["alg"], alg.as_str());
            assert_eq!(decrypted.header["enc"], enc.as_str());
            assert_eq!(decrypted.cek.len(), enc.cek_len(), "{alg} {enc}");
            let segments: Vec<&str> = token.split('.').collect();
            assert_eq!(segments.len(), 5);
            assert_eq!(segments[1].is_empty(), alg.determines_cek(), "{alg} {enc}");
            assert_eq!(b64::decode(segments[2]).unwrap().len(), enc.iv_len());
            assert_eq!(b64::decode(segments[4]).unwrap().len(), enc.tag_len());
            assert!(
                decrypt(&token, &key_for(alg, enc, other)).is_err(),
                "{alg} {enc}: decrypted with another key"
            );
        }
    }
}

#[test]
fn ecdh_es_works_on_p384_too() {
    for alg in [KeyManagement::EcdhEs, KeyManagement::EcdhEsA256Kw] {
        let key = keys::private("ec-p384-a");
        let token = JweBuilder::new(alg, ContentEncryption::A256Gcm)
            .party_info(b"Alice".to_vec(), b"Bob".to_vec())
            .encrypt_compact(b"payload", key)
            .unwrap();
        let decrypted = decrypt(&token, key).unwrap();
        assert_eq!(decrypted.plaintext, b"payload");
        assert_eq!(decrypted.header["epk"]["crv"], "P-384");
        assert_eq!(decrypted.header["apu"], b64::encode(b"Alice"));
        assert!(decrypt(&token, keys::private("ec-p384-b")).is_err());
    }
}

#[test]
fn each_random_input_has_its_own_generator_and_the_seed_changes_them_all() {
    let key = key_for(KeyManagement::A128Kw, ContentEncryption::A128Gcm, "oct-a");
    let builder = JweBuilder::new(KeyManagement::A128Kw, ContentEncryption::A128Gcm);
    let plain = builder.encrypt(b"x", &key).unwrap();
    let explicit_cek = builder
        .clone()
        .cek(vec![7u8; 16])
        .encrypt(b"x", &key)
        .unwrap();
    assert_eq!(explicit_cek.cek, vec![7u8; 16]);
    assert_eq!(
        explicit_cek.iv, plain.iv,
        "an explicit CEK must not move the IV"
    );
    let seeded = builder
        .clone()
        .seed(b"another".to_vec())
        .encrypt(b"x", &key)
        .unwrap();
    assert_ne!(seeded.cek, plain.cek);
    assert_ne!(seeded.iv, plain.iv);
    let other_plaintext = builder.encrypt(b"y", &key).unwrap();
    assert_ne!(other_plaintext.iv, plain.iv, "IVs depend on the inputs");
}

#[test]
fn a_header_can_claim_a_huge_p2c_while_the_wrap_uses_a_small_one() {
    let alg = KeyManagement::Pbes2Hs256A128Kw;
    let enc = ContentEncryption::A128CbcHs256;
    let key = key_for(alg, enc, "oct-a");
    let builder = JweBuilder::new(alg, enc)
        .pbes2_count(1000)
        .header_p2c(2_147_483_647u32);
    let header: Value =
        serde_json::from_slice(&builder.protected_header(b"{}", &key).unwrap()).unwrap();
    assert_eq!(header["p2c"], 2_147_483_647u32);
    let parts = builder.encrypt(b"{}", &key).unwrap();
    assert_eq!(parts.protected_header, serde_json::to_vec(&header).unwrap());
    // The key really was wrapped with 1000 iterations.
    let salt = b64::decode(header["p2s"].as_str().unwrap()).unwrap();
    let kek = pbes2_derive_key(alg, &key.hmac_secret().unwrap(), &salt, 1000).unwrap();
    assert_eq!(
        aes_key_unwrap(&kek, &parts.encrypted_key).unwrap(),
        parts.cek
    );
    // The reference decryption refuses the claim before doing the work.
    let err = decrypt(&parts.compact(), &key).unwrap_err();
    assert!(err.0.contains("p2c 2147483647 is over the limit"), "{err}");
    // And the forge refuses to compute an absurd count itself.
    let err = JweBuilder::new(alg, enc)
        .pbes2_count(MAX_FORGE_PBES2_COUNT + 1)
        .encrypt(b"{}", &key)
        .unwrap_err();
    assert!(err.0.contains("header_p2c"), "{err}");
}

#[test]
fn header_members_given_by_the_caller_are_kept() {
    let alg = KeyManagement::Pbes2Hs256A128Kw;
    let enc = ContentEncryption::A128Gcm;
    let key = key_for(alg, enc, "oct-a");
    let header = json!({"alg": alg.as_str(), "enc": enc.as_str(), "p2c": "1000", "cty": "JWT"});
    let bytes = JweBuilder::new(alg, enc)
        .header_json(header)
        .protected_header(b"", &key)
        .unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        text.starts_with(
            r#"{"alg":"PBES2-HS256+A128KW","enc":"A128GCM","p2c":"1000","cty":"JWT","p2s":""#
        ),
        "{text}"
    );
}

#[test]
fn zip_def_compresses_the_plaintext_and_decrypt_inflates_it() {
    let key = key_for(KeyManagement::Dir, ContentEncryption::A256Gcm, "oct-a");
    let claims = format!(r#"{{"sub":"{}"}}"#, "a".repeat(2000));
    let builder =
        JweBuilder::new(KeyManagement::Dir, ContentEncryption::A256Gcm).zip(ZipMode::Deflate);
    let parts = builder.encrypt(claims.as_bytes(), &key).unwrap();
    assert!(
        parts.ciphertext.len() < 200,
        "{} octets",
        parts.ciphertext.len()
    );
    let decrypted = decrypt(&parts.compact(), &key).unwrap();
    assert_eq!(decrypted.header["zip"], "DEF");
    assert_eq!(decrypted.plaintext, claims.as_bytes());
    // Following a header that says zip DEF gives the same token.
    let header = usual_header(KeyManagement::Dir, ContentEncryption::A256Gcm, &key);
    let mut with_zip = header.clone();
    with_zip["zip"] = json!("DEF");
    let followed = JweBuilder::new(KeyManagement::Dir, ContentEncryption::A256Gcm)
        .header_json(with_zip)
        .iv(parts.iv.clone())
        .encrypt(claims.as_bytes(), &key)
        .unwrap();
    assert_eq!(followed, parts);
    // A header without zip leaves the plaintext as it is.
    let plain = JweBuilder::new(KeyManagement::Dir, ContentEncryption::A256Gcm)
        .header_json(header)
        .encrypt(claims.as_bytes(), &key)
        .unwrap();
    assert_eq!(plain.ciphertext.len(), claims.len());
}

#[test]
fn a_compression_bomb_token_is_small_and_inflates_past_its_size() {
    let key = key_for(KeyManagement::A256Kw, ContentEncryption::A256Gcm, "oct-a");
    let bomb = deflate_bomb(br#"{"sub":"bomb"}"#, b' ', 250_000);
    let header = json!({"alg": "A256KW", "enc": "A256GCM", "zip": "DEF"});
    let token = JweBuilder::new(KeyManagement::A256Kw, ContentEncryption::A256Gcm)
        .header_json(header)
        .zip(ZipMode::AsIs)
        .encrypt_compact(&bomb, &key)
        .unwrap();
    assert!(token.len() < 1_000, "{} octets", token.len());
    assert_eq!(decrypt(&token, &key).unwrap().plaintext.len(), 250_000);
    let limits = DecryptLimits {
        max_inflated_len: 100_000,
        ..DecryptLimits::default()
    };
    assert!(decrypt_with_limits(&token, &key, &limits)
        .unwrap_err()
        .0
        .contains("inflates past"));
}

#[test]
fn a_100_mb_bomb_stays_near_the_deflate_limit() {
    let started = std::time::Instant::now();
    let bomb = deflate_bomb(b"{}", b' ', 100_000_000);
    eprintln!(
        "100 MB bomb: {} octets in {:?}",
        bomb.len(),
        started.elapsed()
    );
    // DEFLATE's best ratio is about 1032:1.
    assert!(bomb.len() < 150_000, "{} octets", bomb.len());
    assert!(inflate(&bomb, 1 << 20).is_err());
}

#[test]
fn a_nested_jwt_is_a_jws_as_the_plaintext() {
    let jws = crate::forge::jwt(
        crate::alg::Alg::RS256,
        "rsa-2048-a",
        &json!({"sub": "alice"}),
    );
    let key = keys::private("rsa-2048-b");
    let mut header = usual_header(
        KeyManagement::RsaOaep256,
        ContentEncryption::A128CbcHs256,
        key,
    );
    header["cty"] = json!("JWT");
    let token = JweBuilder::new(KeyManagement::RsaOaep256, ContentEncryption::A128CbcHs256)
        .header_json(header)
        .encrypt_compact(jws.as_bytes(), key)
        .unwrap();
    let decrypted = decrypt(&token, key).unwrap();
    assert_eq!(decrypted.header["cty"], "JWT");
    assert_eq!(decrypted.plaintext, jws.as_bytes());
}

#[test]
fn exact_header_bytes_are_sent_as_they_are() {
    let key = key_for(KeyManagement::A128Kw, ContentEncryption::A128Gcm, "oct-a");
    let odd = br#"{"alg":"HS256","alg":"A128KW","enc":"A128GCM"} "#;
    let parts = JweBuilder::new(KeyManagement::A128Kw, ContentEncryption::A128Gcm)
        .header_bytes(odd.to_vec())
        .encrypt(b"x", &key)
        .unwrap();
    assert_eq!(parts.protected_header, odd);
    assert!(parts.compact().starts_with(&b64::encode(odd)));
}

#[test]
fn bad_inputs_are_errors_not_panics() {
    use ContentEncryption::*;
    use KeyManagement::*;
    let rsa = keys::private("rsa-2048-a");
    let ec = keys::private("ec-p256-a");
    let k16 = key_for(A128Kw, A128Gcm, "oct-a");
    let cases: Vec<(&str, Result<JweParts, JweError>, &str)> = vec![
        (
            "oaep with oct",
            JweBuilder::new(RsaOaep, A128Gcm).encrypt(b"x", &k16),
            "expected a RSA JWK",
        ),
        (
            "kw with rsa",
            JweBuilder::new(A128Kw, A128Gcm).encrypt(b"x", rsa),
            "needs an oct key",
        ),
        (
            "ecdh with oct",
            JweBuilder::new(EcdhEs, A128Gcm).encrypt(b"x", &k16),
            "needs an EC key",
        ),
        (
            "ecdh on p-521",
            JweBuilder::new(EcdhEs, A128Gcm).encrypt(b"x", keys::private("ec-p521-a")),
            "P-256 and P-384",
        ),
        (
            "a256kw with 16 octets",
            JweBuilder::new(A256Kw, A128Gcm).encrypt(b"x", &k16),
            "needs a 32-octet key",
        ),
        (
            "dir with a short key",
            JweBuilder::new(Dir, A256Gcm).encrypt(b"x", &k16),
            "needs a 32-octet key",
        ),
        (
            "dir with a cek",
            JweBuilder::new(Dir, A128Gcm)
                .cek(vec![0; 16])
                .encrypt(b"x", &k16),
            "do not give one",
        ),
        (
            "short iv",
            JweBuilder::new(A128Kw, A128Gcm)
                .iv(vec![0; 8])
                .encrypt(b"x", &k16),
            "IV must be 12 octets",
        ),
        (
            "cek of the wrong size",
            JweBuilder::new(A128Kw, A256Gcm)
                .cek(vec![0; 16])
                .encrypt(b"x", &k16),
            "CEK must be 32 octets",
        ),
        (
            "cek not in 8-octet blocks",
            JweBuilder::new(A128Kw, A128Gcm)
                .cek(vec![0; 17])
                .encrypt(b"x", &k16),
            "8-octet blocks",
        ),
        (
            "bad ephemeral scalar",
            JweBuilder::new(EcdhEs, A128Gcm)
                .ephemeral_secret(vec![0; 32])
                .encrypt(b"x", ec),
            "not valid",
        ),
        (
            "pbes2 with a non-object header",
            JweBuilder::new(Pbes2Hs256A128Kw, A128Gcm)
                .header_json(json!([1]))
                .encrypt(b"x", &k16),
            "not a JSON object",
        ),
        (
            "oaep-256 with a key too small for the cek",
            JweBuilder::new(RsaOaep256, A256CbcHs512).encrypt(b"x", keys::private("rsa-1024")),
            "RSA-OAEP-256",
        ),
    ];
    for (what, result, expected) in cases {
        let err = result.expect_err(what);
        assert!(err.0.contains(expected), "{what}: {err}");
    }
    assert!(decrypt("a.b.c", &k16).is_err());
    assert!(decrypt("e30.AA.AA.AA.AA", &k16).is_err());
    assert!(decrypt("!!.AA.AA.AA.AA", &k16).is_err());
}
