//! Base64url without padding (RFC 7515 section 2), strict on decode.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// Encodes bytes as base64url without padding.
pub fn encode(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes base64url without padding; rejects padding, the standard alphabet,
/// whitespace and non-canonical trailing bits.
pub fn decode(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    URL_SAFE_NO_PAD.decode(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_decoding() {
        assert_eq!(decode("AQ").unwrap(), vec![1]);
        assert!(decode("AQ==").is_err(), "padding");
        assert!(decode("AR").is_err(), "non-canonical trailing bits");
        assert!(decode("+/").is_err(), "standard alphabet");
        assert!(decode("A Q").is_err(), "whitespace");
        assert_eq!(encode([0xfb, 0xff]), "-_8");
    }
}
