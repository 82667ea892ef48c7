//! Runs the whole jwt-conformance catalogue and its properties against jsonwebtoken on its aws-lc-rs backend, one
//! test per case and per property.

jwt_conformance::main!(jwt_conformance_jsonwebtoken_aws_lc::JsonwebtokenAwsLcAdapter);
