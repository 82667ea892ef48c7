//! `zip: DEF` (RFC 7516 section 4.1.3): raw DEFLATE (RFC 1951, no zlib or gzip
//! wrapper) applied to the plaintext before encryption, and compression bombs for
//! resource-limit cases.

use super::JweError;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use std::io::{Read, Write};

/// `data` compressed with raw DEFLATE at the best compression level. The same input
/// gives the same output with the same build.
pub fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
    encoder
        .write_all(data)
        .expect("writing to a Vec cannot fail");
    encoder.finish().expect("writing to a Vec cannot fail")
}

/// Inflates raw DEFLATE `data`, failing when it is malformed or when its output would
/// exceed `max_len` octets (so a bomb never inflates past the limit).
pub fn inflate(data: &[u8], max_len: usize) -> Result<Vec<u8>, JweError> {
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(data)
        .take(max_len as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| JweError(format!("zip DEF: not valid DEFLATE data: {e}")))?;
    if out.len() > max_len {
        return Err(JweError(format!(
            "zip DEF: the content inflates past the limit of {max_len} octets"
        )));
    }
    Ok(out)
}

/// A raw DEFLATE stream that inflates to exactly `inflated_len` octets: `prefix`
/// followed by `fill` repeated (just `prefix`, whole, when it is longer). With a JSON
/// claims set as `prefix` and `b' '` as `fill` the inflated content is still valid JSON
/// (RFC 8259 allows trailing whitespace), so only a size limit stops it.
///
/// It is built by streaming the fill through the encoder in 64 KiB chunks: the forge
/// never holds the inflated content. DEFLATE cannot compress better than about 1032:1,
/// so 250 KB inflated takes about 250 octets here and 100 MB about 100 KB.
pub fn deflate_bomb(prefix: &[u8], fill: u8, inflated_len: u64) -> Vec<u8> {
    const CHUNK: usize = 64 * 1024;
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
    encoder
        .write_all(prefix)
        .expect("writing to a Vec cannot fail");
    let chunk = [fill; CHUNK];
    let mut left = inflated_len.saturating_sub(prefix.len() as u64);
    while left > 0 {
        let n = left.min(CHUNK as u64) as usize;
        encoder
            .write_all(&chunk[..n])
            .expect("writing to a Vec cannot fail");
        left -= n as u64;
    }
    encoder.finish().expect("writing to a Vec cannot fail")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deflate_round_trips_and_is_deterministic() {
        let data = br#"{"sub":"x","padding":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#;
        assert_eq!(deflate(data), deflate(data));
        assert_eq!(inflate(&deflate(data), data.len()).unwrap(), data);
        assert!(inflate(&deflate(data), data.len() - 1).is_err());
        assert!(inflate(b"\xff\xff\xff", 100).is_err());
    }

    #[test]
    fn a_bomb_inflates_to_exactly_its_size_and_stays_small() {
        let prefix = br#"{"sub":"bomb"}"#;
        let bomb = deflate_bomb(prefix, b' ', 250_000);
        assert!(bomb.len() < 1_000, "{} octets", bomb.len());
        let inflated = inflate(&bomb, 250_000).unwrap();
        assert_eq!(inflated.len(), 250_000);
        assert!(inflated.starts_with(prefix));
        assert!(inflated[prefix.len()..].iter().all(|&b| b == b' '));
        let value: serde_json::Value = serde_json::from_slice(&inflated).unwrap();
        assert_eq!(value["sub"], "bomb");
        assert!(inflate(&bomb, 249_999).is_err());
        assert_eq!(
            inflate(&deflate_bomb(prefix, b' ', 3), 100).unwrap(),
            prefix
        );
    }
}
