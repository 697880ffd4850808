//! Agreement (a centre tab): pick two coders (or a coder and the
//! consensus), see percent agreement, Cohen's kappa and Krippendorff's alpha
//! per code and over all codes, for all documents or one, and the passages
//! where they differ. Choosing a passage shows both coders' codings side by
//! side; it is settled by keeping one version, keeping both, or merging into
//! a consensus coding (each one undoable change).
//!
//! The figures come from [`Project::agreement`], as `storyloom agreement`'s
//! do, and are formatted by the same function.
//!
//! [`Project::agreement`]: storyloom_project::Project::agreement

mod disagreements;
#[cfg(test)]
pub(crate) mod tests;

use super::shared::Shared;
use crate::cli::analysis::figure;
use egui::RichText;
use storyloom_project::analysis::CharAgreement;
use storyloom_project::project::AgreementSummary;

#[derive(Default)]
pub struct AgreementPanel {
    /// (revision, coder A, coder B) the summary was computed for.
    loaded: Option<(u64, Option<String>, Option<String>)>,
    coders: Vec<String>,
    pub coder_a: Option<String>,
    pub coder_b: Option<String>,
    summary: Option<AgreementSummary>,
    /// Why there is no summary (no document in common, ...).
    problem: Option<String>,
    /// The document the figures and disagreements are shown for (name); all when `None`.
    pub document: Option<String>,
    /// The disagreement chosen (index into the summary's list).
    pub selected: Option<usize>,
    passage: Option<disagreements::PassageView>,
}

impl AgreementPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        if sh.project.is_none() {
            ui.label("No project open.");
            return;
        }
        self.reload(sh);
        egui::ScrollArea::vertical()
            .id_salt("agreement")
            .auto_shrink(false)
            .show(ui, |ui| {
                ui.heading("Agreement between coders");
                if self.coders.len() < 2 {
                    ui.label(
                        "Agreement needs two coders: this project has codings by at most one. \
                         Merge a colleague's copy (File menu) or import their codings first.",
                    );
                    return;
                }
                self.coders_ui(ui);
                let Some(s) = self.summary.take() else {
                    if let Some(why) = &self.problem {
                        ui.label(why.as_str());
                    }
                    return;
                };
                self.figures_ui(ui, &s);
                ui.separator();
                self.disagreements_ui(ui, sh, &s);
                self.summary = Some(s);
            });
    }

    fn reload(&mut self, sh: &mut Shared) {
        let key = (sh.revision, self.coder_a.clone(), self.coder_b.clone());
        if self.loaded.as_ref() == Some(&key) {
            return;
        }
        let new_revision = self.loaded.as_ref().is_none_or(|k| k.0 != sh.revision);
        self.coders = sh.read(|p| p.coders()).unwrap_or_default();
        // Default: the first two coders (the consensus last).
        let mut order = self.coders.clone();
        order.sort_by_key(|c| c == storyloom_project::project::CONSENSUS_CODER);
        let keep = |c: &Option<String>| c.clone().filter(|c| self.coders.contains(c));
        self.coder_a = keep(&self.coder_a).or_else(|| order.first().cloned());
        self.coder_b = keep(&self.coder_b).or_else(|| {
            order
                .iter()
                .find(|c| Some(*c) != self.coder_a.as_ref())
                .cloned()
        });
        let key = (sh.revision, self.coder_a.clone(), self.coder_b.clone());
        if !new_revision
            && self
                .loaded
                .as_ref()
                .is_some_and(|k| k.1 != key.1 || k.2 != key.2)
        {
            self.selected = None;
            self.document = None;
        }
        self.loaded = Some(key);
        self.summary = None;
        self.problem = None;
        self.passage = None;
        let (Some(a), Some(b)) = (self.coder_a.clone(), self.coder_b.clone()) else {
            return;
        };
        if a == b {
            self.problem = Some("Pick two different coders.".into());
            return;
        }
        let Some(p) = sh.project.as_ref() else {
            return;
        };
        match p.agreement(&a, &b, &[]) {
            Ok(s) => {
                if self
                    .document
                    .as_ref()
                    .is_some_and(|d| !s.documents.contains(d))
                {
                    self.document = None;
                }
                if self.selected.is_some_and(|i| i >= s.disagreements.len()) {
                    self.selected = None;
                }
                self.load_passage(sh, &s);
                self.summary = Some(s);
            }
            Err(e) => self.problem = Some(e.to_string()),
        }
    }

    fn coders_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            for (label, coder) in [
                ("Coder A", &mut self.coder_a),
                ("Coder B", &mut self.coder_b),
            ] {
                let l = ui.label(label);
                egui::ComboBox::from_id_salt(label)
                    .selected_text(coder.clone().unwrap_or_default())
                    .show_ui(ui, |ui| {
                        for c in &self.coders {
                            ui.selectable_value(coder, Some(c.clone()), c);
                        }
                    })
                    .response
                    .labelled_by(l.id);
                ui.add_space(12.0);
            }
        });
        ui.label(
            RichText::new(
                "To compare a coder with the agreed version, pick 'consensus' (made when \
                 disagreements are merged into a consensus coding).",
            )
            .weak(),
        );
    }

    fn figures_ui(&mut self, ui: &mut egui::Ui, s: &AgreementSummary) {
        ui.label(format!(
            "{} and {} on {} document(s) both coded, {} turns.",
            s.coder_a,
            s.coder_b,
            s.documents.len(),
            s.turns
        ));
        let all = "All documents".to_owned();
        ui.horizontal(|ui| {
            let l = ui.label("Figures for");
            egui::ComboBox::from_id_salt("agreement-document")
                .selected_text(self.document.as_ref().unwrap_or(&all).as_str())
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.document, None, all.as_str());
                    for d in &s.documents {
                        ui.selectable_value(&mut self.document, Some(d.clone()), d);
                    }
                })
                .response
                .labelled_by(l.id);
        });
        let rows: Vec<(String, CharAgreement, Option<f64>, Option<f64>)> = match &self.document {
            None => s
                .codes
                .iter()
                .map(|c| (c.code.clone(), c.pooled, c.mean_kappa, c.alpha))
                .collect(),
            Some(doc) => s
                .codes
                .iter()
                .filter_map(|c| {
                    let (_, a) = c.documents.iter().find(|(d, _)| d == doc)?;
                    a.coded().then(|| (c.code.clone(), *a, None, None))
                })
                .collect(),
        };
        let overall = match &self.document {
            None => (s.overall, s.overall_alpha),
            Some(_) => {
                let t = rows.iter().fold([0; 4], |t, (_, a, _, _)| {
                    [
                        t[0] + a.both,
                        t[1] + a.only_a,
                        t[2] + a.only_b,
                        t[3] + a.neither,
                    ]
                });
                (CharAgreement::from_counts(t[0], t[1], t[2], t[3]), None)
            }
        };
        ui.label(format!(
            "All codes: {}% agreement, kappa {}, alpha {}",
            percent(overall.0.percent),
            kappa(overall.0.kappa),
            figure(overall.1)
        ));
        egui::Grid::new("agreement-codes")
            .striped(true)
            .num_columns(7)
            .show(ui, |ui| {
                for h in [
                    "Code",
                    "Agree %",
                    "Kappa",
                    "Mean kappa",
                    "Alpha",
                    &format!("Only {}", s.coder_a),
                    &format!("Only {}", s.coder_b),
                ] {
                    ui.label(RichText::new(h).strong());
                }
                ui.end_row();
                for (code, a, mean, alpha) in &rows {
                    ui.label(code);
                    ui.label(percent(a.percent));
                    ui.label(kappa(a.kappa));
                    ui.label(figure(*mean));
                    ui.label(figure(*alpha));
                    ui.label(format!("{} chars", a.only_a));
                    ui.label(format!("{} chars", a.only_b));
                    ui.end_row();
                }
            });
        ui.label(
            RichText::new(
                "Percent and kappa count characters (as NVivo's coding comparison does); \
                 alpha takes each turn as a unit. Mean kappa is over documents.",
            )
            .weak(),
        );
    }
}

/// Percent agreement as `storyloom agreement` prints it.
pub fn percent(x: f64) -> String {
    format!("{x:.2}")
}

/// Kappa as `storyloom agreement` prints it.
pub fn kappa(x: f64) -> String {
    format!("{x:.3}")
}
