//! Runs the whole jwt-conformance catalogue and its properties against the strict
//! reference verifier, one test per case and per property.

jwt_conformance::main!(jwt_conformance_reference::ReferenceAdapter::STRICT);
