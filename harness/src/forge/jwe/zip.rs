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
/// The forge holds and compresses at most a mebibyte of the inflated content. DEFLATE
/// cannot compress better than about 1032:1, so 250 KB inflated takes about 250 octets
/// here and 100 MB about 100 KB.
pub fn deflate_bomb(prefix: &[u8], fill: u8, inflated_len: u64) -> Vec<u8> {
    use miniz_oxide::deflate::core::TDEFLFlush;
    const PIECE: usize = 1 << 20;
    let fill_len = inflated_len.saturating_sub(prefix.len() as u64);
    let (whole, rest) = (fill_len / PIECE as u64, (fill_len % PIECE as u64) as usize);
    // Each part ends with a full flush: byte-aligned, no back-reference into what came
    // before, and the block not the last. So one compressed mebibyte of fill, repeated,
    // is what compressing the whole stream would give, at the cost of one mebibyte.
    let mut out = compressed_part(prefix, TDEFLFlush::Full);
    if whole > 0 {
        let piece = compressed_part(&vec![fill; PIECE], TDEFLFlush::Full);
        for _ in 0..whole {
            out.extend_from_slice(&piece);
        }
    }
    out.extend(compressed_part(&vec![fill; rest], TDEFLFlush::Finish));
    out
}

/// `data` as raw DEFLATE from a fresh compressor at the best level, with the run-length
/// strategy (a fill is one repeated byte: matches at distance 1 are all there is), ended
/// by `flush`.
fn compressed_part(data: &[u8], flush: miniz_oxide::deflate::core::TDEFLFlush) -> Vec<u8> {
    use miniz_oxide::deflate::core::{
        compress_to_output, create_comp_flags_from_zip_params, CompressionStrategy,
        CompressorOxide, TDEFLStatus,
    };
    // Negative window bits: raw DEFLATE, no zlib wrapper.
    let flags = create_comp_flags_from_zip_params(9, -15, CompressionStrategy::RLE as i32);
    let mut compressor = CompressorOxide::new(flags);
    let mut out = Vec::new();
    let (status, consumed) = compress_to_output(&mut compressor, data, flush, |bytes| {
        out.extend_from_slice(bytes);
        true
    });
    assert!(
        matches!(status, TDEFLStatus::Okay | TDEFLStatus::Done) && consumed == data.len(),
        "compressing into a Vec cannot fail"
    );
    out
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
    fn a_bomb_of_several_mebibytes_is_its_pieces_joined() {
        let prefix = br#"{"sub":"bomb"}"#;
        let size = (5 << 20) / 2 + 7;
        let bomb = deflate_bomb(prefix, b' ', size);
        let inflated = inflate(&bomb, size as usize).unwrap();
        assert_eq!(inflated.len() as u64, size);
        assert!(inflated.starts_with(prefix));
        assert!(inflated[prefix.len()..].iter().all(|&b| b == b' '));
        assert!(bomb.len() < 5_000, "{} octets", bomb.len());
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
