//! `harness_inputs`: the harness's own parsers on arbitrary bytes. Each must either
//! succeed or fail with one clear error naming its source; none may panic.
//!
//! The first byte picks the parser (modulo [`PARSERS`]), the rest is its input.

use crate::known;
use crate::targets::Finding;
use jwt_conformance::catalogue::rfc_vectors;
use jwt_conformance::{Jwk, Manifest, Policy};
use jwt_conformance_process::{parse_hello, parse_result};

/// The parsers, in selector order.
pub const PARSERS: [&str; 7] = [
    "RFC vector file",
    "expected-failures manifest",
    "process protocol result reply",
    "process protocol hello reply",
    "process protocol policy",
    "JWK",
    "known-divergences file",
];

/// The source name errors must mention.
const SOURCE: &str = "fuzz-input";

fn unclear(parser: &str, input: &[u8], error: &str) -> Finding {
    Finding {
        target: "harness_inputs",
        summary: format!("the {parser} parser failed without a clear error"),
        details: vec![
            ("input".into(), String::from_utf8_lossy(input).into_owned()),
            ("error".into(), format!("{error:?}")),
            (
                "wanted".into(),
                format!("a non-empty message that names the source {SOURCE:?}"),
            ),
        ],
    }
}

/// Runs the parser `data[0]` picks on the rest.
pub fn harness_inputs(data: &[u8]) -> Result<(), Finding> {
    let Some((&selector, input)) = data.split_first() else {
        return Ok(());
    };
    let index = selector as usize % PARSERS.len();
    let parser = PARSERS[index];
    let text = String::from_utf8_lossy(input);
    let names_source = |e: &str| e.contains(SOURCE);
    let non_empty = |e: &str| !e.trim().is_empty();
    let check = |ok: bool, error: &str| {
        if ok {
            Ok(())
        } else {
            Err(unclear(parser, input, error))
        }
    };
    match index {
        0 => match rfc_vectors::parse(SOURCE, &text) {
            Ok(vector) => {
                // A vector that parses is usable: checking its signature must not panic.
                let _ = rfc_vectors::signature_checks(&vector);
                Ok(())
            }
            Err(e) => check(e.file == SOURCE && non_empty(&e.message), &e.to_string()),
        },
        1 => match Manifest::parse(SOURCE, &text) {
            Ok(_) => Ok(()),
            Err(e) => check(names_source(&e.0), &e.0),
        },
        2 => match parse_result(input, "case-1") {
            Ok(_) => Ok(()),
            Err(e) => check(non_empty(&e), &e),
        },
        3 => match parse_hello(input) {
            Ok(_) => Ok(()),
            Err(e) => check(non_empty(&e), &e),
        },
        4 => match serde_json::from_str::<Policy>(&text) {
            Ok(policy) => {
                // What the harness sends must read back as the same policy.
                let back: Result<Policy, _> = serde_json::from_value(policy.to_json());
                match back {
                    Ok(back) if back == policy => Ok(()),
                    other => Err(Finding {
                        target: "harness_inputs",
                        summary: "a policy does not survive the protocol round trip".into(),
                        details: vec![
                            ("input".into(), text.into_owned()),
                            ("read back".into(), format!("{other:?}")),
                        ],
                    }),
                }
            }
            Err(e) => check(non_empty(&e.to_string()), &e.to_string()),
        },
        5 => match Jwk::from_json(&text) {
            Ok(jwk) => {
                let _ = jwk.to_public().to_json();
                Ok(())
            }
            Err(e) => check(non_empty(&e.0), &e.0),
        },
        _ => match known::parse(SOURCE, &text) {
            Ok(_) => Ok(()),
            Err(e) => check(names_source(&e), &e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(selector: u8, input: &str) -> Result<(), Finding> {
        let mut data = vec![selector];
        data.extend(input.as_bytes());
        harness_inputs(&data)
    }

    #[test]
    fn every_parser_takes_garbage_without_a_finding() {
        for selector in 0..PARSERS.len() as u8 {
            for input in [
                "",
                "{",
                "\u{0}\u{ff}",
                "[[[",
                "{\"type\":\"result\"}",
                "x = 1",
            ] {
                assert_eq!(run(selector, input), Ok(()), "{selector} {input:?}");
            }
        }
        assert_eq!(harness_inputs(b""), Ok(()));
    }

    #[test]
    fn a_policy_round_trips() {
        let policy = r#"{"keys":{"keys":[]},"algorithms":["RS256"],"issuer":"i","audience":["a"],"required_claims":["exp"],"leeway":5,"typ":null,"now":1}"#;
        assert_eq!(run(4, policy), Ok(()));
    }
}
