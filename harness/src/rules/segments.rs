//! The JWS Compact Serialization (RFC 7515 section 7.1): three base64url segments
//! separated by dots, the first two of which are the signing input.
//!
//! Not a choice (`rfc`): RFC 7515 section 5.2 step 1, "Parse the JWS representation to
//! extract the serialized values for the components of the JWS", and a compact JWS has
//! exactly three (section 7.1). Each segment is then base64url-decoded (steps 2, 6 and 7),
//! where [`base64url`] takes the choices RFC 4648 leaves open.
//!
//! The size bound is a limit RFC 8259 section 9 lets a parser set ("An implementation may
//! set limits on the size of texts that it accepts"). Both references apply the same
//! bound, and it lies above every token of the catalogue (the largest,
//! `resource-limits/sixteen-megabytes`, is about 16,000,000 bytes), so no expectation
//! rests on it; a case whose token exceeded it would have to accept either answer.

use super::{base64url, Checked, Choice, Rejection};
use crate::verdict::RejectKind;

/// The largest token the references verify: 16 MiB, far past any real JWT, so that a
/// multi-megabyte token is still judged on its merits.
pub const MAX_TOKEN_BYTES: usize = 16 * 1024 * 1024;

/// A compact JWS split and decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segments<'t> {
    /// The first two segments and the dot between them, exactly as sent.
    pub signing_input: &'t str,
    /// The decoded header bytes.
    pub header: Vec<u8>,
    /// The decoded payload bytes.
    pub payload: Vec<u8>,
    /// The decoded signature bytes.
    pub signature: Vec<u8>,
}

/// Splits a compact JWS into its three segments and decodes each, taking base64url's
/// permitted choices `choice`'s way.
pub fn split(token: &str, choice: Choice) -> Checked<Segments<'_>> {
    within_size_bound(token)?;
    let [header, payload, signature] = three_segments(token)?;
    Ok(Segments {
        signing_input: &token[..header.len() + 1 + payload.len()],
        header: segment(header, "header", choice)?,
        payload: segment(payload, "payload", choice)?,
        signature: segment(signature, "signature", choice)?,
    })
}

fn within_size_bound(token: &str) -> Checked {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(Rejection::new(
            RejectKind::Malformed,
            format!(
                "token is {} bytes; the reference refuses tokens over {MAX_TOKEN_BYTES} bytes",
                token.len()
            ),
        ));
    }
    Ok(())
}

/// RFC 7515 section 7.1: `header.payload.signature`.
fn three_segments(token: &str) -> Checked<[&str; 3]> {
    let mut parts = token.split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(p), Some(s), None) => Ok([h, p, s]),
        // Counting stops at the fourth segment: the rest of a token of a million dots is
        // never read.
        (_, _, _, Some(_)) => Err(wrong_count("more than 3")),
        (_, None, _, _) => Err(wrong_count("1")),
        _ => Err(wrong_count("2")),
    }
}

fn wrong_count(count: &str) -> Rejection {
    Rejection::new(
        RejectKind::Malformed,
        format!(
            "a compact JWS has exactly 3 `.`-separated segments, this token has {count} \
             (RFC 7515 section 7.1)"
        ),
    )
}

/// RFC 7515 section 5.2 steps 2, 6 and 7: each segment is base64url-decoded.
fn segment(text: &str, name: &str, choice: Choice) -> Checked<Vec<u8>> {
    base64url::decode(text, choice).map_err(|e| {
        Rejection::new(
            RejectKind::Malformed,
            format!("{name} segment is not canonical unpadded base64url: {e} (RFC 7515 section 2)"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_canonical_segments_are_decoded() {
        let s = split("eyJhIjoxfQ.e30.AQ", Choice::Strict).unwrap();
        assert_eq!(s.header, br#"{"a":1}"#);
        assert_eq!(s.payload, b"{}");
        assert_eq!(s.signature, [1]);
        assert_eq!(s.signing_input, "eyJhIjoxfQ.e30");
        assert_eq!(split("e30.e30.", Choice::Strict).unwrap().signature, b"");
    }

    #[test]
    fn wrong_segment_counts_are_malformed() {
        for (token, count) in [
            ("e30", "has 1 "),
            ("e30.e30", "has 2 "),
            ("e30.e30.e30.e30", "has more than 3 "),
            ("a.b.c.d.e", "has more than 3 "),
            ("....", "has more than 3 "),
        ] {
            for choice in [Choice::Strict, Choice::Lenient] {
                let r = split(token, choice).unwrap_err();
                assert_eq!(r.kind, RejectKind::Malformed, "{token}");
                assert!(r.message.contains(count), "{token}: {}", r.message);
            }
        }
    }

    #[test]
    fn non_canonical_base64url_is_malformed_when_strict() {
        for token in ["e30=.e30.AQ", "e30.e30.AR"] {
            assert_eq!(
                split(token, Choice::Strict).unwrap_err().kind,
                RejectKind::Malformed
            );
            assert!(split(token, Choice::Lenient).is_ok(), "{token}");
        }
        for token in ["e30.e3+.AQ", "e30.e30 .AQ", "e30.e30.A/", "e30.e30.AQ\n"] {
            for choice in [Choice::Strict, Choice::Lenient] {
                assert_eq!(
                    split(token, choice).unwrap_err().kind,
                    RejectKind::Malformed,
                    "{token:?}"
                );
            }
        }
    }

    #[test]
    fn the_size_bound_is_inclusive() {
        let at_bound = "A".repeat(MAX_TOKEN_BYTES);
        assert!(within_size_bound(&at_bound).is_ok());
        let over = "A".repeat(MAX_TOKEN_BYTES + 1);
        assert_eq!(
            split(&over, Choice::Strict).unwrap_err().kind,
            RejectKind::Malformed
        );
    }

    #[test]
    fn a_million_dots_is_a_quick_rejection() {
        let dots = ".".repeat(1_000_000);
        let r = split(&dots, Choice::Strict).unwrap_err();
        assert!(r.message.contains("has more than 3"), "{}", r.message);
    }
}
