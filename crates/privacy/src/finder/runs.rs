//! Grouping words into names: a run starts at a name, at a title followed
//! by a capitalised name, or at a capitalised sentence start followed by
//! the head of a place ("Bridge Street"), and goes on over joined
//! capitalised words, connectors between names and place titles
//! ("Riverside Medical Centre", "Age Concern Calder"). A possessive ends a
//! run; trailing connectors and titles are dropped.

use super::roles::Role;
use super::tokens::{Case, Token};
use crate::words;

/// The token ranges `i..j` of `toks` that are names.
pub(super) fn runs(toks: &[Token<'_>], roles: &[(Role, Option<String>)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let r = roles[i].0;
        // A run starts at a name, at a title followed by a capitalised
        // name, or at a capitalised sentence start followed by a head
        // ("Bridge Street" at the start of a sentence).
        let starts = match r {
            Role::Name => true,
            Role::Title | Role::Head => {
                i + 1 < toks.len()
                    && (toks[i + 1].joined || (r == Role::Title && toks[i + 1].title_dot))
                    && toks[i + 1].case == Case::Upper
                    && matches!(roles[i + 1].0, Role::Name | Role::Head | Role::Title)
            }
            Role::None => {
                toks[i].case == Case::Upper
                    && toks[i].sentence_start
                    && roles[i]
                        .1
                        .as_deref()
                        .is_some_and(|f| !words::is_function_word(f))
                    && i + 1 < toks.len()
                    && toks[i + 1].joined
                    && roles[i + 1]
                        .1
                        .as_deref()
                        .is_some_and(|f| words::is_place_head(f) || words::is_org_head(f))
                    && toks[i + 1].case == Case::Upper
                    && (i + 2 >= toks.len() || !toks[i + 2].joined || roles[i + 2].0 != Role::Name)
            }
            Role::Connector => false,
        };
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < toks.len() {
            let t = &toks[j];
            let continues = (t.joined
                || (toks[j - 1].case == Case::Upper
                    && roles[j - 1].0 == Role::Title
                    && t.title_dot))
                && match roles[j].0 {
                    Role::Name | Role::Head => t.case != Case::Lower || roles[j].0 == Role::Name,
                    Role::Title => {
                        t.case == Case::Upper
                            && words::is_place_title(roles[j].1.as_deref().unwrap_or(""))
                    }
                    Role::Connector => {
                        j + 1 < toks.len()
                            && toks[j + 1].joined
                            && toks[j + 1].case == Case::Upper
                            && matches!(roles[j + 1].0, Role::Name | Role::Head)
                    }
                    Role::None => {
                        // A capitalised common word inside a run
                        // ("Age Concern Calder", "Riverside Medical Centre").
                        t.case == Case::Upper
                            && !t.sentence_start
                            && roles[j]
                                .1
                                .as_deref()
                                .is_some_and(|f| !words::is_function_word(f))
                            && !words::is_conventional_capital(t.word)
                    }
                };
            // A possessive ends the run ("Margaret's daughter").
            if !continues {
                break;
            }
            if toks[j - 1].possessive {
                break;
            }
            j += 1;
        }
        // Drop trailing connectors and titles.
        while j > i + 1 && matches!(roles[j - 1].0, Role::Connector | Role::Title) {
            j -= 1;
        }
        let only_title = j == i + 1 && matches!(roles[i].0, Role::Title | Role::Head | Role::None);
        if !only_title {
            out.push((i, j));
        }
        i = j;
    }
    out
}
