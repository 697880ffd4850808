//! The bundled sample study: found beside the build (or through
//! `STORYLOOM_SAMPLE_DIR`) and built into a working copy in the user's data
//! folder, so the bundled files never change.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use storyloom_project::Project;

/// Where the sample study's files are.
pub fn sample_dir() -> Result<PathBuf> {
    if let Ok(dir) = std::env::var("STORYLOOM_SAMPLE_DIR") {
        return Ok(PathBuf::from(dir));
    }
    let candidates = [
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../sample-data"),
        std::env::current_exe()
            .ok()
            .and_then(|e| e.parent().map(|p| p.join("sample-data")))
            .unwrap_or_default(),
        PathBuf::from("sample-data"),
    ];
    for c in candidates {
        if c.join("interviews").is_dir() {
            return Ok(c);
        }
    }
    bail!("the sample study was not found; set STORYLOOM_SAMPLE_DIR to the sample-data folder")
}

/// The user's data folder for Storyloom.
pub fn data_dir() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("org", "Storyloom", "storyloom")
        .context("no home folder to keep Storyloom's files in")?;
    Ok(dirs.data_dir().to_owned())
}

/// Where the working copy of the sample study lives.
pub fn working_copy_path() -> Result<PathBuf> {
    Ok(data_dir()?.join("sample-study.storyloom"))
}

/// Opens the working copy of the sample study, building it on first use.
pub fn open_working_copy() -> Result<Project> {
    open_working_copy_at(&working_copy_path()?)
}

/// Opens the working copy at `path`, building it there on first use.
pub fn open_working_copy_at(path: &Path) -> Result<Project> {
    let path = path.to_owned();
    if path.is_file() {
        return Project::open(&path).with_context(|| format!("opening {}", path.display()));
    }
    std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))?;
    // Build beside it and rename, so a failed first run leaves no half-built copy.
    let building = path.with_extension("building");
    let _ = std::fs::remove_file(&building);
    drop(build(&building, &mut |_, _, _| {})?);
    std::fs::rename(&building, &path)?;
    Project::open(&path).with_context(|| format!("opening {}", path.display()))
}

/// Builds the sample study into a new project file.
pub fn build(path: &Path, progress: &mut dyn FnMut(usize, usize, &str)) -> Result<Project> {
    let dir = sample_dir()?;
    let (project, report) = Project::create_from_folder(path, &dir, progress)
        .with_context(|| format!("building the sample study into {}", path.display()))?;
    if report.failed() > 0 {
        let failures: Vec<String> = report
            .outcomes
            .iter()
            .filter_map(|o| match o {
                storyloom_project::ImportOutcome::Failed { file, error } => {
                    Some(format!("{file}: {error}"))
                }
                _ => None,
            })
            .collect();
        bail!(
            "the sample study did not import cleanly:\n{}",
            failures.join("\n")
        );
    }
    Ok(project)
}
