//! REFI-QDA export into files: a project as `.qdpx` (`project.qde` plus
//! every document's current text as `sources/<GUID>.txt`), the codebook as
//! `.qdc`. The XML is written by `storyloom_refi::write` from the data the
//! facade gathers; this module puts it into files.

use std::io::Write;
use std::path::Path;
use storyloom_atomic::AtomicFile;
use storyloom_project::Project;
use storyloom_project::refi::write::{self, WriteError};
pub use storyloom_project::refi::write::{
    CODEBOOK_NS, PROJECT_NS, QdeExport, RESEARCH_TEAM_ONLY, RESEARCH_TEAM_REMARK, RefiExportReport,
    derived_guid,
};

/// Why a REFI-QDA export failed.
#[derive(Debug, thiserror::Error)]
pub enum RefiExportError {
    #[error(transparent)]
    Domain(#[from] storyloom_project::Error),
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("writing the archive {path}: {reason}")]
    Zip { path: String, reason: String },
    #[error("writing the XML: {0}")]
    Xml(String),
    #[error("{0}")]
    Nothing(String),
}

impl From<WriteError> for RefiExportError {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::Xml(m) => RefiExportError::Xml(m),
            WriteError::Nothing(m) => RefiExportError::Nothing(m),
        }
    }
}

/// The project as `project.qde` plus its sources.
pub fn project_qde(project: &Project) -> Result<QdeExport, RefiExportError> {
    Ok(write::project_qde(&project.refi_project_data()?)?)
}

/// The codebook as a `.qdc` document.
pub fn codebook_qdc(project: &Project) -> Result<(Vec<u8>, RefiExportReport), RefiExportError> {
    Ok(write::codebook_qdc(&project.refi_codebook_data()?)?)
}

/// Writes the project as a `.qdpx` at exactly `out` (through a temporary
/// file, so a failed export leaves no half-written archive). Its project
/// description says it is for the research team only; the command line and
/// the window name the file so too ([`export_research_qdpx`]).
pub fn export_qdpx(project: &Project, out: &Path) -> Result<RefiExportReport, RefiExportError> {
    let qde = project_qde(project)?;
    let shown = out.display().to_string();
    write_atomically(out, |file| {
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
        let mut opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        if let Some(t) = zip_now() {
            opts = opts.last_modified_time(t);
        }
        let zerr = |e: zip::result::ZipError| RefiExportError::Zip {
            path: shown.clone(),
            reason: e.to_string(),
        };
        let ioerr = |e: std::io::Error| RefiExportError::Io {
            path: shown.clone(),
            source: e,
        };
        zip.start_file("project.qde", opts).map_err(zerr)?;
        zip.write_all(&qde.xml).map_err(ioerr)?;
        for (name, text) in &qde.sources {
            zip.start_file(format!("sources/{name}"), opts)
                .map_err(zerr)?;
            zip.write_all(text.as_bytes()).map_err(ioerr)?;
        }
        zip.finish().map_err(zerr)?.flush().map_err(ioerr)?;
        Ok(())
    })?;
    Ok(qde.report)
}

/// Writes the project as a `.qdpx` for the research team, as the command
/// line and the window do: at `out` with `-research-team-only` before the
/// extension unless its name says so already (see
/// [`crate::research_team_path`]). Returns the path written and the report.
pub fn export_research_qdpx(
    project: &Project,
    out: &Path,
) -> Result<(std::path::PathBuf, RefiExportReport), RefiExportError> {
    let path = crate::research_team_path(out);
    let report = export_qdpx(project, &path)?;
    Ok((path, report))
}

/// Writes the codebook (codes and themes) as a `.qdc` at `out`.
pub fn export_qdc(project: &Project, out: &Path) -> Result<RefiExportReport, RefiExportError> {
    let (xml, report) = codebook_qdc(project)?;
    let shown = out.display().to_string();
    write_atomically(out, |file| {
        file.write_all(&xml).map_err(|e| RefiExportError::Io {
            path: shown.clone(),
            source: e,
        })
    })?;
    Ok(report)
}

/// Writes through a temporary file beside `out` (see `storyloom-atomic`):
/// an error or a kill leaves the previous file; a dropped temp is removed.
fn write_atomically(
    out: &Path,
    write: impl FnOnce(&mut AtomicFile) -> Result<(), RefiExportError>,
) -> Result<(), RefiExportError> {
    let shown = out.display().to_string();
    let io = |e: std::io::Error| RefiExportError::Io {
        path: shown.clone(),
        source: e,
    };
    let mut file = AtomicFile::create(out).map_err(io)?;
    write(&mut file)?;
    file.commit().map_err(io)
}

/// The local time as a zip timestamp (entries otherwise say 1980).
fn zip_now() -> Option<zip::DateTime> {
    use chrono::{Datelike, Timelike};
    let t = chrono::Local::now().naive_local();
    zip::DateTime::from_date_and_time(
        u16::try_from(t.year()).ok()?,
        t.month() as u8,
        t.day() as u8,
        t.hour() as u8,
        t.minute() as u8,
        t.second() as u8,
    )
    .ok()
}
