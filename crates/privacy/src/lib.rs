//! Privacy that holds (DESIGN §7): the one way Storyloom compares a name
//! with text. Replacement, the fidelity checker and the export gate all use
//! [`fold`] and [`Matcher`], so a name typed in NFD, in capitals, or with a
//! soft hyphen or a zero-width joiner inside it is still the same name.
//!
//! **Rule:** pure functions over strings; no SQL, no files, no egui.

pub mod confusable;
pub mod context;
pub mod cover;
pub mod details;
pub mod finder;
pub mod fold;
pub mod matcher;
pub mod words;

pub use confusable::{Disguise, disguised_names};
pub use details::{Detail, DetailKind, find_details};
pub use finder::{
    Candidate, NameFinder, NameKind, Occurrence, context, context_in, core_name, covered_by,
    find_names,
};
pub use fold::{Folded, fold, fold_map, is_ignorable};
pub use matcher::{Hit, Matcher};
