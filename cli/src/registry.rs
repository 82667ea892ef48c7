//! The adapters built into the command line, by name, and the process wrappers the
//! repository registers in adapters/process/wrappers.toml.

use serde::Deserialize;
use std::path::{Path, PathBuf};

pub(crate) use jwt_conformance_registry::{all, find, names};

/// Where the wrapper registry lives, relative to the repository root.
pub(crate) const WRAPPER_REGISTRY: &str = "adapters/process/wrappers.toml";

/// A process wrapper listed in the registry (see the file's header for each field).
/// Every field is read, so a misspelt one is an error, though the command line uses only
/// some of them (the install script and the tests use the others).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub(crate) struct Wrapper {
    pub name: String,
    pub language: String,
    pub dir: String,
    /// The command line that starts it, relative to the repository root.
    pub command: String,
    pub install: String,
    #[serde(default)]
    pub apt: Vec<String>,
    #[serde(default)]
    pub pkg_config: Vec<String>,
    pub package: String,
    pub version: String,
    /// A path (relative to the root, or absolute) that exists once it is installed.
    pub check: String,
    /// Cases on which the library itself ends the wrapper's process (an abort inside
    /// the library, not a wrapper fault), each with what happens; the wrappers' test
    /// holds both ways.
    #[serde(default)]
    pub library_crashes: std::collections::BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistryFile {
    wrapper: Vec<Wrapper>,
}

/// The registered wrappers of the checkout at `root`.
#[derive(Debug)]
pub(crate) struct Wrappers {
    pub root: PathBuf,
    pub wrappers: Vec<Wrapper>,
}

impl Wrappers {
    /// Reads `root`'s registry; the error names the file and what is wrong.
    pub(crate) fn load(root: &Path) -> Result<Wrappers, String> {
        let path = root.join(WRAPPER_REGISTRY);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let file: RegistryFile =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Wrappers {
            root: root.to_path_buf(),
            wrappers: file.wrapper,
        })
    }

    /// The registry of the checkout the current directory is in.
    pub(crate) fn find() -> Result<Wrappers, String> {
        let cwd = std::env::current_dir()
            .map_err(|e| format!("cannot read the current directory: {e}"))?;
        let root = cwd
            .ancestors()
            .find(|dir| dir.join(WRAPPER_REGISTRY).is_file())
            .ok_or_else(|| {
                format!(
                    "no {WRAPPER_REGISTRY} in {} or above: the registered wrappers come with a \
                     checkout of jwt-conformance; run this inside one",
                    cwd.display()
                )
            })?;
        Wrappers::load(root)
    }
}

impl Wrapper {
    /// The command that installs this wrapper.
    pub(crate) fn install_command(&self) -> String {
        format!("scripts/install-test-deps {}", self.name)
    }

    /// `Err` naming what is missing and the command that installs it.
    pub(crate) fn check_installed(&self, root: &Path) -> Result<(), String> {
        let check = root.join(&self.check);
        if check.exists() {
            Ok(())
        } else {
            Err(format!(
                "the wrapper {} is not installed ({} is missing): install it with `{}` \
                 from the repository root",
                self.name,
                check.display(),
                self.install_command()
            ))
        }
    }

    /// The command line with every word that names a path under `root` made absolute,
    /// so it starts from any working directory.
    pub(crate) fn command_from(&self, root: &Path) -> String {
        let words =
            shell_words::split(&self.command).unwrap_or_else(|_| vec![self.command.clone()]);
        let words: Vec<String> = words
            .into_iter()
            .map(|word| {
                let path = root.join(&word);
                if !Path::new(&word).is_absolute() && path.exists() {
                    path.display().to_string()
                } else {
                    word
                }
            })
            .collect();
        shell_words::join(words)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("the CLI crate sits in the repository root")
            .to_path_buf()
    }

    #[test]
    fn the_repository_registry_reads_and_names_each_wrapper_once() {
        let registry = Wrappers::load(&repo_root()).unwrap_or_else(|e| panic!("{e}"));
        assert!(registry.wrappers.len() >= 14, "{registry:?}");
        let mut names: Vec<&str> = registry.wrappers.iter().map(|w| w.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(
            names.len(),
            registry.wrappers.len(),
            "a name is listed twice"
        );
        for w in &registry.wrappers {
            assert!(
                repo_root().join(&w.dir).is_dir(),
                "{}: no directory {}",
                w.name,
                w.dir
            );
            assert!(!w.version.is_empty() && !w.package.is_empty(), "{}", w.name);
        }
    }

    #[test]
    fn a_missing_install_names_the_command_that_installs_it() {
        let wrapper = Wrapper {
            name: "demo".to_string(),
            language: "python".to_string(),
            dir: "adapters/process/demo".to_string(),
            command: "adapters/process/demo/.venv/bin/python verifier.py".to_string(),
            install: "python-venv".to_string(),
            apt: Vec::new(),
            pkg_config: Vec::new(),
            package: "demo".to_string(),
            version: "1".to_string(),
            check: "adapters/process/demo/.venv/bin/python".to_string(),
            library_crashes: Default::default(),
        };
        let Err(e) = wrapper.check_installed(&repo_root()) else {
            panic!("nothing is installed for the demo wrapper");
        };
        assert!(e.contains("scripts/install-test-deps demo"), "{e}");
    }

    #[test]
    fn command_words_under_the_root_become_absolute() {
        let root = repo_root();
        let wrapper = Wrapper {
            name: "x".to_string(),
            language: "javascript".to_string(),
            dir: "adapters/process/node-jose".to_string(),
            command: "node adapters/process/node-jose/verifier.mjs".to_string(),
            install: "npm-ci".to_string(),
            apt: Vec::new(),
            pkg_config: Vec::new(),
            package: "jose".to_string(),
            version: "1".to_string(),
            check: "x".to_string(),
            library_crashes: Default::default(),
        };
        let command = wrapper.command_from(&root);
        assert!(command.starts_with("node "), "{command}");
        assert!(
            command.contains(
                &root
                    .join("adapters/process/node-jose/verifier.mjs")
                    .display()
                    .to_string()
            ),
            "{command}"
        );
    }
}
