//! `storyloom-bench`: benchmarks that print figures (see the README). They
//! live outside the shipped `storyloom` binary; each generates its own input
//! (or reads the sample study) and prints what it measured.

mod engine;
mod first_window;
mod formats;
mod frames;
mod import;
mod merge;
mod names;
mod pack;
mod refi;
pub mod reliability;
mod segments;
mod share;
mod soak;
mod stories;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "storyloom-bench",
    version,
    about = "Storyloom benchmarks: each prints the figures it measured."
)]
pub struct BenchCli {
    #[command(subcommand)]
    pub which: BenchCommand,
}

#[derive(Subcommand)]
pub enum BenchCommand {
    /// A discussion pack of 30 stories drafted from generated interviews with its large-print copy (target < 500 ms).
    Pack {
        #[arg(long, default_value_t = 30)]
        stories: usize,
        /// Words per generated interview.
        #[arg(long, default_value_t = 3000)]
        words: usize,
    },
    /// The name finder over the generated project with names planted (target < 10 s for 10 M
    /// words, one thread) and over one 10,000-word interview (< 100 ms), and the export gate on a
    /// 30-story stakeholder pack (< 200 ms).
    Names {
        #[arg(long, default_value_t = 1000)]
        files: usize,
        #[arg(long, default_value_t = 10_000)]
        words: usize,
        /// Runs per per-interview and gate figure (the median is printed).
        #[arg(long, default_value_t = 10)]
        runs: usize,
        #[arg(long, default_value_t = 30)]
        stories: usize,
        /// Words per interview behind the pack's stories.
        #[arg(long, default_value_t = 3000)]
        story_words: usize,
    },
    /// Auto-draft and fidelity-check times for one long interview.
    Stories {
        /// Words in the interview.
        #[arg(long, default_value_t = 10_000)]
        words: usize,
        /// Runs per figure (the median is printed).
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
    /// The coding engine on a generated project: open, search p95, retrieval, co-occurrence, undo.
    Engine(Generated),
    /// Frame times of the window, headless on the CPU: a long coded transcript
    /// (steady, scrolling, applying a code), then a 300,000-char document.
    Frames {
        /// Words in the transcript.
        #[arg(long, default_value_t = 30_000)]
        words: usize,
        /// Chars in the large document.
        #[arg(long, default_value_t = 300_000)]
        big_chars: usize,
        /// Codings on each document.
        #[arg(long, default_value_t = 2_000)]
        codings: usize,
        /// Frames measured for the steady and scrolling figures.
        #[arg(long, default_value_t = 100)]
        frames: usize,
        /// Codes applied for the after-coding figure.
        #[arg(long, default_value_t = 20)]
        adds: usize,
        /// The navigator shows only the documents (by default it shows
        /// documents and codes together), to compare the two.
        #[arg(long)]
        documents_only: bool,
        /// Codes in the codebook (the codings use them all).
        #[arg(long, default_value_t = 40)]
        codes: usize,
    },
    /// Time to the first window: starts the `storyloom` binary beside this one on the sample
    /// study and reads how long its first frame took to show (target < 500 ms). Needs a display
    /// (`xvfb-run -a storyloom-bench first-window`).
    FirstWindow {
        /// Windows opened (the median is printed).
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// The coded segments of a generated project (200,000 codings) to XLSX, timed.
    Segments {
        #[arg(long, default_value_t = 200)]
        files: usize,
        #[arg(long, default_value_t = 3_000)]
        words: usize,
        #[arg(long, default_value_t = 200_000)]
        codings: usize,
        #[arg(long, default_value_t = 100)]
        codes: usize,
        /// Use this project (a kept `bench engine --keep` one, say), or keep the generated one here.
        #[arg(long)]
        keep: Option<PathBuf>,
    },
    /// Faults and load: REFI-QDA import of 1%, 8% and all of --codes/--codings (linear; target
    /// 100,000 codes + 200,000 codings < 30 s), and the peak memory of `storyloom import` for
    /// batches of 30 MB transcripts (target < 300 MB whatever the batch) and one 60 MB one (< 600 MB).
    Reliability {
        #[arg(long, default_value_t = 100_000)]
        codes: usize,
        #[arg(long, default_value_t = 200_000)]
        codings: usize,
        /// Batch lengths for the memory figures.
        #[arg(long, value_delimiter = ',', default_value = "1,12,48")]
        batches: Vec<usize>,
        /// Megabytes per transcript in the batches.
        #[arg(long, default_value_t = 30)]
        file_mb: usize,
        /// Only the REFI-QDA (and soak) figures.
        #[arg(long)]
        no_memory: bool,
        /// Seconds of the soak throughput figure (several `storyloom` processes on one project; 0 skips it).
        #[arg(long, default_value_t = 60)]
        soak_secs: u64,
        /// Processes in the soak.
        #[arg(long, default_value_t = 3)]
        soak_workers: usize,
    },
    /// REFI-QDA export and import of a generated project (by default the 10M words and
    /// 200,000 codings), each by the `storyloom` binary: time and peak memory (import < 60 s).
    Refi(Generated),
    /// A shared project on PostgreSQL: change-to-visible p50/p95 with 4 replicas syncing
    /// (target p95 < 2 s), then sharing the generated project and the initial replica of it
    /// (target < 60 s). URL: postgres://user@host:port/database (a throwaway one).
    Share(share::ShareBench),
    /// Merge of two copies of a generated project (by default 10M words, 200,000 codings) that
    /// each added 20,000 codings, renames, recolours and memos, by `storyloom merge` in its own
    /// process: time (target < 30 s) and peak memory, then merging the same copy again.
    Merge(merge::MergeBench),
    /// Parse throughput for txt and docx, then a batch import of generated transcripts.
    Import {
        /// Transcripts in the batch import.
        #[arg(long, default_value_t = 1000)]
        files: usize,
        /// Words per transcript.
        #[arg(long, default_value_t = 10_000)]
        words: usize,
    },
}

pub fn run(which: BenchCommand) -> Result<()> {
    match which {
        BenchCommand::Pack { stories, words } => pack::run(stories, words),
        BenchCommand::Names {
            files,
            words,
            runs,
            stories,
            story_words,
        } => names::run(names::NamesBench {
            files,
            words,
            runs,
            stories,
            story_words,
        }),
        BenchCommand::Stories { words, runs } => {
            stories::run(stories::StoriesBench { words, runs })
        }
        BenchCommand::Segments {
            files,
            words,
            codings,
            codes,
            keep,
        } => segments::run(segments::SegmentsBench {
            files,
            words,
            codings,
            codes,
            project: keep,
        }),
        BenchCommand::Import { files, words } => import::run(files, words),
        BenchCommand::Share(b) => share::run(b),
        BenchCommand::Merge(b) => merge::run(b),
        BenchCommand::Refi(b) => refi::run(b),
        BenchCommand::Reliability {
            codes,
            codings,
            batches,
            file_mb,
            no_memory,
            soak_secs,
            soak_workers,
        } => reliability::run(reliability::ReliabilityBench {
            codes,
            codings,
            batches,
            file_mb,
            no_memory,
            soak_secs,
            soak_workers,
        }),
        BenchCommand::Frames {
            words,
            big_chars,
            codings,
            frames,
            adds,
            documents_only,
            codes,
        } => frames::run(frames::FramesBench {
            words,
            big_chars,
            codings,
            frames,
            adds,
            documents_only,
            codes,
        }),
        BenchCommand::FirstWindow { runs } => {
            first_window::run(first_window::FirstWindowBench { runs })
        }
        BenchCommand::Engine(b) => engine::run(b),
    }
}

/// The generated project several benchmarks start from: by default 10
/// million words in 1,000 transcripts, 200,000 codings over 200 codes.
#[derive(clap::Args, Clone, Debug)]
pub struct Generated {
    /// Transcripts.
    #[arg(long, default_value_t = 1000)]
    pub files: usize,
    /// Words per transcript.
    #[arg(long, default_value_t = 10_000)]
    pub words: usize,
    #[arg(long, default_value_t = 200_000)]
    pub codings: usize,
    #[arg(long, default_value_t = 200)]
    pub codes: usize,
    /// Keep the generated project at this path (and reuse it next time).
    #[arg(long)]
    pub keep: Option<PathBuf>,
}

impl Generated {
    /// The same project as the segments benchmark builds it.
    pub fn segments(&self) -> segments::SegmentsBench {
        segments::SegmentsBench {
            files: self.files,
            words: self.words,
            codings: self.codings,
            codes: self.codes,
            project: None,
        }
    }
}

fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("storyloom-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
