//! JSON texts: the JOSE Header and the JWT Claims Set (RFC 8259; RFC 7515 section 4;
//! RFC 7519 section 4), and how claims handed back by a verifier compare with the
//! signed ones.
//!
//! Permitted choices, each taken the strict way by [`Choice::Strict`]:
//! - duplicate member names: RFC 7515 section 4 and RFC 7519 section 4, "recipients MUST
//!   either reject JWSs with duplicate Header Parameter names or use a JSON parser that
//!   returns only the lexically last duplicate member name";
//! - lone surrogate escapes (`"\ud800"`): RFC 8259 section 8.2 allows them in the
//!   grammar and says "the behavior of software that receives JSON texts containing such
//!   values is unpredictable"; a lenient parser reads each as U+FFFD;
//! - a leading byte order mark: RFC 8259 section 8.1, "implementations that parse JSON
//!   texts MAY ignore the presence of a byte order mark rather than treating it as an
//!   error".
//!
//! Not a choice: the text must be UTF-8, valid JSON, and an object. RFC 8259 section
//! 8.1's "JSON text exchanged between systems that are not part of a closed ecosystem
//! MUST be encoded using UTF-8" binds whoever writes the text, and RFC 8259 section 9
//! lets a parser "accept non-JSON forms or extensions"; what binds a JWT recipient is
//! RFC 7515 section 5.2 step 3 and RFC 7519 section 7.2 steps 4 and 10, "Verify that the
//! resulting octet sequence is a UTF-8-encoded representation of a completely valid
//! JSON object", with "If any of the listed steps fail, then the JWT MUST be rejected".
//!
//! Also left open, and taken the accepting way by both references: RFC 8259 section 9
//! lets "An implementation ... set limits on the length and character contents of
//! strings", so a verifier may refuse a U+0000 in a name or value; one that accepts
//! must keep the whole string.

use super::Choice;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::borrow::Cow;
use std::fmt;

/// Parses a header or payload as a JSON object, taking the permitted choices `choice`'s
/// way.
pub fn parse_object(bytes: &[u8], choice: Choice) -> Result<Map<String, Value>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("is not UTF-8: {e}"))?;
    let text = match (text.strip_prefix('\u{feff}'), choice) {
        (Some(_), Choice::Strict) => {
            return Err("starts with a byte order mark (RFC 8259 section 8.1)".to_string())
        }
        (Some(rest), Choice::Lenient) => rest,
        (None, _) => text,
    };
    let text = match choice {
        Choice::Strict => Cow::Borrowed(text),
        Choice::Lenient => replace_lone_surrogates(text),
    };
    match parse_value(&text, choice)? {
        Value::Object(object) => Ok(object),
        other => Err(format!("is JSON {}, not an object", type_name(&other))),
    }
}

/// The claims of a payload as the RFCs resolve them: every permitted choice taken the
/// lenient way (the lexically last of duplicate names, lone surrogates as U+FFFD, a byte
/// order mark ignored). A verifier that accepts a token must hand back exactly these.
pub fn resolved_claims(payload: &[u8]) -> Result<Map<String, Value>, String> {
    parse_object(payload, Choice::Lenient)
}

/// Whether a parse failed only because the text goes beyond what the harness can
/// represent (nesting deeper than serde_json's limit of 128, a number beyond binary64),
/// not because it is invalid JSON. RFC 8259 section 9 lets an implementation set such
/// limits; a verifier without them is not wrong, but its claims cannot be compared here.
pub fn beyond_representable(error: &str) -> bool {
    error.contains("recursion limit exceeded") || error.contains("number out of range")
}

/// "a number", "an array", …: a JSON value's type for messages.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Whether a value a verifier handed back is the signed one, compared as JSON values
/// (RFC 8259): numbers by value (`1`, `1.0` and `1e0` are one number), an integer beyond
/// 2^53 exact or as the nearest double (section 6: "Note that when such software is used,
/// numbers that are integers and are in the range [-(2**53)+1, (2**53)-1] are
/// interoperable in the sense that implementations will agree exactly on their numeric
/// values"; beyond it they may be approximated), member order irrelevant, strings exact.
pub fn same_value(signed: &Value, returned: &Value) -> bool {
    match (signed, returned) {
        (Value::Number(x), Value::Number(y)) => same_number(x, y),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_value(a, b))
        }
        (Value::Object(x), Value::Object(y)) => same_members(x, y),
        _ => signed == returned,
    }
}

/// [`same_value`] for two objects.
pub fn same_members(signed: &Map<String, Value>, returned: &Map<String, Value>) -> bool {
    signed.len() == returned.len()
        && signed
            .iter()
            .all(|(k, v)| returned.get(k).is_some_and(|w| same_value(v, w)))
}

/// What differs between the signed claims and those a verifier handed back, or `None`
/// when they are the same by [`same_value`].
pub fn difference(signed: &Map<String, Value>, returned: &Map<String, Value>) -> Option<String> {
    let mut notes = Vec::new();
    for (name, value) in signed {
        match returned.get(name) {
            None => notes.push(format!("dropped {name:?}")),
            Some(got) if !same_value(value, got) => {
                notes.push(format!("changed {name:?} from {value} to {got}"))
            }
            Some(_) => {}
        }
    }
    for name in returned.keys().filter(|k| !signed.contains_key(*k)) {
        notes.push(format!("added {name:?}"));
    }
    (!notes.is_empty()).then(|| notes.join(", "))
}

/// 2^53: integers up to here are exact in a double.
const EXACT_IN_A_DOUBLE: f64 = 9_007_199_254_740_992.0;

/// Two JSON numbers by value; a signed integer beyond 2^53 also matches its nearest
/// double (as a double, or as any integer whose nearest double it is).
fn same_number(signed: &Number, returned: &Number) -> bool {
    match (integer(signed), integer(returned)) {
        (Some(a), Some(b)) if a == b => return true,
        // Beyond 2^53 a reader through doubles hands back the nearest double, written
        // exactly or in the shortest digits that read back as it (JavaScript writes
        // 2^63 as 9223372036854776000).
        (Some(a), Some(b)) => return beyond_exact(a) && nearest_double(a) == nearest_double(b),
        _ => {}
    }
    // Otherwise one of them is a double; a signed integer beyond 2^53 is then compared
    // as its nearest double, which `as_f64` gives.
    matches!((signed.as_f64(), returned.as_f64()), (Some(x), Some(y)) if x == y)
}

/// The number as an exact integer, when it is one that serde_json holds exactly.
fn integer(n: &Number) -> Option<i128> {
    n.as_i64()
        .map(i128::from)
        .or_else(|| n.as_u64().map(i128::from))
}

fn beyond_exact(a: i128) -> bool {
    a.unsigned_abs() > EXACT_IN_A_DOUBLE as u128
}

/// The double nearest to `a` (Rust's integer-to-float conversion rounds to nearest).
fn nearest_double(a: i128) -> f64 {
    a as f64
}

/// Each `\uXXXX` escape of a surrogate that is not half of a pair becomes `\ufffd`.
fn replace_lone_surrogates(text: &str) -> Cow<'_, str> {
    if !text.contains("\\u") {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => in_string = !in_string,
            b'\\' if in_string => {
                if let Some(unit) = escape_at(bytes, i) {
                    let next = escape_at(bytes, i + 6);
                    let paired = match unit {
                        0xD800..=0xDBFF => next.is_some_and(|n| (0xDC00..=0xDFFF).contains(&n)),
                        _ => true,
                    };
                    if (0xD800..=0xDFFF).contains(&unit) && !paired
                        || (0xDC00..=0xDFFF).contains(&unit)
                    {
                        out.push_str(&text[copied..i]);
                        out.push_str("\\ufffd");
                        copied = i + 6;
                    } else if (0xD800..=0xDBFF).contains(&unit) {
                        // A pair: skip both halves.
                        i += 12;
                        continue;
                    }
                    i += 6;
                    continue;
                }
                // Any other escape: skip the escaped character.
                i += 2;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// The code unit of a `\uXXXX` escape starting at `i`, if there is one.
fn escape_at(bytes: &[u8], i: usize) -> Option<u32> {
    let hex = bytes.get(i..i + 6)?;
    if hex[0] != b'\\' || hex[1] != b'u' {
        return None;
    }
    let digits = std::str::from_utf8(&hex[2..]).ok()?;
    u32::from_str_radix(digits, 16).ok()
}

/// Parses one JSON text (and nothing after it but whitespace) with serde_json's grammar,
/// depth limit and exact number reading, resolving duplicate names by `choice`.
fn parse_value(text: &str, choice: Choice) -> Result<Value, String> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Seed(choice)
        .deserialize(&mut de)
        .map_err(|e| format!("is not valid JSON: {e}"))?;
    de.end().map_err(|e| format!("is not valid JSON: {e}"))?;
    Ok(value)
}

/// A JSON value whose objects resolve duplicate names by the choice.
#[derive(Clone, Copy)]
struct Seed(Choice);

impl<'de> DeserializeSeed<'de> for Seed {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number is not finite"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(name) = map.next_key::<String>()? {
            if self.0 == Choice::Strict && object.contains_key(&name) {
                return Err(de::Error::custom(format!("duplicate member name {name:?}")));
            }
            // The lexically last member wins: insert replaces an earlier value.
            let value = map.next_value_seed(self)?;
            object.insert(name, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn strict(text: &str) -> Result<Map<String, Value>, String> {
        parse_object(text.as_bytes(), Choice::Strict)
    }

    fn lenient(text: &str) -> Result<Map<String, Value>, String> {
        parse_object(text.as_bytes(), Choice::Lenient)
    }

    #[test]
    fn an_object_parses_exactly_as_serde_json_parses_it() {
        let text = r#"{"a":[1,-2,3.5,true,null,"x\u00e9"],"b":{"c":18446744073709551615},"":{}}"#;
        for choice in [Choice::Strict, Choice::Lenient] {
            let object = parse_object(text.as_bytes(), choice).unwrap();
            assert_eq!(
                Value::Object(object),
                serde_json::from_str::<Value>(text).unwrap()
            );
        }
    }

    #[test]
    fn duplicate_names_are_refused_or_the_last_wins_at_any_depth() {
        for (text, last) in [
            (r#"{"alg":"HS256","alg":"none"}"#, json!({"alg": "none"})),
            (r#"{"a":{"b":1,"b":2}}"#, json!({"a": {"b": 2}})),
            (
                r#"{"a":[{"x":1},{"y":2,"y":3}]}"#,
                json!({"a": [{"x": 1}, {"y": 3}]}),
            ),
            (
                r#"{"alg":"HS256","\u0061lg":"none"}"#,
                json!({"alg": "none"}),
            ),
        ] {
            let e = strict(text).unwrap_err();
            assert!(e.contains("duplicate member name"), "{text}: {e}");
            assert_eq!(Value::Object(lenient(text).unwrap()), last, "{text}");
        }
        assert!(strict(r#"{"a":{"b":1},"b":{"a":1}}"#).is_ok());
        assert_eq!(
            strict(r#"{"alg":"HS256","alg\u0000":"none"}"#)
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn non_objects_are_refused_either_way() {
        for (text, kind) in [
            ("[1]", "an array"),
            ("\"x\"", "a string"),
            ("1", "a number"),
            ("null", "null"),
        ] {
            assert!(strict(text).unwrap_err().contains(kind), "{text}");
            assert!(lenient(text).unwrap_err().contains(kind), "{text}");
        }
    }

    #[test]
    fn a_byte_order_mark_is_refused_or_ignored_and_other_encodings_refused() {
        let bom = [b"\xef\xbb\xbf".as_slice(), br#"{"a":1}"#].concat();
        assert!(parse_object(&bom, Choice::Strict)
            .unwrap_err()
            .contains("byte order mark"));
        assert_eq!(parse_object(&bom, Choice::Lenient).unwrap()["a"], json!(1));
        let utf16: Vec<u8> = "{\"a\":1}"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        for choice in [Choice::Strict, Choice::Lenient] {
            assert!(parse_object(&utf16, choice).is_err());
            assert!(parse_object(b"{\"a\":\"\xff\"}", choice)
                .unwrap_err()
                .contains("UTF-8"));
        }
    }

    #[test]
    fn lone_surrogates_are_refused_or_read_as_the_replacement_character() {
        for (text, value) in [
            (r#"{"a":"\ud800"}"#, json!({"a": "\u{fffd}"})),
            (r#"{"a":"\udc00x"}"#, json!({"a": "\u{fffd}x"})),
            (r#"{"\ud800x":1}"#, json!({"\u{fffd}x": 1})),
            (
                r#"{"a":"\ud800\ud800\udc00"}"#,
                json!({"a": "\u{fffd}\u{10000}"}),
            ),
            (r#"{"a":"\\ud800"}"#, json!({"a": "\\ud800"})),
        ] {
            if text != r#"{"a":"\\ud800"}"# {
                assert!(strict(text).is_err(), "{text}");
            }
            assert_eq!(Value::Object(lenient(text).unwrap()), value, "{text}");
        }
        let pair = strict(r#"{"a":"\ud83d\ude00"}"#).unwrap();
        assert_eq!(pair["a"], json!("\u{1F600}"));
    }

    #[test]
    fn trailing_text_out_of_range_numbers_and_deep_nesting_are_refused() {
        for choice in [Choice::Strict, Choice::Lenient] {
            assert!(parse_object(br#"{"a":1} {"#, choice).is_err());
            assert!(parse_object(br#"{"a":1e400}"#, choice).is_err());
            assert!(parse_object(b"{\"a\":1}\n", choice).is_ok());
        }
        let handle = std::thread::Builder::new()
            .stack_size(512 * 1024)
            .spawn(|| {
                let deep = format!("{{\"a\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
                (strict(&deep), lenient(&deep))
            })
            .unwrap();
        let (s, l) = handle.join().expect("no stack overflow");
        assert!(s.unwrap_err().contains("recursion limit"));
        assert!(l.unwrap_err().contains("recursion limit"));
    }

    #[test]
    fn numbers_compare_by_value() {
        let same = |a: &str, b: &str| {
            same_value(
                &serde_json::from_str(a).unwrap(),
                &serde_json::from_str(b).unwrap(),
            )
        };
        assert!(same("1", "1.0"));
        assert!(same("1", "1e0"));
        assert!(same("1.5", "15e-1"));
        assert!(same("-0", "0"));
        assert!(!same("1", "2"));
        assert!(!same("1", "\"1\""));
        assert!(!same("1.5", "1"));
        // 2^53 + 1 has no double; its nearest is 2^53, as a double or as that integer.
        assert!(same("9007199254740993", "9007199254740993"));
        assert!(same("9007199254740993", "9007199254740992.0"));
        assert!(same("9007199254740993", "9007199254740992"));
        assert!(!same("9007199254740993", "9007199254740994"));
        // Below 2^53 no approximation is allowed.
        assert!(!same("9007199254740991", "9007199254740990"));
        // A 21-digit integer read as a double on both sides.
        assert!(same("123456789012345678901", "123456789012345680000"));
        assert!(same("123456789012345678901", "1.2345678901234568e20"));
        assert!(same("18446744073709551615", "18446744073709551616.0"));
        assert!(!same("18446744073709551615", "18446744073709550000"));
        // JavaScript writes a double in the shortest digits that read back as it.
        assert!(same("28124410690518406", "28124410690518410"));
        assert!(same("9223372036854775808", "9223372036854776000"));
        assert!(same(r#"{"a":[1,{"b":2}]}"#, r#"{"a":[1.0,{"b":2e0}]}"#));
        assert!(!same(r#"{"a":1}"#, r#"{"a":1,"b":2}"#));
    }

    #[test]
    fn differences_name_what_changed() {
        let signed = json!({"a": 1, "b": "x", "c": true});
        let returned = json!({"a": 1.0, "b": "y", "d": null});
        let diff = difference(signed.as_object().unwrap(), returned.as_object().unwrap()).unwrap();
        assert_eq!(
            diff,
            r#"changed "b" from "x" to "y", dropped "c", added "d""#
        );
        assert_eq!(
            difference(signed.as_object().unwrap(), signed.as_object().unwrap()),
            None
        );
    }
}
