//! Generation of tokens to test with, shared by the properties and the fuzz targets:
//! proptest strategies for policies, claim sets, time relations, mutations and raw
//! inputs; the mutation operators; the ledger of what was legitimately signed; the fixed
//! setups fuzzing runs under; and the decoding of fuzzer bytes into a signed token and
//! its attacks. Public so adapter authors can reuse them in their own properties and
//! fuzz targets.

pub mod claims;
pub mod fixed_setups;
#[cfg(feature = "arbitrary")]
pub mod fuzzed;
pub mod inputs;
pub mod json;
pub mod ledger;
pub mod mutation;
pub mod mutations;
pub mod policy;
pub mod time;

pub use claims::{plain_claims, principal_claims, time_claims, valid_claims, ClaimsPlan};
pub use inputs::{raw_input, RawInput};
pub use json::{json_value, Json, JsonStyle};
pub use mutation::{mutation, resolve};
pub use policy::{setups, Setup, Signer, SYSTEM_CLOCK_MARGIN};
pub use time::{Boundary, TimeClaim};

use ledger::Ledger;
use proptest::prelude::*;

/// How a legitimate issuer writes its header: `typ` or not, an unknown extension
/// parameter (which RFC 7515 lets verifiers ignore when it is not in `crit`), and
/// member order.
#[derive(Clone, Debug, PartialEq)]
pub struct HeaderPlan {
    /// Whether the header carries `"typ":"JWT"`.
    pub typ: bool,
    /// The value of an unknown extension parameter, `x-conformance`, when there is one.
    pub extension: Option<Json>,
    /// Whether `alg` is the last member rather than the first.
    pub alg_last: bool,
}

/// Any [`HeaderPlan`].
pub fn header_plan() -> impl Strategy<Value = HeaderPlan> {
    (
        any::<bool>(),
        prop::option::weighted(0.2, json_value()),
        any::<bool>(),
    )
        .prop_map(|(typ, extension, alg_last)| HeaderPlan {
            typ,
            extension,
            alg_last,
        })
}

impl HeaderPlan {
    /// The header bytes for `signer`.
    pub fn render(&self, signer: &Signer) -> Vec<u8> {
        let mut members = Vec::new();
        if self.typ {
            members.push(("typ".to_string(), Json::str("JWT")));
        }
        if let Some(kid) = &signer.kid {
            members.push(("kid".to_string(), Json::str(kid.clone())));
        }
        if let Some(ext) = &self.extension {
            members.push(("x-conformance".to_string(), ext.clone()));
        }
        let alg = ("alg".to_string(), Json::str(signer.alg.as_str()));
        if self.alg_last {
            members.push(alg);
        } else {
            members.insert(0, alg);
        }
        Json::Object(members)
            .render(JsonStyle::default())
            .into_bytes()
    }
}

/// A legitimately signed token: header and claims rendered for `setup`, signed by the
/// `signer`th signer through `ledger` (which records it).
pub fn sign(
    setup: &Setup,
    ledger: &mut Ledger,
    signer: usize,
    header: &HeaderPlan,
    claims: &ClaimsPlan,
) -> (String, Vec<u8>) {
    let signer = setup.signer(signer).clone();
    let payload = claims.render(setup);
    let token = ledger.sign(
        setup,
        &header.render(&signer),
        &payload,
        signer.alg,
        signer.key,
    );
    (token, payload)
}
