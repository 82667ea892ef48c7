//! Runs the whole jwt-conformance catalogue and its properties against jsonwebtokens, one
//! test per case and per property.

jwt_conformance::main!(jwt_conformance_jsonwebtokens::JsonwebtokensAdapter);
