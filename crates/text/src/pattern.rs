//! Regular expressions written into the source.
//!
//! A pattern that is part of the program, not typed by a user, either
//! compiles or the program is wrong; every such pattern runs in the tests of
//! the module that holds it, so a typo fails there, never on a user's data.
//! This is the one place that turns a compile error into a panic.

use regex::Regex;

/// Compiles a pattern written in the source (for a `LazyLock<Regex>`).
#[allow(
    clippy::expect_used,
    reason = "a constant pattern; each one is exercised by its module's tests"
)]
pub fn compiled(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a pattern written in the source compiles")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_constant_pattern_compiles_and_matches() {
        assert!(super::compiled(r"^\d+$").is_match("42"));
    }
}
