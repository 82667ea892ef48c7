//! The byte- and JSON-level edits behind the mutation operators.

use super::operands::{DuplicateValue, Encoding, Reserialisation, SignatureForm};
use crate::alg::{Alg, KeyFamily};
use crate::b64;
use crate::forge::{ecdsa_sig, keys};
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use serde_json::{Map, Value};

/// Base64url that tolerates what RFC 7515 forbids, to find the bytes a lax verifier
/// would see.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The bytes a segment stands for under lenient decoding: whitespace dropped,
/// padding ignored, the standard alphabet mapped, trailing bits ignored.
pub fn lenient_decode(text: &str) -> Option<Vec<u8>> {
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    LENIENT.decode(cleaned.trim_end_matches('=')).ok()
}

/// Whether `mutated` differs from `original` in its signing input (the first two
/// segments' exact text), its segment count, or its signature bytes.
///
/// The documented no-ops, for which this is `false`: the identical token, and a
/// signature segment written differently (padding, standard alphabet, whitespace,
/// non-canonical trailing bits) that decodes to the same bytes. A verifier that
/// accepts those is lax about encoding, but accepts nothing that was not signed.
pub fn changes_signed_content(original: &str, mutated: &str) -> bool {
    if original == mutated {
        return false;
    }
    let a: Vec<&str> = original.split('.').collect();
    let b: Vec<&str> = mutated.split('.').collect();
    if a.len() != b.len() || a.len() != 3 || a[..2] != b[..2] {
        return true;
    }
    match (lenient_decode(a[2]), lenient_decode(b[2])) {
        (Some(x), Some(y)) => x != y,
        _ => true,
    }
}

pub(super) fn decode_any(text: &str) -> Option<Vec<u8>> {
    b64::decode(text).ok().or_else(|| lenient_decode(text))
}

/// Edits a segment's decoded bytes, or its text when it does not decode.
pub(super) fn edit_bytes(text: &str, f: impl FnOnce(&mut Vec<u8>)) -> String {
    match decode_any(text) {
        Some(mut bytes) => {
            f(&mut bytes);
            b64::encode(bytes)
        }
        None => {
            let mut bytes = text.as_bytes().to_vec();
            f(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        }
    }
}

/// The segment's JSON object, members in order.
pub(super) fn json_object(text: &str) -> Option<Map<String, Value>> {
    match serde_json::from_slice::<Value>(&decode_any(text)?) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// Whether the fixture `name` can sign `alg`: the right kind of key, and for RSA-PSS a
/// modulus long enough for the salt (RFC 8017 section 9.1.1: emLen >= 2 hLen + 2).
pub(super) fn alg_key_fits(alg: Alg, name: &str) -> bool {
    let key = keys::private(name);
    let pss_hash_len = match alg {
        Alg::PS256 => 32,
        Alg::PS384 => 48,
        Alg::PS512 => 64,
        _ => 0,
    };
    match alg.key_family() {
        KeyFamily::Hmac => key.kty == "oct",
        KeyFamily::Rsa => key
            .rsa_modulus()
            .is_ok_and(|n| n.len() >= 2 * pss_hash_len + 2),
        KeyFamily::Ec(crv) => key.kty == "EC" && key.crv.as_deref() == Some(crv),
        KeyFamily::Ed25519 => key.kty == "OKP" && key.crv.as_deref() == Some("Ed25519"),
    }
}

/// Every fixture key that can sign `alg`.
pub fn keys_for(alg: Alg) -> Vec<&'static str> {
    jwt_conformance_vectors::KEYS
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| alg_key_fits(alg, name))
        .collect()
}

/// The header with `alg` set to `label`; a header that is not an object is replaced.
pub(super) fn relabelled_header(text: &str, label: &str) -> Vec<u8> {
    let mut header = json_object(text).unwrap_or_default();
    header.insert("alg".into(), Value::from(label));
    Value::Object(header).to_string().into_bytes()
}

pub(super) fn reencode(text: &str, encoding: Encoding) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    match encoding {
        Encoding::Padding => {
            let pad = (4 - text.len() % 4) % 4;
            format!("{text}{}", "=".repeat(pad))
        }
        Encoding::StandardAlphabet => text.replace('-', "+").replace('_', "/"),
        Encoding::NonCanonicalBits => {
            // 2 or 3 characters in the last quantum leave 4 or 2 bits unused.
            let mut bytes = text.as_bytes().to_vec();
            if matches!(bytes.len() % 4, 2 | 3) {
                if let Some(pos) = bytes
                    .last()
                    .and_then(|c| ALPHABET.iter().position(|a| a == c))
                {
                    let last = bytes.len() - 1;
                    bytes[last] = ALPHABET[pos | 1];
                }
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
        Encoding::Whitespace { at, ch } => {
            let mut chars: Vec<char> = text.chars().collect();
            let at = at as usize % (chars.len() + 1);
            chars.insert(at, ch.as_char());
            chars.into_iter().collect()
        }
    }
}

pub(super) fn duplicate(
    segment: &str,
    member: u8,
    value: DuplicateValue,
    first: bool,
) -> Option<Vec<u8>> {
    let object = json_object(segment)?;
    let text = String::from_utf8(decode_any(segment)?).ok()?;
    let (name, existing) = object
        .iter()
        .nth(member as usize % object.len().max(1))
        .map(|(k, v)| (k.clone(), v.clone()))
        .unwrap_or_else(|| ("alg".to_string(), Value::from("none")));
    let value = match value {
        DuplicateValue::Same => existing,
        DuplicateValue::AlgNone => Value::from("none"),
        DuplicateValue::FarFuture => Value::from(99_999_999_999i64),
        DuplicateValue::Attacker => Value::from("attacker"),
        DuplicateValue::Null => Value::Null,
    };
    let member = format!("{}:{}", Value::from(name), value);
    let trimmed = text.trim();
    let inner = trimmed.strip_prefix('{')?.strip_suffix('}')?;
    let joined = match (inner.trim().is_empty(), first) {
        (true, _) => member,
        (false, true) => format!("{member},{inner}"),
        (false, false) => format!("{inner},{member}"),
    };
    Some(format!("{{{joined}}}").into_bytes())
}

pub(super) fn reserialise(segment: &str, style: Reserialisation) -> Option<Vec<u8>> {
    let object = json_object(segment)?;
    let text = match style {
        Reserialisation::Reordered => {
            let reversed: Map<String, Value> = object.into_iter().rev().collect();
            Value::Object(reversed).to_string()
        }
        Reserialisation::Spaced => {
            let json = crate::generate::json::from_value(&Value::Object(object));
            json.render(crate::generate::JsonStyle {
                spaced: true,
                ..Default::default()
            })
        }
        Reserialisation::Pretty => serde_json::to_string_pretty(&Value::Object(object)).ok()?,
        Reserialisation::EscapedLetter => {
            let compact = Value::Object(object).to_string();
            let at = compact
                .char_indices()
                .zip(compact.chars().skip(1))
                .find(|((_, c), next)| *c == '"' && next.is_ascii_alphabetic())
                .map(|((i, _), next)| (i + 1, next))?;
            format!(
                "{}\\u{:04x}{}",
                &compact[..at.0],
                at.1 as u32,
                &compact[at.0 + 1..]
            )
        }
    };
    Some(text.into_bytes())
}

pub(super) fn reform(sig: &[u8], form: SignatureForm) -> Vec<u8> {
    match form {
        SignatureForm::Der if !sig.is_empty() && sig.len() % 2 == 0 => {
            let (r, s) = sig.split_at(sig.len() / 2);
            ecdsa_sig::der(r, s)
        }
        SignatureForm::PaddedHalves if sig.len() % 2 == 0 => {
            let (r, s) = sig.split_at(sig.len() / 2);
            [&[0u8][..], r, &[0u8], s].concat()
        }
        SignatureForm::LeadingZero => [&[0u8][..], sig].concat(),
        SignatureForm::DropFirstByte if !sig.is_empty() => sig[1..].to_vec(),
        _ => sig.to_vec(),
    }
}
