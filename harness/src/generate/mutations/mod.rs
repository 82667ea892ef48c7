//! Mutation operators on compact tokens. Each is plain data with an
//! [`apply`](Mutation::apply) that never panics, whatever the input, so fuzz targets
//! can drive the same operators (with the `arbitrary` feature they derive
//! `arbitrary::Arbitrary`).
//!
//! Operators that act on a segment's bytes decode it leniently (padding, the standard
//! alphabet, whitespace and non-canonical trailing bits tolerated) and write it back
//! canonically; a segment that does not decode is edited as text.

mod edit;
mod operands;

pub use edit::{changes_signed_content, keys_for, lenient_decode};
pub use operands::*;

use crate::alg::Alg;
use crate::b64;
use crate::forge::{self, key_encodings, keys};
use edit::{
    alg_key_fits, decode_any, duplicate, edit_bytes, reencode, reform, relabelled_header,
    reserialise,
};
use std::fmt;

/// One change to a token.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mutation {
    /// Flips one bit of the segment's bytes (an empty segment gains a byte).
    FlipBit {
        /// The segment changed.
        segment: Segment,
        /// The byte, modulo the segment's length.
        index: u16,
        /// The bit, modulo 8.
        bit: u8,
    },
    /// Overwrites one character of the segment's text (an empty segment gains one).
    SetChar {
        /// The segment changed.
        segment: Segment,
        /// The character, modulo the segment's length.
        index: u16,
        /// The new character's code point (0 to 255).
        ch: u8,
    },
    /// Inserts a byte into the segment's bytes.
    InsertByte {
        /// The segment changed.
        segment: Segment,
        /// Where, modulo one more than the segment's length.
        index: u16,
        /// The byte inserted.
        byte: u8,
    },
    /// Deletes a byte of the segment's bytes.
    DeleteByte {
        /// The segment changed.
        segment: Segment,
        /// The byte, modulo the segment's length.
        index: u16,
    },
    /// Keeps the first `keep` characters of the segment's text (modulo its length).
    Truncate {
        /// The segment changed.
        segment: Segment,
        /// How many characters stay.
        keep: u16,
    },
    /// Appends text to the segment.
    Extend {
        /// The segment changed.
        segment: Segment,
        /// The text appended.
        text: String,
    },
    /// Removes the segment and its dot.
    DropSegment {
        /// The segment removed.
        segment: Segment,
    },
    /// Appends a fourth (or further) segment.
    AddSegment {
        /// The new segment.
        text: String,
    },
    /// Exchanges two segments.
    Swap {
        /// One segment.
        a: Segment,
        /// The other segment.
        b: Segment,
    },
    /// Replaces the segment with the same segment of the `donor` token.
    Splice {
        /// The segment replaced.
        segment: Segment,
        /// The token the replacement comes from.
        donor: String,
    },
    /// Sets the header's `alg`, keeping the signature.
    Relabel {
        /// The new `alg`.
        label: AlgLabel,
    },
    /// Sets `alg` to `none` and empties, keeps or drops the signature.
    AlgNone {
        /// How `none` is capitalised.
        spelling: NoneSpelling,
        /// What becomes of the signature.
        signature: NoneSignature,
    },
    /// Re-encodes the segment's base64url.
    Reencode {
        /// The segment changed.
        segment: Segment,
        /// The forbidden encoding.
        encoding: Encoding,
    },
    /// Adds a second member with the name of an existing one (by index, modulo).
    DuplicateMember {
        /// The header or the payload.
        part: JsonPart,
        /// The member duplicated, by position.
        member: u8,
        /// The duplicate's value.
        value: DuplicateValue,
        /// Whether the duplicate goes before the members rather than after them.
        first: bool,
    },
    /// Rewrites the JSON with the same members, without re-signing.
    Reserialise {
        /// The header or the payload.
        part: JsonPart,
        /// How the JSON is rewritten.
        style: Reserialisation,
    },
    /// Re-encodes the signature bytes.
    Signature {
        /// The new form.
        form: SignatureForm,
    },
    /// Re-signs header (with `alg` set) and payload with a fixture's private key.
    Resign {
        /// The algorithm signed with, written into `alg`.
        alg: Alg,
        /// The fixture key; when it cannot sign `alg`, another fixture that can.
        key: KeyRef,
    },
    /// Sets `alg` to HMAC and MACs with a fixture's public key, written as `form`, as
    /// the secret (RFC 8725 section 2.1).
    PublicKeyAsHmac {
        /// The HMAC algorithm.
        alg: HmacAlg,
        /// The fixture whose public key is the secret.
        key: KeyRef,
        /// How the public key is written down as the secret.
        form: KeyForm,
    },
}

impl Mutation {
    /// The mutated token. Never panics; a mutation that does not apply to this token
    /// (a segment it lacks, a key that cannot sign) returns it unchanged.
    pub fn apply(&self, token: &str) -> String {
        let mut parts: Vec<String> = token.split('.').map(String::from).collect();
        let has = |parts: &Vec<String>, s: Segment| s.index() < parts.len();
        match self {
            Mutation::FlipBit {
                segment,
                index,
                bit,
            } if has(&parts, *segment) => {
                let i = segment.index();
                parts[i] = edit_bytes(&parts[i], |b| {
                    let mask = 1u8 << (bit % 8);
                    if b.is_empty() {
                        b.push(mask);
                    } else {
                        let at = *index as usize % b.len();
                        b[at] ^= mask;
                    }
                });
            }
            Mutation::SetChar { segment, index, ch } if has(&parts, *segment) => {
                let i = segment.index();
                let mut chars: Vec<char> = parts[i].chars().collect();
                let ch = char::from(*ch);
                if chars.is_empty() {
                    chars.push(ch);
                } else {
                    let at = *index as usize % chars.len();
                    chars[at] = ch;
                }
                parts[i] = chars.into_iter().collect();
            }
            Mutation::InsertByte {
                segment,
                index,
                byte,
            } if has(&parts, *segment) => {
                let i = segment.index();
                parts[i] = edit_bytes(&parts[i], |b| {
                    let at = *index as usize % (b.len() + 1);
                    b.insert(at, *byte);
                });
            }
            Mutation::DeleteByte { segment, index } if has(&parts, *segment) => {
                let i = segment.index();
                parts[i] = edit_bytes(&parts[i], |b| {
                    if !b.is_empty() {
                        let at = *index as usize % b.len();
                        b.remove(at);
                    }
                });
            }
            Mutation::Truncate { segment, keep } if has(&parts, *segment) => {
                let i = segment.index();
                let len = parts[i].chars().count();
                if len > 0 {
                    parts[i] = parts[i].chars().take(*keep as usize % len).collect();
                }
            }
            Mutation::Extend { segment, text } if has(&parts, *segment) => {
                parts[segment.index()].push_str(text);
            }
            Mutation::DropSegment { segment } if has(&parts, *segment) => {
                parts.remove(segment.index());
            }
            Mutation::AddSegment { text } => parts.push(text.clone()),
            Mutation::Swap { a, b } if has(&parts, *a) && has(&parts, *b) => {
                parts.swap(a.index(), b.index());
            }
            Mutation::Splice { segment, donor } if has(&parts, *segment) => {
                if let Some(s) = donor.split('.').nth(segment.index()) {
                    parts[segment.index()] = s.to_string();
                }
            }
            Mutation::Relabel { label } if !parts.is_empty() => {
                parts[0] = b64::encode(relabelled_header(&parts[0], label.as_str()));
            }
            Mutation::AlgNone {
                spelling,
                signature,
            } if !parts.is_empty() => {
                parts[0] = b64::encode(relabelled_header(&parts[0], spelling.as_str()));
                match signature {
                    NoneSignature::Keep => {}
                    NoneSignature::Empty => {
                        parts.truncate(2);
                        if parts.len() == 2 {
                            parts.push(String::new());
                        }
                    }
                    NoneSignature::Drop => parts.truncate(2),
                }
            }
            Mutation::Reencode { segment, encoding } if has(&parts, *segment) => {
                let i = segment.index();
                parts[i] = reencode(&parts[i], *encoding);
            }
            Mutation::DuplicateMember {
                part,
                member,
                value,
                first,
            } => {
                let i = match part {
                    JsonPart::Header => 0,
                    JsonPart::Payload => 1,
                };
                if let Some(text) = parts
                    .get(i)
                    .and_then(|p| duplicate(p, *member, *value, *first))
                {
                    parts[i] = b64::encode(text);
                }
            }
            Mutation::Reserialise { part, style } => {
                let i = match part {
                    JsonPart::Header => 0,
                    JsonPart::Payload => 1,
                };
                if let Some(text) = parts.get(i).and_then(|p| reserialise(p, *style)) {
                    parts[i] = b64::encode(text);
                }
            }
            Mutation::Signature { form } if parts.len() >= 3 => {
                parts[2] = edit_bytes(&parts[2], |b| *b = reform(b, *form));
            }
            Mutation::Resign { alg, key } if parts.len() >= 2 => {
                let name = if alg_key_fits(*alg, key.name()) {
                    key.name()
                } else {
                    keys::second_key_name(*alg)
                };
                let header = relabelled_header(&parts[0], alg.as_str());
                let payload = decode_any(&parts[1]).unwrap_or_else(|| parts[1].as_bytes().to_vec());
                if let Ok(token) = forge::sign_bytes(&header, &payload, *alg, keys::private(name)) {
                    return token;
                }
            }
            Mutation::PublicKeyAsHmac { alg, key, form } if parts.len() >= 2 => {
                let secret = key_encodings::encode(key.name(), form.encoding()).or_else(|_| {
                    key_encodings::encode(key.name(), key_encodings::KeyEncoding::JwkJson)
                });
                if let Ok(secret) = secret {
                    let header = relabelled_header(&parts[0], alg.alg().as_str());
                    let payload =
                        decode_any(&parts[1]).unwrap_or_else(|| parts[1].as_bytes().to_vec());
                    let input = forge::signing_input(&header, &payload);
                    let mac = forge::hmac(alg.alg(), &secret, input.as_bytes());
                    return format!("{input}.{}", b64::encode(mac));
                }
            }
            _ => {}
        }
        parts.join(".")
    }
}

impl fmt::Display for Mutation {
    /// A short description; long texts (donor tokens) are elided.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mutation::Splice { segment, donor } => {
                write!(
                    f,
                    "Splice {{ segment: {segment:?}, donor: {} }}",
                    elide(donor, 40)
                )
            }
            Mutation::Extend { segment, text } => {
                write!(
                    f,
                    "Extend {{ segment: {segment:?}, text: {:?} }}",
                    elide(text, 40)
                )
            }
            Mutation::AddSegment { text } => {
                write!(f, "AddSegment {{ text: {:?} }}", elide(text, 40))
            }
            other => write!(f, "{other:?}"),
        }
    }
}

/// `text` cut to about `max` characters with an ellipsis.
pub fn elide(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let head: String = text.chars().take(max).collect();
        format!("{head}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn token() -> String {
        forge::jwt(Alg::HS256, "oct-a", &json!({"sub": "x", "exp": 1}))
    }

    fn header(token: &str) -> Value {
        serde_json::from_slice(&b64::decode(token.split('.').next().unwrap()).unwrap()).unwrap()
    }

    #[test]
    fn relabels_and_none_change_the_header() {
        let t = token();
        let none = Mutation::AlgNone {
            spelling: NoneSpelling::Mixed,
            signature: NoneSignature::Empty,
        }
        .apply(&t);
        assert_eq!(header(&none)["alg"], "nOnE");
        assert!(none.ends_with('.'));
        assert_eq!(header(&none)["kid"], "oct-a", "other members stay");
        let relabelled = Mutation::Relabel {
            label: AlgLabel::Jws(Alg::RS256),
        }
        .apply(&t);
        assert_eq!(header(&relabelled)["alg"], "RS256");
        assert_eq!(relabelled.rsplit('.').next(), t.rsplit('.').next());
    }

    #[test]
    fn signature_reencodings_are_the_documented_no_ops() {
        let t = token();
        for encoding in [
            Encoding::Padding,
            Encoding::StandardAlphabet,
            Encoding::NonCanonicalBits,
            Encoding::Whitespace {
                at: 3,
                ch: WhitespaceChar::Newline,
            },
        ] {
            let sig = Mutation::Reencode {
                segment: Segment::Signature,
                encoding,
            }
            .apply(&t);
            assert!(!changes_signed_content(&t, &sig), "{encoding:?}: {sig}");
            let head = Mutation::Reencode {
                segment: Segment::Header,
                encoding,
            }
            .apply(&t);
            if head != t {
                assert!(changes_signed_content(&t, &head), "{encoding:?}");
            }
        }
        // HS256 signatures are 32 bytes: 43 characters, 2 unused bits.
        let bits = Mutation::Reencode {
            segment: Segment::Signature,
            encoding: Encoding::NonCanonicalBits,
        }
        .apply(&t);
        assert_ne!(bits, t);
        assert!(b64::decode(bits.rsplit('.').next().unwrap()).is_err());
    }

    #[test]
    fn content_changes_are_detected() {
        let t = token();
        let cases = [
            Mutation::FlipBit {
                segment: Segment::Payload,
                index: 3,
                bit: 1,
            },
            Mutation::Truncate {
                segment: Segment::Signature,
                keep: 10,
            },
            Mutation::DropSegment {
                segment: Segment::Signature,
            },
            Mutation::DuplicateMember {
                part: JsonPart::Payload,
                member: 1,
                value: DuplicateValue::FarFuture,
                first: false,
            },
            Mutation::Reserialise {
                part: JsonPart::Header,
                style: Reserialisation::EscapedLetter,
            },
            Mutation::Signature {
                form: SignatureForm::Der,
            },
            Mutation::Resign {
                alg: Alg::HS256,
                key: KeyRef::named("oct-b").unwrap(),
            },
            Mutation::PublicKeyAsHmac {
                alg: HmacAlg::HS256,
                key: KeyRef::named("rsa-2048-a").unwrap(),
                form: KeyForm(0),
            },
        ];
        for m in cases {
            let mutated = m.apply(&t);
            assert!(changes_signed_content(&t, &mutated), "{m}: {mutated}");
        }
        let dup = Mutation::DuplicateMember {
            part: JsonPart::Payload,
            member: 1,
            value: DuplicateValue::FarFuture,
            first: false,
        }
        .apply(&t);
        let payload = b64::decode(dup.split('.').nth(1).unwrap()).unwrap();
        assert_eq!(payload, br#"{"sub":"x","exp":1,"exp":99999999999}"#);
        let escaped = Mutation::Reserialise {
            part: JsonPart::Header,
            style: Reserialisation::EscapedLetter,
        }
        .apply(&t);
        assert_eq!(header(&escaped), header(&t), "same JSON, other bytes");
    }

    #[test]
    fn every_key_offered_for_an_alg_can_sign_with_it() {
        for alg in Alg::ALL {
            assert!(!keys_for(alg).is_empty(), "{alg}");
            for name in keys_for(alg) {
                assert!(
                    forge::sign(alg, keys::private(name), b"x").is_ok(),
                    "{alg} {name}"
                );
            }
        }
        assert!(
            !keys_for(Alg::PS512).contains(&"rsa-1024"),
            "salt does not fit"
        );
    }

    #[test]
    fn ecdsa_signatures_become_der() {
        let t = forge::jwt(Alg::ES256, "ec-p256-a", &json!({"a": 1}));
        let der = Mutation::Signature {
            form: SignatureForm::Der,
        }
        .apply(&t);
        let bytes = b64::decode(der.rsplit('.').next().unwrap()).unwrap();
        assert_eq!(bytes[0], 0x30);
        assert!(bytes.len() >= 70 && bytes.len() <= 72, "{}", bytes.len());
    }

    #[test]
    fn garbage_never_panics() {
        use proptest::test_runner::{Config, TestRunner};
        let mut runner = TestRunner::new(Config::with_cases(512));
        let strategy = (".{0,40}", crate::generate::mutation());
        runner
            .run(&strategy, |(input, m)| {
                let _ = m.apply(&input);
                let _ = changes_signed_content(&input, &m.apply(&input));
                Ok(())
            })
            .unwrap();
        let relabelled = Mutation::Relabel {
            label: AlgLabel::None(NoneSpelling::Lower),
        }
        .apply("");
        assert_eq!(header(&format!("{relabelled}..")), json!({"alg": "none"}));
    }
}
