//! One module per subcommand.

pub(crate) mod adapters;
pub(crate) mod compare;
pub(crate) mod corpus;
pub(crate) mod cves;
pub(crate) mod explain;
pub(crate) mod list;
pub(crate) mod run;
