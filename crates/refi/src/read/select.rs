//! Placing every selection of a file on chars of its source's parsed text,
//! and checking the place against the selection's name where the name holds
//! the text (ATLAS.ti, QualCoder and Storyloom write the quote there).
//!
//! The producer's way of counting comes from its `origin`, but files mix
//! them: QualCoder stores codings made in its window in UTF-16 units and its
//! imported ones in code points. So a selection whose name does not fit the
//! text at its place is tried in the other ways of counting, and moved only
//! when the name fits there. Names are compared whatever their length (a
//! coding holding an emoji is one unit longer in UTF-16; producers cut long
//! names with `…` and squash their whitespace). A name that fits nowhere is
//! reported when it reads as a quote, and left alone when it reads as a
//! label (users rename quotations: "damage done by fatty foods").

use super::describe::{all_codes, short_guid};
use super::source::{Source, source_name};
use crate::names::{clip, name_fits, name_holds_text, reads_as_quote, squash};
use crate::offsets::{OffsetMap, Units, map_range};
use crate::qde::{QCoding, Qde, Selection};
use crate::report::NameCheck;
use crate::{RefiImportReport, SelectionOutcome};
use std::collections::HashSet;
use storyloom_text::text::CharIndex;

/// How many selections whose text differs from their name are described
/// in the report (all are counted, and each is marked in its outcome).
pub const MISMATCH_EXAMPLES: usize = 10;

/// One coding to make: a code on a char range of a source's parsed text.
pub struct PlannedCoding {
    /// Index into [`super::Read::sources`].
    pub source: usize,
    pub start: usize,
    pub end: usize,
    pub code_guid: String,
    pub coder: String,
    /// Index into the report's selections (`usize::MAX` for a coding of a whole source).
    pub selection: usize,
    pub note_refs: Vec<String>,
    pub guid: String,
}

/// What one source offers the name check, built when a selection first
/// needs it (a file whose names all fit never builds it).
struct Fallbacks {
    /// The source's text counted in each other way that differs.
    maps: Vec<(Units, OffsetMap)>,
    /// The parsed text with its whitespace squashed, to tell quotes from labels.
    squashed: String,
}

impl Fallbacks {
    fn new(p: &Source) -> Fallbacks {
        Fallbacks {
            maps: p
                .other_units
                .iter()
                .filter_map(|&u| p.map_in(u).map(|m| (u, m)))
                .collect(),
            squashed: squash(&p.parsed.text),
        }
    }
}

/// Plans every selection of the file: the report gains one outcome per
/// selection, and the codings to make are returned.
pub(super) fn plan(
    q: &Qde,
    sources: &[Option<Source>],
    report: &mut RefiImportReport,
    coder_of: &dyn Fn(&QCoding, Option<&str>) -> String,
) -> Vec<PlannedCoding> {
    let mut planned: Vec<PlannedCoding> = Vec::new();
    let code_guids: HashSet<&str> = all_codes(&q.codes).map(|c| c.guid.as_str()).collect();
    for (si, s) in q.sources.iter().enumerate() {
        let shown = source_name(s);
        // One char index per source (texts run to megabytes).
        let index = sources[si].as_ref().map(|p| CharIndex::new(&p.parsed.text));
        let mut fallbacks: Option<Fallbacks> = None;
        for sel in &s.selections {
            report.selections_total += 1;
            let mut outcome = SelectionOutcome {
                guid: sel.guid.clone(),
                source: shown.clone(),
                name: sel.name.clone(),
                start: sel.start,
                end: sel.end,
                ..Default::default()
            };
            let (Some(p), Some(ix)) = (sources[si].as_ref(), index.as_ref()) else {
                skip(&mut outcome, report, "its source was not imported".into());
                report.selections.push(outcome);
                continue;
            };
            let range = match (sel.start, sel.end) {
                _ if !p.positions => {
                    Err("it counts positions in a plain text the archive does not have".to_owned())
                }
                (Some(a), Some(b)) => map_range(&p.map, ix, a, b, &sel.name),
                _ => Err("no startPosition/endPosition".to_owned()),
            };
            let range = if p.positions {
                check_name(
                    sel,
                    range,
                    p,
                    ix,
                    &mut fallbacks,
                    &shown,
                    report,
                    &mut outcome,
                )
            } else {
                range
            };
            let (start, end) = match range {
                Ok(r) => r,
                Err(why) => {
                    skip(&mut outcome, report, why);
                    report.selections.push(outcome);
                    continue;
                }
            };
            let quote = ix.slice(start, end).unwrap_or_default().to_owned();
            outcome.range = Some((start, end));
            outcome.quote = Some(quote);
            if sel.codings.is_empty() {
                skip(&mut outcome, report, "it has no coding".into());
                report.selections.push(outcome);
                continue;
            }
            let index = report.selections.len();
            for c in &sel.codings {
                match &c.code {
                    Some(g) if code_guids.contains(g.as_str()) => {
                        planned.push(PlannedCoding {
                            source: si,
                            start,
                            end,
                            code_guid: g.clone(),
                            coder: coder_of(c, sel.creating_user.as_deref()),
                            selection: index,
                            note_refs: c.note_refs.clone(),
                            guid: c.guid.clone(),
                        });
                        outcome.codings += 1;
                    }
                    other => report.skipped.push(format!(
                        "coding {} of selection {} in {shown}: its code {} is not in the codebook",
                        short_guid(&c.guid),
                        short_guid(&sel.guid),
                        other.as_deref().unwrap_or("(none)")
                    )),
                }
            }
            report.selections.push(outcome);
        }
        // Codings of a whole source.
        if let Some(p) = sources[si].as_ref() {
            let len = storyloom_text::text::char_len(&p.parsed.text);
            for c in &s.codings {
                match &c.code {
                    Some(g) if code_guids.contains(g.as_str()) && len > 0 => {
                        planned.push(PlannedCoding {
                            source: si,
                            start: 0,
                            end: len,
                            code_guid: g.clone(),
                            coder: coder_of(c, None),
                            selection: usize::MAX,
                            note_refs: c.note_refs.clone(),
                            guid: c.guid.clone(),
                        });
                    }
                    _ => report.skipped.push(format!(
                        "coding {} of the whole of {shown}: its code is not in the codebook",
                        short_guid(&c.guid)
                    )),
                }
            }
        }
    }
    summarise(report);
    planned
}

fn skip(outcome: &mut SelectionOutcome, report: &mut RefiImportReport, why: String) {
    report.skipped.push(format!(
        "selection {} in {} ({}..{}): {why}",
        short_guid(&outcome.guid),
        outcome.source,
        outcome.start.map_or("?".into(), |v| v.to_string()),
        outcome.end.map_or("?".into(), |v| v.to_string()),
    ));
    outcome.skipped = Some(why);
}

/// Checks a selection's place against its name; returns the place to use
/// (moved only when the name fits in another way of counting).
#[allow(clippy::too_many_arguments)]
fn check_name(
    sel: &Selection,
    range: Result<(usize, usize), String>,
    p: &Source,
    ix: &CharIndex,
    fallbacks: &mut Option<Fallbacks>,
    shown: &str,
    report: &mut RefiImportReport,
    outcome: &mut SelectionOutcome,
) -> Result<(usize, usize), String> {
    let Some(expected) = name_holds_text(&sel.name) else {
        return range;
    };
    let fits = |r: &(usize, usize)| ix.slice(r.0, r.1).is_some_and(|q| name_fits(&expected, q));
    if range.as_ref().is_ok_and(fits) {
        report.names_checked += 1;
        outcome.name_check = Some(NameCheck::Fits);
        return range;
    }
    let fb = fallbacks.get_or_insert_with(|| Fallbacks::new(p));
    if let Some((a, b)) = sel.start.zip(sel.end) {
        for (units, map) in &fb.maps {
            if let Some(r) = map_range(map, ix, a, b, &sel.name).ok().filter(fits) {
                report.names_checked += 1;
                report.selections_recounted += 1;
                if *units == Units::Utf16 {
                    report.selections_utf16 += 1;
                }
                outcome.name_check = Some(NameCheck::Recounted(*units));
                return Ok(r);
            }
        }
    }
    let length = sel.end.zip(sel.start).map(|(b, a)| b - a);
    if !reads_as_quote(&expected, length, &fb.squashed) {
        report.names_not_compared += 1;
        outcome.name_check = Some(NameCheck::Label);
        return range;
    }
    report.names_checked += 1;
    report.names_mismatched += 1;
    outcome.name_check = Some(NameCheck::Differs);
    if report.name_mismatches.len() < MISMATCH_EXAMPLES {
        let mut tried = vec!["the producer's counting"];
        tried.extend(fb.maps.iter().map(|(u, _)| u.describe()));
        let at = match &range {
            Ok((start, end)) => format!(
                "the text at {start}..{end} is “{}”",
                clip(ix.slice(*start, *end).unwrap_or_default())
            ),
            Err(why) => format!("its place is not usable ({why})"),
        };
        report.name_mismatches.push(format!(
            "{} in {shown}: name “{}” but {at} (tried {})",
            short_guid(&sel.guid),
            clip(&expected),
            tried.join(", ")
        ));
    }
    range
}

/// Notes on what the name check did, for the report.
fn summarise(report: &mut RefiImportReport) {
    if report.selections_recounted > 0 {
        report.notes.push(format!(
            "{} selections were counted in another way than the rest ({} of them in UTF-16 units); their names matched the text there, so they were placed accordingly",
            report.selections_recounted, report.selections_utf16
        ));
    }
    if report.names_mismatched > 0 {
        report.notes.push(format!(
            "{} selections' names hold a text that is not at their place in any way of counting; they were placed where the producer's counting puts them: check them ({} shown)",
            report.names_mismatched,
            report.name_mismatches.len()
        ));
    }
    if report.names_not_compared > 0 {
        report.notes.push(format!(
            "{} selections have names that read as labels, not as their text; they were not compared",
            report.names_not_compared
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::offsets::{OffsetMap, Units, map_range};
    use storyloom_text::text::CharIndex;

    #[test]
    fn line_selections_lose_their_newline() {
        let map = OffsetMap::new("one\ntwo\n", Units::CodePoints);
        let parsed = storyloom_import::parse("x.txt", b"one\ntwo\n").unwrap();
        let ix = CharIndex::new(&parsed.text);
        assert_eq!(map_range(&map, &ix, 4, 8, "line:1"), Ok((4, 7)));
        assert_eq!(map_range(&map, &ix, 0, 4, "line:0"), Ok((0, 3)));
        assert!(map_range(&map, &ix, 3, 4, "line:0").is_err());
        assert!(map_range(&map, &ix, 5, 2, "").is_err());
        assert!(map_range(&map, &ix, 0, 99, "").is_err());
    }
}
