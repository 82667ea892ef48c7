//! Which findings an adapter's manifest already documents.
//!
//! A manifest lists catalogue cases; a fuzzer finds tokens. They are matched by what is
//! wrong with them: the strict reference verifier's defect messages with the values
//! taken out ([`template`]). A token accepted by an adapter is a known deviation when
//! every defect the reference finds in it is one that some listed case was built to
//! have (each catalogue case has exactly one). A valid token rejected, or handed back
//! with other claims, is known when a listed positive case gets the same treatment.

use crate::adapters::Chosen;
use jwt_conformance::catalogue;
use jwt_conformance::rules::json::difference as claims_difference;
use jwt_conformance::{Case, Context, Expected, Policy, RejectKind, Verdict};
use jwt_conformance_reference::{ReferenceVerifier, Rejection};
use std::collections::BTreeSet;

/// A message with its values replaced: string literals by `"…"`, numbers by `N`. Two
/// messages about the same defect in different tokens have the same template; the JSON
/// type of a wrongly typed claim is kept, so a listed case documents exactly its type.
pub fn template(message: &str) -> String {
    let chars: Vec<char> = message.chars().collect();
    let mut out = String::with_capacity(message.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts_number = c.is_ascii_digit()
            || (c == '-'
                && chars.get(i + 1).is_some_and(char::is_ascii_digit)
                && !i
                    .checked_sub(1)
                    .and_then(|p| chars.get(p))
                    .is_some_and(|p| p.is_alphanumeric()));
        if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"…\"");
        } else if starts_number {
            i += 1;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || matches!(chars[i], '.' | 'e' | 'E')
                        && chars
                            .get(i + 1)
                            .is_some_and(|n| n.is_ascii_digit() || *n == '-' || *n == '+')
                    || matches!(chars[i], '-' | '+') && matches!(chars[i - 1], 'e' | 'E'))
            {
                i += 1;
            }
            out.push('N');
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The reference's defects of `token` under `policy`.
pub fn defects(policy: &Policy, token: &str) -> Vec<Rejection> {
    ReferenceVerifier::new(policy, jwt_conformance::rules::Choice::Strict).defects(token)
}

/// The deviations an adapter's manifest documents, as templates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Deviations {
    /// Defects the adapter is documented to let through.
    pub accepts: BTreeSet<String>,
    /// Rejections of valid tokens: the adapter's kind and message template.
    pub rejects: BTreeSet<(&'static str, String)>,
    /// Differences between signed and returned claims.
    pub returns: BTreeSet<String>,
}

impl Deviations {
    /// Builds the classes of the adapter's listed cases and replays those cases. Fuzz
    /// targets do it once, at the first finding; only the classes the manifest names are
    /// minted, since a whole catalogue takes longer than libFuzzer's per-input limit in
    /// an instrumented build.
    pub fn of(chosen: &Chosen) -> Deviations {
        let mut out = Deviations::default();
        let classes: Vec<&catalogue::Class> = catalogue::CLASSES
            .iter()
            .filter(|class| {
                chosen
                    .manifest
                    .ids()
                    .any(|id| id.split('/').next() == Some(class.name))
            })
            .collect();
        if classes.is_empty() {
            return out;
        }
        let ctx = Context::for_adapter(&chosen.adapter.info());
        let listed: Vec<Case> = catalogue::build(&ctx, &classes)
            .into_iter()
            .filter(|c| chosen.manifest.reason(&c.id).is_some())
            .collect();
        for case in listed {
            match &case.expected {
                Expected::Reject { .. } => out.accepts.extend(
                    defects(&case.policy, &case.token)
                        .iter()
                        .map(|d| template(&d.message)),
                ),
                Expected::Accept { claims } => {
                    let Ok(verifier) = chosen.adapter.prepare(&case.policy) else {
                        continue;
                    };
                    match verifier.verify(&case.token) {
                        Verdict::Rejected { kind, message } => {
                            out.rejects.insert((kind.as_str(), template(&message)));
                        }
                        Verdict::Accepted { claims: got } => {
                            if let Some(diff) = claims_difference(claims, &got) {
                                out.returns.insert(template(&diff));
                            }
                        }
                        _ => {}
                    }
                }
                Expected::Either { .. } => {}
            }
        }
        out
    }

    /// Whether accepting a token with these defects is documented: there is at least
    /// one, and each is of a kind a listed case has.
    pub fn documents_acceptance(&self, defects: &[Rejection]) -> bool {
        !defects.is_empty() && defects.iter().all(|d| self.documents_defect(d))
    }

    /// Whether a listed case has this defect.
    pub fn documents_defect(&self, defect: &Rejection) -> bool {
        self.accepts.contains(&template(&defect.message))
    }

    /// Whether rejecting a valid token this way is documented.
    pub fn documents_rejection(&self, kind: RejectKind, message: &str) -> bool {
        self.rejects.contains(&(kind.as_str(), template(message)))
    }

    /// Whether handing back claims that differ this way is documented.
    pub fn documents_claims(&self, difference: &str) -> bool {
        self.returns.contains(&template(difference))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::by_name;
    use jwt_conformance::Manifest;

    #[test]
    fn templates_drop_values_but_keep_the_rule() {
        assert_eq!(
            template(
                r#"`iss` "https://A" is not the expected "https://a" (RFC 7519 section 4.1.1)"#
            ),
            r#"`iss` "…" is not the expected "…" (RFC N section N)"#
        );
        assert_eq!(
            template("exp 1700000000 is not after now 1700000001 with 0 s leeway"),
            "exp N is not after now N with N s leeway"
        );
        assert_eq!(template("exp -1.5e-3 x"), "exp N x");
        assert_eq!(template(r#"kid "a\"b" unknown"#), r#"kid "…" unknown"#);
        assert_eq!(template("P-256 key"), "P-N key");
        assert_ne!(
            template("`iss` is an array, not a string"),
            template("`iss` is null, not a string")
        );
    }

    #[test]
    fn listed_cases_document_their_defect_and_nothing_else() {
        let mut chosen = by_name("reference").unwrap();
        assert_eq!(Deviations::of(&chosen), Deviations::default());
        chosen.manifest = Manifest::parse(
            "test",
            "\"issuer/array-with-expected\" = \"reads iss arrays\"\n",
        )
        .unwrap();
        let deviations = Deviations::of(&chosen);
        assert_eq!(deviations.accepts.len(), 1, "{deviations:?}");
        let array = jwt_conformance_reference::Rejection::new(
            RejectKind::Malformed,
            "`iss` is an array, not a string (RFC 7519 section 4.1.1)",
        );
        assert!(
            deviations.documents_acceptance(std::slice::from_ref(&array)),
            "{deviations:?}"
        );
        let expired = jwt_conformance_reference::Rejection::new(
            RejectKind::Expired,
            "exp 1 is not after now 2 with 0 s leeway (RFC 7519 section 4.1.4)",
        );
        assert!(!deviations.documents_acceptance(&[array, expired]));
        assert!(!deviations.documents_acceptance(&[]));
    }
}
