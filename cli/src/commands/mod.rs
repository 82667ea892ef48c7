//! One module per subcommand.

pub mod adapters;
pub mod compare;
pub mod corpus;
pub mod cves;
pub mod explain;
pub mod list;
pub mod run;
