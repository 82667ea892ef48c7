//! Step 1: the compact serialization — size, three segments, strict base64url.

use crate::reject::{Checked, Rejection};
use jwt_conformance::{b64, RejectKind};

/// The longest token accepted, in bytes: 16 MiB.
///
/// RFC 7515 sets no maximum. The bound exists so that a verifier never decodes and parses
/// an attacker's arbitrarily large input; 16 MiB is far above any real token (a 1 MB
/// token is accepted) and low enough that the decoded copies stay small.
pub const MAX_TOKEN_BYTES: usize = 16 * 1024 * 1024;

/// The decoded parts of a compact JWS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segments<'t> {
    /// `BASE64URL(header) || '.' || BASE64URL(payload)`, the bytes the signature covers.
    pub signing_input: &'t str,
    /// The JOSE Header octets.
    pub header: Vec<u8>,
    /// The JWS Payload octets.
    pub payload: Vec<u8>,
    /// The JWS Signature octets.
    pub signature: Vec<u8>,
}

/// Splits and decodes a compact JWS, rejecting anything that is not exactly one.
pub fn split(token: &str) -> Checked<Segments<'_>> {
    within_size_bound(token)?;
    let [header, payload, signature] = three_segments(token)?;
    Ok(Segments {
        signing_input: &token[..header.len() + 1 + payload.len()],
        header: base64url(header, "header")?,
        payload: base64url(payload, "payload")?,
        signature: base64url(signature, "signature")?,
    })
}

/// The reference's own defensive bound (RFC 7515 sets none): a token longer than
/// [`MAX_TOKEN_BYTES`] is refused before anything is decoded or parsed.
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

/// RFC 7515 section 7.1: the compact serialization is
/// `BASE64URL(UTF8(JWS Protected Header)) || '.' || BASE64URL(JWS Payload) || '.' ||
/// BASE64URL(JWS Signature)` — exactly three segments (five would be a JWE).
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

/// RFC 7515 section 2: base64url "with all trailing '=' characters omitted … and without
/// the inclusion of any line breaks, whitespace, or other additional characters"; the
/// encoding must also be canonical (unused trailing bits zero, RFC 4648 section 3.5), so
/// each byte string has exactly one spelling.
fn base64url(segment: &str, name: &str) -> Checked<Vec<u8>> {
    b64::decode(segment).map_err(|e| {
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
        let s = split("eyJhIjoxfQ.e30.AQ").unwrap();
        assert_eq!(s.header, br#"{"a":1}"#);
        assert_eq!(s.payload, b"{}");
        assert_eq!(s.signature, [1]);
        assert_eq!(s.signing_input, "eyJhIjoxfQ.e30");
        assert_eq!(split("e30.e30.").unwrap().signature, b"");
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
            let r = split(token).unwrap_err();
            assert_eq!(r.kind, RejectKind::Malformed, "{token}");
            assert!(r.message.contains(count), "{token}: {}", r.message);
        }
    }

    #[test]
    fn non_canonical_base64url_is_malformed() {
        for token in [
            "e30=.e30.AQ",
            "e30.e30.AR",
            "e30.e3+.AQ",
            "e30.e30 .AQ",
            "e30.e30.A/",
        ] {
            let r = split(token).unwrap_err();
            assert_eq!(r.kind, RejectKind::Malformed, "{token}");
        }
    }

    #[test]
    fn the_size_bound_is_inclusive() {
        let at_bound = "A".repeat(MAX_TOKEN_BYTES);
        assert!(within_size_bound(&at_bound).is_ok());
        let over = "A".repeat(MAX_TOKEN_BYTES + 1);
        assert_eq!(split(&over).unwrap_err().kind, RejectKind::Malformed);
    }

    #[test]
    fn a_million_dots_is_a_quick_rejection() {
        let dots = ".".repeat(1_000_000);
        let r = split(&dots).unwrap_err();
        assert!(r.message.contains("has more than 3"), "{}", r.message);
    }
}
