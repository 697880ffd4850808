//! The theme report: a findings chapter. Per theme its name, status, what
//! it means (the definition), its codes, illustrative quotes (key quotes
//! first) with the participant's pseudonym and an attribute summary, and
//! counts by participant group. Quotes pass through the pseudonym map.

use super::{Docx, ReportOptions, body, document, grid, heading, para, title};
use crate::ExportError;
use crate::segments::{Anonymiser, Segment, Segments, public_name};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use storyloom_project::stories::consent::ConsentScope;
use storyloom_project::{Participant, Project, ThemeStatus};

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThemeReportSummary {
    pub themes: usize,
    pub quotes: usize,
    /// Participants whose quotes were left out, and why (their consent).
    pub left_out: Vec<(String, String)>,
    /// What the privacy gate checked the written file against.
    pub checked: Option<crate::gate::GateReport>,
}

fn status(s: ThemeStatus) -> String {
    format!("{s:?}").to_lowercase()
}

fn attribute<'a>(p: &'a Participant, name: &str) -> Option<&'a str> {
    p.attributes
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.trim().is_empty())
}

/// `Dot — participant, woman, 75-84, Choir`.
fn attribution(p: Option<&Participant>, options: &ReportOptions, names: &Anonymiser) -> String {
    let Some(p) = p else {
        return "— unattributed".into();
    };
    let values: Vec<String> = options
        .summary_attributes
        .iter()
        .filter_map(|a| attribute(p, a))
        .map(|v| names.plain(v))
        .collect();
    if values.is_empty() {
        format!("— {}", public_name(p))
    } else {
        format!("— {}, {}", public_name(p), values.join(", "))
    }
}

/// Key quotes first, then the others, one per participant before any
/// participant's second; the same passage once.
fn pick_quotes<'a>(segments: &[&'a Segment], limit: usize) -> Vec<&'a Segment> {
    let mut seen: HashSet<(String, usize, usize)> = HashSet::new();
    let mut unique: Vec<&Segment> = Vec::new();
    for s in segments {
        let c = &s.coding;
        if c.quote.trim().is_empty() || !seen.insert((c.document.clone(), c.start, c.end)) {
            continue;
        }
        unique.push(s);
    }
    let mut out: Vec<&Segment> = unique
        .iter()
        .filter(|s| s.coding.key_quote)
        .copied()
        .take(limit)
        .collect();
    let mut rest: Vec<&Segment> = unique
        .iter()
        .filter(|s| !s.coding.key_quote)
        .copied()
        .collect();
    // Quotes of a readable length before very short or very long ones.
    rest.sort_by_key(|s| {
        let words = s.coding.quote.split_whitespace().count();
        if (12..=120).contains(&words) { 0 } else { 1 }
    });
    let mut used: HashSet<Option<usize>> = out.iter().map(|s| s.participant).collect();
    for pass in 0..2 {
        for s in &rest {
            if out.len() >= limit {
                return out;
            }
            if out.iter().any(|o| std::ptr::eq(*o, *s)) {
                continue;
            }
            if pass == 0 && used.contains(&s.participant) {
                continue;
            }
            used.insert(s.participant);
            out.push(s);
        }
    }
    out
}

/// The report as a docx document (not yet packed).
pub fn theme_report_document(
    project: &Project,
    options: &ReportOptions,
) -> Result<(Docx, ThemeReportSummary), ExportError> {
    let names = Anonymiser::new(project, options.key_file.as_ref())?;
    let segments = Segments::load(project)?;
    let codes = project.codes()?;
    let themes = project.themes()?;
    // Each code with its descendants.
    let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
    for c in &codes {
        if let Some(p) = &c.parent {
            children
                .entry(p.as_str())
                .or_default()
                .push(c.uuid.as_str());
        }
    }
    let by_code: HashMap<&str, Vec<&Segment>> =
        segments
            .rows
            .iter()
            .fold(HashMap::new(), |mut m: HashMap<&str, Vec<&Segment>>, s| {
                m.entry(s.coding.code.as_str()).or_default().push(s);
                m
            });
    // Storytellers who withdrew, or did not agree to reports, are not quoted.
    let left_out = project.consent_exclusions(ConsentScope::Report)?;
    let excluded: HashSet<&str> = left_out.iter().map(|(p, _)| p.as_str()).collect();
    let mut summary = ThemeReportSummary {
        themes: themes.len(),
        quotes: 0,
        left_out: left_out.clone(),
        checked: None,
    };
    let mut docx = document()
        .add_paragraph(title(&options.title))
        .add_paragraph(body(&format!(
            "{} from {} codings. Quotes are in the participants' own words; names in \
             [brackets] are pseudonyms, and each speaker is shown by pseudonym only.",
            if themes.len() == 1 {
                "1 theme".to_owned()
            } else {
                format!("{} themes", themes.len())
            },
            segments.rows.len()
        )));
    if !left_out.is_empty() {
        docx = docx.add_paragraph(body(&format!(
            "Quotes from {} left out at the participants' wish (their consent does not cover reports, or they withdrew their story); they are still counted.",
            if left_out.len() == 1 {
                "1 participant are".to_owned()
            } else {
                format!("{} participants are", left_out.len())
            }
        )));
    }
    if themes.is_empty() {
        docx = docx.add_paragraph(body("No themes have been defined yet."));
    }
    for (i, theme) in themes.iter().enumerate() {
        let mut code_set: BTreeSet<&str> = BTreeSet::new();
        let mut stack: Vec<&str> = theme.codes.iter().map(String::as_str).collect();
        while let Some(c) = stack.pop() {
            if code_set.insert(c) {
                stack.extend(children.get(c).into_iter().flatten().copied());
            }
        }
        let mut theme_segments: Vec<&Segment> = code_set
            .iter()
            .flat_map(|c| by_code.get(c).into_iter().flatten().copied())
            .collect();
        theme_segments.sort_by(|a, b| {
            (&a.coding.document_name, a.coding.start)
                .cmp(&(&b.coding.document_name, b.coding.start))
        });
        let h = heading(&format!("{}. {}", i + 1, theme.name), 1);
        docx = docx.add_paragraph(if i > 0 { h.page_break_before() } else { h });
        docx = docx.add_paragraph(para(
            &format!("Status: {}", status(theme.status)),
            20,
            false,
            true,
            200,
        ));
        docx = docx.add_paragraph(heading("What it means", 2));
        docx = docx.add_paragraph(body(if theme.definition.trim().is_empty() {
            "(No definition yet.)"
        } else {
            theme.definition.trim()
        }));
        docx = docx.add_paragraph(heading("Codes", 2));
        if theme.codes.is_empty() {
            docx = docx.add_paragraph(body("(No codes yet.)"));
        }
        for key in &theme.codes {
            if let Some(c) = codes.iter().find(|c| &c.uuid == key) {
                let line = if c.definition.trim().is_empty() {
                    format!("• {}", c.path_string())
                } else {
                    format!("• {}: {}", c.path_string(), c.definition.trim())
                };
                docx = docx.add_paragraph(body(&line).indent(360, 0));
            }
        }
        docx = docx.add_paragraph(heading("Illustrative quotes", 2));
        let quotable: Vec<&Segment> = theme_segments
            .iter()
            .copied()
            .filter(|s| {
                segments
                    .participant(s)
                    .is_none_or(|p| !excluded.contains(p.id.as_str()))
            })
            .collect();
        let quotes = pick_quotes(&quotable, options.quotes_per_theme);
        if quotes.is_empty() {
            docx = docx.add_paragraph(body("(No coded passages yet.)"));
        }
        for q in &quotes {
            let text = names.bracketed(q.coding.quote.trim());
            let mark = if q.coding.key_quote {
                " (key quote)"
            } else {
                ""
            };
            docx = docx
                .add_paragraph(
                    para(&format!("“{text}”"), 22, false, true, 40)
                        .indent(567, 0)
                        .keep_next(),
                )
                .add_paragraph(
                    para(
                        &format!(
                            "{}{mark}",
                            attribution(segments.participant(q), options, &names)
                        ),
                        20,
                        false,
                        false,
                        200,
                    )
                    .indent(567, 0),
                );
        }
        summary.quotes += quotes.len();
        // Counts by participant group.
        let mut groups: BTreeMap<String, (usize, BTreeSet<usize>)> = BTreeMap::new();
        for s in &theme_segments {
            let value = match segments.participant(s) {
                Some(p) => attribute(p, &options.group_by)
                    .map(|v| names.plain(v))
                    .unwrap_or_else(|| "(not recorded)".into()),
                None => "(no participant)".into(),
            };
            let g = groups.entry(value).or_default();
            g.0 += 1;
            if let Some(p) = s.participant {
                g.1.insert(p);
            }
        }
        docx = docx.add_paragraph(heading(&format!("Counts by {}", options.group_by), 2));
        let mut rows = vec![vec![
            (options.group_by.clone(), true),
            ("Codings".to_owned(), true),
            ("Participants".to_owned(), true),
        ]];
        for (value, (n, people)) in &groups {
            rows.push(vec![
                (value.clone(), false),
                (n.to_string(), false),
                (people.len().to_string(), false),
            ]);
        }
        rows.push(vec![
            ("All".to_owned(), true),
            (theme_segments.len().to_string(), true),
            (
                theme_segments
                    .iter()
                    .filter_map(|s| s.participant)
                    .collect::<BTreeSet<_>>()
                    .len()
                    .to_string(),
                true,
            ),
        ]);
        docx = docx.add_table(grid(
            vec![3000, 3000, 3000],
            rows,
            &format!("Counts by {}", options.group_by),
        ));
    }
    Ok((docx, summary))
}

/// Saves the theme report as a Word file at `path`.
pub fn export_theme_report(
    project: &Project,
    path: &Path,
    options: &ReportOptions,
) -> Result<ThemeReportSummary, ExportError> {
    crate::stakeholder_target(path, "the theme report")?;
    let (docx, mut summary) = theme_report_document(project, options)?;
    summary.checked = Some(super::save_gated(docx, path, project, options)?);
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyloom_project::Coding;

    fn seg(start: usize, participant: usize, key: bool, words: usize) -> Segment {
        Segment {
            coding: Coding {
                uuid: format!("c{start}"),
                code: "k".into(),
                code_path: "Code".into(),
                document: "d".into(),
                document_name: "d.txt".into(),
                version: 1,
                start,
                end: start + 10,
                quote: vec!["word"; words].join(" "),
                coder: "ana".into(),
                created_at: String::new(),
                key_quote: key,
            },
            participant: Some(participant),
            start_ms: None,
        }
    }

    #[test]
    fn key_quotes_come_first_then_one_per_participant() {
        let all = [
            seg(0, 0, false, 20),
            seg(10, 0, false, 20),
            seg(20, 1, true, 20),
            seg(30, 2, false, 20),
            seg(20, 1, true, 20), // the same passage coded twice
        ];
        let refs: Vec<&Segment> = all.iter().collect();
        let picked = pick_quotes(&refs, 3);
        let starts: Vec<usize> = picked.iter().map(|s| s.coding.start).collect();
        assert_eq!(starts, [20, 0, 30]);
        assert_eq!(pick_quotes(&refs, 10).len(), 4);
    }
}
