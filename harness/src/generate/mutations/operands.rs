//! The operands of mutations: segments, labels, encodings and fixture references,
//! each small plain data so fuzzers can generate them.

use crate::alg::Alg;
use crate::forge::key_encodings;
use std::fmt;

/// One of the three segments of a compact JWS.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    /// The protected header.
    Header,
    /// The payload.
    Payload,
    /// The signature.
    Signature,
}

impl Segment {
    /// The segment's position in a compact token.
    pub fn index(self) -> usize {
        match self {
            Segment::Header => 0,
            Segment::Payload => 1,
            Segment::Signature => 2,
        }
    }
}

/// The JSON segments.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonPart {
    /// The protected header.
    Header,
    /// The payload.
    Payload,
}

/// `none` in every capitalisation attackers have used (CVE-2015-9235 and kin).
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoneSpelling {
    /// `none`.
    Lower,
    /// `None`.
    Capitalised,
    /// `NONE`.
    Upper,
    /// `nOnE`.
    Mixed,
    /// `NoNe`.
    Alternating,
}

impl NoneSpelling {
    /// Every spelling.
    pub const ALL: [NoneSpelling; 5] = [
        NoneSpelling::Lower,
        NoneSpelling::Capitalised,
        NoneSpelling::Upper,
        NoneSpelling::Mixed,
        NoneSpelling::Alternating,
    ];

    /// The spelling, as written into `alg`.
    pub fn as_str(self) -> &'static str {
        match self {
            NoneSpelling::Lower => "none",
            NoneSpelling::Capitalised => "None",
            NoneSpelling::Upper => "NONE",
            NoneSpelling::Mixed => "nOnE",
            NoneSpelling::Alternating => "NoNe",
        }
    }
}

/// Registered `alg` values the forge does not sign with.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OtherAlg {
    /// RFC 8812.
    ES256K,
    /// Fully-specified EdDSA (RFC 9864).
    Ed25519,
    /// Fully-specified EdDSA on Ed448 (RFC 9864).
    Ed448,
    /// A JWE key-management algorithm, not a signature.
    RsaOaep,
    /// `dir`: JWE direct encryption with a shared key, not a signature.
    Dir,
}

impl OtherAlg {
    /// Every one of them.
    pub const ALL: [OtherAlg; 5] = [
        OtherAlg::ES256K,
        OtherAlg::Ed25519,
        OtherAlg::Ed448,
        OtherAlg::RsaOaep,
        OtherAlg::Dir,
    ];

    /// The registered `alg` value.
    pub fn as_str(self) -> &'static str {
        match self {
            OtherAlg::ES256K => "ES256K",
            OtherAlg::Ed25519 => "Ed25519",
            OtherAlg::Ed448 => "Ed448",
            OtherAlg::RsaOaep => "RSA-OAEP",
            OtherAlg::Dir => "dir",
        }
    }
}

/// An `alg` header value.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlgLabel {
    /// An algorithm the forge signs with.
    Jws(Alg),
    /// `none`, in one of its spellings.
    None(NoneSpelling),
    /// A registered algorithm the forge does not sign with.
    Other(OtherAlg),
}

impl AlgLabel {
    /// The value as written into the header.
    pub fn as_str(self) -> &'static str {
        match self {
            AlgLabel::Jws(alg) => alg.as_str(),
            AlgLabel::None(spelling) => spelling.as_str(),
            AlgLabel::Other(other) => other.as_str(),
        }
    }
}

/// What happens to the signature when `alg` becomes `none`.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoneSignature {
    /// `header.payload.` (RFC 7519 section 6.1's unsecured form).
    Empty,
    /// The original signature stays.
    Keep,
    /// `header.payload`, no third segment.
    Drop,
}

/// Base64url re-encodings RFC 7515 section 2 forbids.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// `=` padding to a multiple of four.
    Padding,
    /// `+` and `/` instead of `-` and `_`.
    StandardAlphabet,
    /// The unused low bits of the last character set.
    NonCanonicalBits,
    /// A whitespace character inserted at a position (modulo the length).
    Whitespace {
        /// Where, modulo the length.
        at: u16,
        /// Which character.
        ch: WhitespaceChar,
    },
}

/// A whitespace character inserted into base64url text.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WhitespaceChar {
    /// U+0020 space.
    Space,
    /// U+0009 tab.
    Tab,
    /// U+000A line feed.
    Newline,
    /// U+000D carriage return.
    CarriageReturn,
}

impl WhitespaceChar {
    /// The character.
    pub fn as_char(self) -> char {
        match self {
            WhitespaceChar::Space => ' ',
            WhitespaceChar::Tab => '\t',
            WhitespaceChar::Newline => '\n',
            WhitespaceChar::CarriageReturn => '\r',
        }
    }
}

/// The value given to a duplicated member.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DuplicateValue {
    /// The same value again.
    Same,
    /// `"none"`.
    AlgNone,
    /// A NumericDate far in the future.
    FarFuture,
    /// `"attacker"`.
    Attacker,
    /// `null`.
    Null,
}

/// JSON re-serialisations: the same members, other bytes.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reserialisation {
    /// Members in reverse order.
    Reordered,
    /// A space after `:` and `,`.
    Spaced,
    /// Indented over several lines.
    Pretty,
    /// The first letter of the first string written as a `\u00XX` escape.
    EscapedLetter,
}

/// Signature byte re-encodings.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureForm {
    /// `R || S` as a DER `Ecdsa-Sig-Value` (RFC 7518 section 3.4 demands raw).
    Der,
    /// `0 || R || 0 || S`: each half one octet too long.
    PaddedHalves,
    /// A zero octet prepended.
    LeadingZero,
    /// The first octet removed (a leading zero stripped, when there is one).
    DropFirstByte,
}

/// A fixture key, by position in the data crate's list (modulo its length).
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct KeyRef(pub u8);

impl KeyRef {
    /// The fixture's name.
    pub fn name(self) -> &'static str {
        let all = jwt_conformance_vectors::KEYS;
        all[self.0 as usize % all.len()].0
    }

    /// The reference to the fixture named `name`.
    pub fn named(name: &str) -> Option<KeyRef> {
        jwt_conformance_vectors::KEYS
            .iter()
            .position(|(n, _)| *n == name)
            .and_then(|i| u8::try_from(i).ok())
            .map(KeyRef)
    }
}

impl fmt::Debug for KeyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A way of writing a public key down, by position in
/// [`KeyEncoding::ALL`](key_encodings::KeyEncoding::ALL) (modulo its length).
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct KeyForm(pub u8);

impl KeyForm {
    /// The encoding this refers to.
    pub fn encoding(self) -> key_encodings::KeyEncoding {
        let all = key_encodings::KeyEncoding::ALL;
        all[self.0 as usize % all.len()]
    }
}

impl fmt::Debug for KeyForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.encoding().slug())
    }
}

/// HMAC algorithms, for the public-key-as-secret attack.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HmacAlg {
    /// HMAC using SHA-256.
    HS256,
    /// HMAC using SHA-384.
    HS384,
    /// HMAC using SHA-512.
    HS512,
}

impl HmacAlg {
    /// The same algorithm as an [`Alg`].
    pub fn alg(self) -> Alg {
        match self {
            HmacAlg::HS256 => Alg::HS256,
            HmacAlg::HS384 => Alg::HS384,
            HmacAlg::HS512 => Alg::HS512,
        }
    }
}
