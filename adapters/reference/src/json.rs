//! Steps 2 and 8: the JOSE Header and the JWT Claims Set as strict JSON objects.
//!
//! serde_json already rejects what RFC 8259 forbids (trailing text, lone surrogate
//! escapes, invalid UTF-8 inside strings, numbers outside `f64`) and stops at 128 levels
//! of nesting with an error instead of recursing further. What it accepts silently is a
//! repeated member name (the last one wins); [`Strict`] builds the same `Value` but
//! fails on the first repetition, at any depth.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// Parses `bytes` as one UTF-8 JSON object with unique member names at every level.
/// The error says what is wrong, for the caller to wrap with its reject kind.
pub fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, String> {
    let text = utf8(bytes)?;
    no_byte_order_mark(text)?;
    match without_duplicates(text)? {
        Value::Object(object) => Ok(object),
        other => Err(format!("is JSON {}, not an object", type_name(&other))),
    }
}

/// RFC 7515 section 5.2 step 3 and RFC 7519 section 7.2 step 10: the octets must be "a
/// UTF-8-encoded representation of a completely valid JSON object" (so UTF-16 and
/// UTF-32 are refused; RFC 8725 section 3.7: "Use UTF-8").
fn utf8(bytes: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(bytes).map_err(|e| format!("is not UTF-8: {e}"))
}

/// RFC 8259 section 8.1: "Implementations MUST NOT add a byte order mark (U+FEFF) to the
/// beginning of a networked-transmitted JSON text"; a BOM-prefixed text is refused
/// rather than skipped, so every party reads the same object.
fn no_byte_order_mark(text: &str) -> Result<(), String> {
    if text.starts_with('\u{feff}') {
        return Err("starts with a byte order mark (RFC 8259 section 8.1)".to_string());
    }
    Ok(())
}

/// RFC 7515 section 4: "The Header Parameter names within the JOSE Header MUST be unique;
/// JWS parsers MUST either reject JWSs with duplicate Header Parameter names or use a
/// JSON parser that returns only the lexically last duplicate member name" (RFC 7519
/// section 4 says the same of Claim Names). The reference rejects, at every depth.
fn without_duplicates(text: &str) -> Result<Value, String> {
    let mut de = serde_json::Deserializer::from_str(text);
    let Strict(value) =
        Strict::deserialize(&mut de).map_err(|e| format!("is not valid JSON: {e}"))?;
    de.end().map_err(|e| format!("is not valid JSON: {e}"))?;
    Ok(value)
}

/// The JSON type of a value, for messages.
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

/// A JSON value whose objects, at any depth, have no repeated member names.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Strict, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
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
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(name) = map.next_key::<String>()? {
            if object.contains_key(&name) {
                return Err(de::Error::custom(format!("duplicate member name {name:?}")));
            }
            let Strict(value) = map.next_value()?;
            object.insert(name, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_object_parses_exactly_as_serde_json_parses_it() {
        let text = r#"{"a":[1,-2,3.5,true,null,"x\u00e9"],"b":{"c":18446744073709551615},"":{}}"#;
        let object = parse_object(text.as_bytes()).unwrap();
        assert_eq!(
            Value::Object(object),
            serde_json::from_str::<Value>(text).unwrap()
        );
    }

    #[test]
    fn duplicate_names_are_refused_at_any_depth() {
        for text in [
            r#"{"alg":"HS256","alg":"none"}"#,
            r#"{"a":{"b":1,"b":1}}"#,
            r#"{"a":[{"x":1},{"y":2,"y":3}]}"#,
        ] {
            let e = parse_object(text.as_bytes()).unwrap_err();
            assert!(e.contains("duplicate member name"), "{text}: {e}");
        }
        assert!(parse_object(br#"{"a":{"b":1},"b":{"a":1}}"#).is_ok());
    }

    #[test]
    fn names_differing_only_by_escapes_are_duplicates() {
        let e = parse_object(br#"{"alg":"HS256","\u0061lg":"none"}"#).unwrap_err();
        assert!(e.contains("duplicate"), "{e}");
    }

    #[test]
    fn a_nul_inside_a_name_is_just_another_name() {
        let object = parse_object(br#"{"alg":"HS256","alg\u0000":"none"}"#).unwrap();
        assert_eq!(object.len(), 2);
    }

    #[test]
    fn non_objects_are_refused() {
        for (text, kind) in [
            ("[1]", "an array"),
            ("\"x\"", "a string"),
            ("1", "a number"),
            ("null", "null"),
        ] {
            let e = parse_object(text.as_bytes()).unwrap_err();
            assert!(e.contains(kind), "{text}: {e}");
        }
    }

    #[test]
    fn encodings_other_than_plain_utf8_are_refused() {
        let bom = [b"\xef\xbb\xbf".as_slice(), br#"{"a":1}"#].concat();
        assert!(parse_object(&bom).unwrap_err().contains("byte order mark"));
        let utf16: Vec<u8> = "{\"a\":1}"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(parse_object(&utf16).is_err());
        assert!(parse_object(b"{\"a\":\"\xff\"}")
            .unwrap_err()
            .contains("UTF-8"));
    }

    #[test]
    fn lone_surrogate_escapes_are_refused() {
        for text in [r#"{"a":"\ud800"}"#, r#"{"a":"\udc00"}"#, r#"{"\ud800x":1}"#] {
            assert!(parse_object(text.as_bytes()).is_err(), "{text}");
        }
        let pair = parse_object(br#"{"a":"\ud83d\ude00"}"#).unwrap();
        assert_eq!(pair["a"], json!("\u{1F600}"));
    }

    #[test]
    fn trailing_text_and_out_of_range_numbers_are_refused() {
        assert!(parse_object(br#"{"a":1} {"#).is_err());
        assert!(parse_object(br#"{"a":1e400}"#).is_err());
        assert!(parse_object(b"{\"a\":1}\n").is_ok());
    }

    #[test]
    fn deep_nesting_is_a_clean_error_not_a_stack_overflow() {
        // On a quarter of the default 2 MiB thread stack: the depth limit, not luck, stops it.
        let handle = std::thread::Builder::new()
            .stack_size(512 * 1024)
            .spawn(|| {
                let deep = format!("{{\"a\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
                parse_object(deep.as_bytes())
            })
            .unwrap();
        let e = handle.join().expect("no stack overflow").unwrap_err();
        assert!(e.contains("recursion limit"), "{e}");
        let fine = format!("{{\"a\":{}{}}}", "[".repeat(100), "]".repeat(100));
        assert!(parse_object(fine.as_bytes()).is_ok());
    }
}
