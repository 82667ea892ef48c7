//! Strategies for [`Mutation`]s, and their resolution against a policy: re-signing
//! must use keys the policy does *not* trust, and the public-key-as-secret attack the
//! keys it does.

use super::policy::Setup;
use crate::alg::Alg;
use crate::generate::mutations::{
    keys_for, AlgLabel, DuplicateValue, Encoding, HmacAlg, JsonPart, KeyForm, KeyRef, Mutation,
    NoneSignature, NoneSpelling, OtherAlg, Reserialisation, Segment, SignatureForm, WhitespaceChar,
};
use proptest::prelude::*;

fn segment() -> impl Strategy<Value = Segment> {
    prop::sample::select(vec![Segment::Signature, Segment::Payload, Segment::Header])
}

fn json_part() -> impl Strategy<Value = JsonPart> {
    prop::sample::select(vec![JsonPart::Payload, JsonPart::Header])
}

fn alg_label() -> impl Strategy<Value = AlgLabel> {
    prop_oneof![
        3 => prop::sample::select(Alg::ALL.to_vec()).prop_map(AlgLabel::Jws),
        2 => prop::sample::select(NoneSpelling::ALL.to_vec()).prop_map(AlgLabel::None),
        1 => prop::sample::select(OtherAlg::ALL.to_vec()).prop_map(AlgLabel::Other),
    ]
}

fn encoding() -> impl Strategy<Value = Encoding> {
    prop_oneof![
        Just(Encoding::Padding),
        Just(Encoding::StandardAlphabet),
        Just(Encoding::NonCanonicalBits),
        (
            any::<u16>(),
            prop::sample::select(vec![
                WhitespaceChar::Space,
                WhitespaceChar::Tab,
                WhitespaceChar::Newline,
                WhitespaceChar::CarriageReturn,
            ])
        )
            .prop_map(|(at, ch)| Encoding::Whitespace { at, ch }),
    ]
}

fn key_ref() -> impl Strategy<Value = KeyRef> {
    any::<u8>().prop_map(KeyRef)
}

/// Text to graft onto a token: base64url, padding, dots and junk.
fn graft() -> impl Strategy<Value = String> {
    prop_oneof!["[A-Za-z0-9_-]{1,8}", "[=.+/ ]{1,3}", ".{1,4}",]
}

/// Any mutation; `Splice` donors are empty until [`resolve`] fills them.
pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (segment(), any::<u16>(), 0u8..8).prop_map(|(segment, index, bit)| Mutation::FlipBit {
            segment,
            index,
            bit
        }),
        (segment(), any::<u16>(), any::<u8>()).prop_map(|(segment, index, ch)| Mutation::SetChar {
            segment,
            index,
            ch
        }),
        (segment(), any::<u16>(), any::<u8>()).prop_map(|(segment, index, byte)| {
            Mutation::InsertByte {
                segment,
                index,
                byte,
            }
        }),
        (segment(), any::<u16>())
            .prop_map(|(segment, index)| Mutation::DeleteByte { segment, index }),
        (segment(), any::<u16>()).prop_map(|(segment, keep)| Mutation::Truncate { segment, keep }),
        (segment(), graft()).prop_map(|(segment, text)| Mutation::Extend { segment, text }),
        segment().prop_map(|segment| Mutation::DropSegment { segment }),
        graft().prop_map(|text| Mutation::AddSegment { text }),
        (segment(), segment()).prop_map(|(a, b)| Mutation::Swap { a, b }),
        segment().prop_map(|segment| Mutation::Splice {
            segment,
            donor: String::new()
        }),
        alg_label().prop_map(|label| Mutation::Relabel { label }),
        (
            prop::sample::select(NoneSpelling::ALL.to_vec()),
            prop::sample::select(vec![
                NoneSignature::Empty,
                NoneSignature::Keep,
                NoneSignature::Drop
            ])
        )
            .prop_map(|(spelling, signature)| Mutation::AlgNone {
                spelling,
                signature
            }),
        (segment(), encoding())
            .prop_map(|(segment, encoding)| Mutation::Reencode { segment, encoding }),
        (
            json_part(),
            any::<u8>(),
            prop::sample::select(vec![
                DuplicateValue::Same,
                DuplicateValue::AlgNone,
                DuplicateValue::FarFuture,
                DuplicateValue::Attacker,
                DuplicateValue::Null,
            ]),
            any::<bool>()
        )
            .prop_map(|(part, member, value, first)| Mutation::DuplicateMember {
                part,
                member,
                value,
                first
            }),
        (
            json_part(),
            prop::sample::select(vec![
                Reserialisation::Reordered,
                Reserialisation::Spaced,
                Reserialisation::Pretty,
                Reserialisation::EscapedLetter,
            ])
        )
            .prop_map(|(part, style)| Mutation::Reserialise { part, style }),
        prop::sample::select(vec![
            SignatureForm::Der,
            SignatureForm::PaddedHalves,
            SignatureForm::LeadingZero,
            SignatureForm::DropFirstByte,
        ])
        .prop_map(|form| Mutation::Signature { form }),
        (prop::sample::select(Alg::ALL.to_vec()), key_ref())
            .prop_map(|(alg, key)| Mutation::Resign { alg, key }),
        (
            prop::sample::select(vec![HmacAlg::HS256, HmacAlg::HS384, HmacAlg::HS512]),
            key_ref(),
            any::<u8>().prop_map(KeyForm)
        )
            .prop_map(|(alg, key, form)| Mutation::PublicKeyAsHmac { alg, key, form }),
    ]
}

/// Makes a generated mutation an attack on `setup`: splices take their segment from
/// `donor` (another legitimately signed token); re-signing uses a fixture key the
/// policy does not trust (or, when it trusts every key that fits, an untrusted HMAC
/// key); the public-key-as-secret attack uses a trusted asymmetric key when there is one.
pub fn resolve(mutation: Mutation, setup: &Setup, donor: &str) -> Mutation {
    match mutation {
        Mutation::Splice { segment, .. } => Mutation::Splice {
            segment,
            donor: donor.to_string(),
        },
        Mutation::Resign { alg, key } => {
            let untrusted = |alg: Alg| -> Vec<&'static str> {
                keys_for(alg)
                    .into_iter()
                    .filter(|name| !setup.trusts(alg, name))
                    .collect()
            };
            let mut alg = alg;
            let mut candidates = untrusted(alg);
            if candidates.is_empty() {
                // Only the suite's a/b fixtures are ever trusted, so other HMAC keys exist.
                alg = Alg::HS256;
                candidates = untrusted(alg);
            }
            let name = candidates[key.0 as usize % candidates.len()];
            Mutation::Resign {
                alg,
                key: KeyRef::named(name).unwrap_or(key),
            }
        }
        Mutation::PublicKeyAsHmac { alg, key, form } => {
            let trusted: Vec<&str> = jwt_conformance_vectors::KEYS
                .iter()
                .map(|(name, _)| *name)
                .filter(|name| {
                    setup.trusts_key(name) && crate::forge::keys::private(name).kty != "oct"
                })
                .collect();
            let key = if trusted.is_empty() {
                key
            } else {
                KeyRef::named(trusted[key.0 as usize % trusted.len()]).unwrap_or(key)
            };
            Mutation::PublicKeyAsHmac { alg, key, form }
        }
        other => other,
    }
}
