//! The layer check (ARCHITECTURE.md): each workspace crate may depend only on
//! the Storyloom crates listed above it in `[workspace.dependencies]` of the
//! root `Cargo.toml`, only the store may use SQLite, and only the app may use
//! egui. The compiler already forbids cycles between crates; this test
//! forbids a lower layer from reaching up at all.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace root")
        .to_path_buf()
}

/// The `name` of each `[section]` line-by-line: `(section, dependency name)`
/// for every `name.workspace = true`, `name = "…"` or `name = { … }` line.
fn dependencies(manifest: &str) -> Vec<(String, String)> {
    let mut section = String::new();
    let mut out = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line.trim_matches(|c| c == '[' || c == ']').to_string();
            continue;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some((key, _)) = line.split_once('=') {
            let name = key.trim().trim_end_matches(".workspace").trim();
            out.push((section.clone(), name.to_string()));
        }
    }
    out
}

/// The Storyloom crates in layer order, bottom first, as the root manifest lists them.
fn layer_order(root_manifest: &str) -> Vec<String> {
    dependencies(root_manifest)
        .into_iter()
        .filter(|(section, name)| {
            section == "workspace.dependencies" && name.starts_with("storyloom-")
        })
        .map(|(_, name)| name)
        .collect()
}

/// Package name → manifest text, for every crate under `crates/`.
fn crate_manifests() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let dir = root().join("crates");
    for entry in fs::read_dir(&dir).expect("crates/ is readable").flatten() {
        let path = entry.path().join("Cargo.toml");
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        let name = package_name(&text);
        assert!(!name.is_empty(), "{} has no package name", path.display());
        out.insert(name, text);
    }
    out
}

fn package_name(manifest: &str) -> String {
    let mut in_package = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package
            && line.starts_with("name")
            && let Some((_, value)) = line.split_once('=')
        {
            return value.trim().trim_matches('"').to_string();
        }
    }
    String::new()
}

/// Dependencies that ship with the crate (not dev-dependencies, which tests may widen).
fn shipped(manifest: &str) -> Vec<String> {
    dependencies(manifest)
        .into_iter()
        .filter(|(section, _)| section == "dependencies" || section == "build-dependencies")
        .map(|(_, name)| name)
        .collect()
}

#[test]
fn every_crate_depends_only_on_layers_below_it() {
    let order = layer_order(&fs::read_to_string(root().join("Cargo.toml")).unwrap());
    assert!(
        order.len() >= 5,
        "the root Cargo.toml lists the Storyloom crates in layer order: {order:?}"
    );
    let mut wrong = Vec::new();
    for (name, manifest) in crate_manifests() {
        let Some(level) = order.iter().position(|n| *n == name) else {
            wrong.push(format!(
                "{name} is not listed in [workspace.dependencies] of the root Cargo.toml; \
                 add it at its layer (bottom first)"
            ));
            continue;
        };
        for dep in shipped(&manifest) {
            if let Some(dep_level) = order.iter().position(|n| *n == dep)
                && dep_level >= level
            {
                wrong.push(format!(
                    "{name} depends on {dep}, which is not below it in the layer order"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "layer rule broken:\n{}", wrong.join("\n"));
}

#[test]
fn only_the_store_speaks_sql_and_only_the_app_draws() {
    let mut wrong = Vec::new();
    for (name, manifest) in crate_manifests() {
        for dep in shipped(&manifest) {
            if dep == "rusqlite" && name != "storyloom-store" {
                wrong.push(format!(
                    "{name} depends on rusqlite; only storyloom-store may"
                ));
            }
            if ["egui", "eframe", "egui_extras", "egui_plot", "rfd", "winit"]
                .contains(&dep.as_str())
            {
                wrong.push(format!("{name} depends on {dep}; only the app may"));
            }
        }
    }
    assert!(wrong.is_empty(), "layer rule broken:\n{}", wrong.join("\n"));
}

#[test]
fn the_layer_reader_understands_the_manifest_shapes_we_use() {
    let manifest = "[package]\nname = \"storyloom-x\"\n\n[dependencies]\nstoryloom-text.workspace = true\nregex = \"1\"\nzip = { version = \"9\" }\n\n[dev-dependencies]\nrusqlite.workspace = true\n";
    assert_eq!(package_name(manifest), "storyloom-x");
    assert_eq!(shipped(manifest), ["storyloom-text", "regex", "zip"]);
}
