//! The Storyloom application: the window (`gui`) and the command line (`cli`)
//! behind the shipped `storyloom` binary, and the benchmarks (`bench`) behind
//! `storyloom-bench`. Both call the same `Project` API.

pub mod bench;
pub mod cli;
pub mod gui;
mod sample;
mod text;
