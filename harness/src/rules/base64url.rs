//! Base64url, the encoding of every segment of a compact JWS (RFC 7515 section 2 and
//! section 7.1; RFC 4648 section 5).
//!
//! Not a choice (`rfc`): RFC 7515 section 5.2 step 2 decodes each segment "following the
//! restriction that no line breaks, whitespace, or other additional characters have
//! been used", and RFC 4648 section 3.3: "Implementations MUST reject the encoded data if
//! it contains characters outside the base alphabet" — so whitespace, line breaks and the
//! standard alphabet's `+` and `/` are refused either way.
//!
//! Permitted choices, refused by [`Choice::Strict`]:
//! - padding: RFC 7515 section 2 encodes "with all trailing '=' characters omitted", but
//!   `=` is the pad character of RFC 4648's base64url alphabet (section 5) and RFC 7515's
//!   decoding restriction does not name it, so a decoder may tolerate correct padding;
//! - non-zero trailing bits: RFC 4648 section 3.5, "In some environments, the alteration
//!   is critical and therefore decoders MAY chose to reject an encoding if the pad bits
//!   have not been set to zero".

use super::Choice;
use base64::alphabet::URL_SAFE;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::Engine;

/// Canonical padding-free base64url, and nothing else.
const STRICT: GeneralPurpose = URL_SAFE_NO_PAD;

/// Base64url that tolerates non-zero trailing bits; padding is handled before.
const TRAILING_BITS: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

/// Encodes bytes as base64url without padding.
pub fn encode(bytes: impl AsRef<[u8]>) -> String {
    STRICT.encode(bytes)
}

/// Decodes one segment, taking the permitted choices `choice`'s way.
pub fn decode(text: &str, choice: Choice) -> Result<Vec<u8>, String> {
    match choice {
        Choice::Strict => STRICT.decode(text).map_err(|e| e.to_string()),
        Choice::Lenient => TRAILING_BITS
            .decode(without_padding(text)?)
            .map_err(|e| e.to_string()),
    }
}

/// The text without its padding, if the padding is correct: one or two `=` that make the
/// length a multiple of four.
fn without_padding(text: &str) -> Result<&str, String> {
    let data = text.trim_end_matches('=');
    let pads = text.len() - data.len();
    match pads {
        0 => Ok(data),
        1 | 2 if text.len() % 4 == 0 => Ok(data),
        _ => Err(format!(
            "{pads} padding characters do not complete a quantum"
        )),
    }
}

/// `text` as an encoder following RFC 7515 writes the bytes it holds, when it differs
/// from that only in the choices the RFC leaves open (padding, non-zero trailing bits):
/// then a lenient decoder reads the very bytes that were encoded.
pub fn canonical(text: &str) -> Option<String> {
    decode(text, Choice::Lenient).ok().map(encode)
}

/// Whether `token` is `original` with some segments re-encoded in ways a lenient decoder
/// reads as the same bytes: a change of spelling, not of content.
pub fn same_content(original: &str, token: &str) -> bool {
    let (a, b) = (original.split('.'), token.split('.'));
    a.clone().count() == b.clone().count()
        && a.zip(b)
            .all(|(a, b)| a == b || canonical(b).is_some_and(|c| c == a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_and_trailing_bits_do_not_change_content() {
        assert_eq!(canonical("e30=").as_deref(), Some("e30"));
        assert_eq!(canonical("e31").as_deref(), Some("e30"));
        assert_eq!(canonical("e3 0"), None);
        assert!(same_content("e30.e30.AQ", "e30=.e31.AQ"));
        assert!(!same_content("e30.e30.AQ", "e30.e30.AQID"));
        assert!(!same_content("e30.e30.AQ", "e30.e30"));
    }

    #[test]
    fn strict_decoding_is_canonical_only() {
        assert_eq!(decode("AQ", Choice::Strict).unwrap(), vec![1]);
        for bad in ["AQ==", "AR", "+/", "A Q", "AQ\n"] {
            assert!(decode(bad, Choice::Strict).is_err(), "{bad:?}");
        }
        assert_eq!(encode([0xfb, 0xff]), "-_8");
    }

    #[test]
    fn lenient_decoding_tolerates_padding_and_trailing_bits_only() {
        assert_eq!(decode("AQ==", Choice::Lenient).unwrap(), vec![1]);
        assert_eq!(decode("AR", Choice::Lenient).unwrap(), vec![1]);
        assert_eq!(decode("AQID", Choice::Lenient).unwrap(), vec![1, 2, 3]);
        for bad in ["AQ=", "AQ===", "+/", "A Q", "AQ\n", "AQ\r\n", "=AQ"] {
            assert!(decode(bad, Choice::Lenient).is_err(), "{bad:?}");
        }
    }
}
