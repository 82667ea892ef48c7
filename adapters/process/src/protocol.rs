//! Process protocol v1 messages: the requests the harness writes and the parsing of the
//! verifier's answers. Every defect in an answer becomes a message naming it, with the
//! answer quoted, so a broken verifier can be diagnosed from the report alone.

use jwt_conformance::{AdapterInfo, Alg, Clock, Policy, RejectKind, Verdict};
use serde_json::{json, Map, Value};

/// The protocol version this crate speaks.
pub const PROTOCOL_VERSION: u64 = 1;

/// How much of an answer is quoted in a message: enough to recognise it, short enough
/// for a report line.
const QUOTE_CHARS: usize = 300;

/// The first line the harness sends.
pub(crate) fn hello_request() -> String {
    json!({"type": "hello", "protocol": PROTOCOL_VERSION}).to_string()
}

/// The request for one token under one policy.
pub(crate) fn verify_request(id: &str, token: &str, policy: &Policy) -> String {
    json!({"type": "verify", "id": id, "token": token, "policy": policy.to_json()}).to_string()
}

/// What a verifier said about itself.
#[derive(Clone, Debug, PartialEq)]
pub struct Hello {
    /// Its name, version, algorithms, clock and remote key set support.
    pub info: AdapterInfo,
    /// Remarks that do not stop the run, e.g. algorithm names this suite does not know.
    pub notes: Vec<String>,
}

/// Parses the hello answer; the error names what is wrong with it.
pub fn parse_hello(line: &[u8]) -> Result<Hello, String> {
    let object = json_object(line)?;
    let quoted = || quote(line);
    let field = |name: &str| -> Result<&Value, String> {
        object
            .get(name)
            .ok_or_else(|| format!("the hello answer has no `{name}`: {}", quoted()))
    };
    let string = |name: &str| -> Result<String, String> {
        field(name)?
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("`{name}` in the hello answer is not a string: {}", quoted()))
    };
    let kind = string("type")?;
    if kind != "hello" {
        return Err(format!(
            "expected a hello answer, got type {kind:?}: {}",
            quoted()
        ));
    }
    match field("protocol")?.as_u64() {
        Some(PROTOCOL_VERSION) => {}
        _ => {
            return Err(format!(
                "the verifier speaks protocol {}, this harness speaks protocol {PROTOCOL_VERSION}",
                object["protocol"]
            ))
        }
    }
    let name = string("name")?;
    let version = string("version")?;
    let clock = match string("clock")?.as_str() {
        "injectable" => Clock::Injectable,
        "system" => Clock::System,
        other => {
            return Err(format!(
                "`clock` must be \"injectable\" or \"system\", got {other:?}"
            ))
        }
    };
    let names = field("algorithms")?
        .as_array()
        .ok_or_else(|| format!("`algorithms` is not an array: {}", quoted()))?;
    let mut algorithms = Vec::new();
    let mut notes = Vec::new();
    for entry in names {
        let name = entry
            .as_str()
            .ok_or_else(|| format!("`algorithms` holds a non-string {entry}: {}", quoted()))?;
        // A verifier may support algorithms this suite has no cases for; that is no
        // reason to refuse it, but the user should know they were not tested.
        match name.parse::<Alg>() {
            Ok(alg) if !algorithms.contains(&alg) => algorithms.push(alg),
            Ok(_) => {}
            Err(_) => notes.push(format!(
                "the verifier declares algorithm {name:?}, which this suite does not know; ignored"
            )),
        }
    }
    // Additive: a verifier that can fetch a remote key set says so; absent means no.
    let remote_jwks = match object.get("remote_jwks") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(format!(
                "`remote_jwks` in the hello answer is not a boolean: {other}"
            ))
        }
    };
    Ok(Hello {
        info: AdapterInfo {
            name,
            version,
            algorithms,
            clock,
            remote_jwks,
        },
        notes,
    })
}

/// Parses the answer to the verify request `id`. `Err` means the answer is garbage and
/// says why, quoting it.
pub fn parse_result(line: &[u8], id: &str) -> Result<Verdict, String> {
    let garbage = |problem: String| format!("garbage reply ({problem}): {}", quote(line));
    let object = match serde_json::from_slice::<Value>(line) {
        Ok(Value::Object(object)) => object,
        Ok(_) => return Err(garbage("not a JSON object".to_string())),
        Err(_) if std::str::from_utf8(line).is_err() => {
            return Err(garbage("not UTF-8".to_string()))
        }
        Err(e) => return Err(garbage(format!("not JSON: {e}"))),
    };
    match object.get("type") {
        Some(Value::String(t)) if t == "result" => {}
        other => {
            return Err(garbage(format!(
                "`type` is {}, expected \"result\"",
                shown(other)
            )))
        }
    }
    match object.get("id") {
        Some(Value::String(got)) if got == id => {}
        other => {
            return Err(garbage(format!(
                "`id` is {}, expected {id:?}",
                shown(other)
            )))
        }
    }
    match (object.get("unsupported"), object.get("accepted")) {
        (Some(_), Some(_)) => Err(garbage(
            "both `unsupported` and `accepted` are present".to_string(),
        )),
        (Some(Value::String(why)), None) => Ok(Verdict::Unsupported { why: why.clone() }),
        (Some(other), None) => Err(garbage(format!(
            "`unsupported` is {other}, expected a string"
        ))),
        (None, Some(Value::Bool(true))) => match object.get("claims") {
            Some(Value::Object(claims)) => Ok(Verdict::Accepted {
                claims: claims.clone(),
            }),
            other => Err(garbage(format!(
                "accepted, but `claims` is {}, expected an object",
                shown(other)
            ))),
        },
        (None, Some(Value::Bool(false))) => rejection(&object).map_err(garbage),
        (None, other) => Err(garbage(format!(
            "`accepted` is {}, expected true or false",
            shown(other)
        ))),
    }
}

/// The verdict of `{"accepted": false, "error": …, "kind": …}`.
fn rejection(object: &Map<String, Value>) -> Result<Verdict, String> {
    let message = match object.get("error") {
        Some(Value::String(message)) => message.clone(),
        other => {
            return Err(format!(
                "rejected, but `error` is {}, expected a string",
                shown(other)
            ))
        }
    };
    // The kind only refines the score (a different kind is a warning), so an unknown or
    // absent one is `other` rather than a broken answer.
    let (kind, message) = match object.get("kind") {
        None | Some(Value::Null) => (RejectKind::Other, message),
        Some(Value::String(name)) => match name.parse::<RejectKind>() {
            Ok(kind) => (kind, message),
            Err(_) => (
                RejectKind::Other,
                format!("{message} (unknown kind {name:?})"),
            ),
        },
        Some(other) => return Err(format!("`kind` is {other}, expected a string")),
    };
    Ok(Verdict::Rejected { kind, message })
}

fn json_object(line: &[u8]) -> Result<Map<String, Value>, String> {
    match serde_json::from_slice::<Value>(line) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(format!("the answer is not a JSON object: {}", quote(line))),
        Err(e) => Err(format!("the answer is not JSON ({e}): {}", quote(line))),
    }
}

fn shown(value: Option<&Value>) -> String {
    match value {
        None => "missing".to_string(),
        Some(value) => {
            let text = value.to_string();
            match text.char_indices().nth(60) {
                Some((cut, _)) => format!("{}…", &text[..cut]),
                None => text,
            }
        }
    }
}

/// An answer as it appears in messages: between backticks, control characters escaped,
/// cut after a few hundred characters with the full length noted.
pub(crate) fn quote(line: &[u8]) -> String {
    let text = String::from_utf8_lossy(line);
    let mut out = String::from("`");
    for (n, c) in text.chars().enumerate() {
        if n == QUOTE_CHARS {
            out.push_str(&format!("…` ({} bytes)", line.len()));
            return out;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('`');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(text: &str) -> Result<Verdict, String> {
        parse_result(text.as_bytes(), "case-1")
    }

    #[test]
    fn requests_have_the_protocol_shape() {
        let hello: Value = serde_json::from_str(&hello_request()).unwrap();
        assert_eq!(hello, json!({"type": "hello", "protocol": 1}));
        let policy = Policy::new(Default::default(), vec![Alg::HS256], Some(1_700_000_000));
        let verify: Value =
            serde_json::from_str(&verify_request("rfc7515/a.1-hs256", "a.b.c", &policy)).unwrap();
        assert_eq!(verify["type"], "verify");
        assert_eq!(verify["id"], "rfc7515/a.1-hs256");
        assert_eq!(verify["token"], "a.b.c");
        assert_eq!(verify["policy"], policy.to_json());
        assert_eq!(verify["policy"]["keys"], json!({"keys": []}));
        assert_eq!(verify["policy"]["now"], 1_700_000_000);
    }

    #[test]
    fn private_parts_of_policy_keys_travel_as_jwk_members() {
        let keys = jwt_conformance::forge::keys::key_pair_set(&["rsa-2048-a", "ec-p256-a"]);
        let policy = Policy::new(keys.clone(), vec![Alg::RS256, Alg::ES256], None);
        let verify: Value = serde_json::from_str(&verify_request("id", "a.b.c", &policy)).unwrap();
        let sent = &verify["policy"]["keys"]["keys"];
        assert_eq!(sent[0], serde_json::to_value(&keys.keys[0]).unwrap());
        for name in ["d", "p", "q", "dp", "dq", "qi"] {
            assert!(sent[0][name].is_string(), "{name}");
        }
        assert!(sent[1]["d"].is_string() && sent[1]["x"].is_string());
        let back: Policy = serde_json::from_value(verify["policy"].clone()).unwrap();
        assert_eq!(back, policy);
    }

    #[test]
    fn a_hello_gives_the_adapter_info_and_notes_unknown_algorithms() {
        let hello = parse_hello(
            br#"{"type":"hello","protocol":1,"name":"v","version":"2.1","algorithms":["HS256","ES256K","HS256"],"clock":"system"}"#,
        )
        .unwrap();
        assert_eq!(hello.info.name, "v");
        assert_eq!(hello.info.version, "2.1");
        assert_eq!(hello.info.algorithms, vec![Alg::HS256]);
        assert_eq!(hello.info.clock, Clock::System);
        assert_eq!(hello.notes.len(), 1);
        assert!(hello.notes[0].contains("ES256K"));
    }

    #[test]
    fn bad_hellos_name_the_problem() {
        let cases: [(&str, &str); 8] = [
            ("hello", "not JSON"),
            ("[1]", "not a JSON object"),
            (r#"{"type":"result"}"#, "expected a hello answer"),
            (r#"{"type":"hello","protocol":2}"#, "speaks protocol 2"),
            (r#"{"type":"hello","protocol":1}"#, "no `name`"),
            (
                r#"{"type":"hello","protocol":1,"name":"v","version":"1","algorithms":"HS256","clock":"system"}"#,
                "`algorithms` is not an array",
            ),
            (
                r#"{"type":"hello","protocol":1,"name":"v","version":"1","algorithms":[1],"clock":"system"}"#,
                "non-string 1",
            ),
            (
                r#"{"type":"hello","protocol":1,"name":"v","version":"1","algorithms":[],"clock":"atomic"}"#,
                "\"atomic\"",
            ),
        ];
        for (text, wanted) in cases {
            let err = parse_hello(text.as_bytes()).unwrap_err();
            assert!(err.contains(wanted), "{text}: {err}");
        }
    }

    #[test]
    fn results_become_verdicts() {
        assert_eq!(
            result(r#"{"type":"result","id":"case-1","accepted":true,"claims":{"sub":"a"}}"#),
            Ok(Verdict::accepted(json!({"sub": "a"})))
        );
        assert_eq!(
            result(
                r#"{"type":"result","id":"case-1","accepted":false,"error":"late","kind":"not_yet_valid"}"#
            ),
            Ok(Verdict::rejected(RejectKind::NotYetValid, "late"))
        );
        assert_eq!(
            result(
                r#"{"type":"result","id":"case-1","accepted":false,"error":"bad","kind":"expired"}"#
            ),
            Ok(Verdict::rejected(RejectKind::Expired, "bad"))
        );
        assert_eq!(
            result(r#"{"type":"result","id":"case-1","accepted":false,"error":"bad"}"#),
            Ok(Verdict::rejected(RejectKind::Other, "bad"))
        );
        assert_eq!(
            result(
                r#"{"type":"result","id":"case-1","accepted":false,"error":"bad","kind":"weird"}"#
            ),
            Ok(Verdict::rejected(
                RejectKind::Other,
                "bad (unknown kind \"weird\")"
            ))
        );
        assert_eq!(
            result(r#"{"type":"result","id":"case-1","unsupported":"no PS256"}"#),
            Ok(Verdict::Unsupported {
                why: "no PS256".to_string()
            })
        );
    }

    #[test]
    fn garbage_results_are_errors_quoting_the_answer() {
        let cases: [(&str, &str); 11] = [
            ("this is not json", "not JSON"),
            ("", "not JSON"),
            ("42", "not a JSON object"),
            (r#"{"type":"hello","id":"case-1"}"#, "`type` is \"hello\""),
            (r#"{"id":"case-1","accepted":true}"#, "`type` is missing"),
            (
                r#"{"type":"result","id":"case-2","accepted":false,"error":"x"}"#,
                "`id` is \"case-2\", expected \"case-1\"",
            ),
            (
                r#"{"type":"result","id":"case-1","accepted":true}"#,
                "`claims` is missing",
            ),
            (
                r#"{"type":"result","id":"case-1","accepted":false,"kind":"expired"}"#,
                "`error` is missing",
            ),
            (
                r#"{"type":"result","id":"case-1","accepted":"yes"}"#,
                "`accepted` is \"yes\"",
            ),
            (
                r#"{"type":"result","id":"case-1","accepted":false,"error":"x","kind":3}"#,
                "`kind` is 3",
            ),
            (
                r#"{"type":"result","id":"case-1","accepted":true,"claims":{},"unsupported":"x"}"#,
                "both",
            ),
        ];
        for (text, wanted) in cases {
            let err = result(text).unwrap_err();
            assert!(err.starts_with("garbage reply ("), "{text}: {err}");
            assert!(err.contains(wanted), "{text}: {err}");
            assert!(err.contains(&quote(text.as_bytes())), "{text}: {err}");
        }
        let err = parse_result(b"\xff\xfe", "case-1").unwrap_err();
        assert!(err.contains("not UTF-8"), "{err}");
    }

    #[test]
    fn quotes_are_short_and_single_line() {
        assert_eq!(quote(b"a\tb\nc"), "`a\\tb\\nc`");
        let long = "x".repeat(10_000);
        let quoted = quote(long.as_bytes());
        assert!(quoted.ends_with("…` (10000 bytes)"), "{quoted}");
        assert!(quoted.chars().count() < QUOTE_CHARS + 30);
        // Cutting never splits a character.
        let wide = "é".repeat(1_000);
        assert!(quote(wide.as_bytes()).starts_with("`éé"));
    }
}
