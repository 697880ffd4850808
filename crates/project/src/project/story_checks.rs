//! Rendering and checking stories on [`Project`]: the pseudonym map to
//! apply (with a key kept apart), the rendered story, and the fidelity
//! checker's findings for the editor and for export.

use super::Project;
use crate::error::{Error, Result};
use crate::store::pseudonyms::DetachedKey;
use crate::stories::pseudonyms::fingerprint;
use crate::stories::{self, CheckReport, Finding, KeyState, PseudonymMap, RenderedStory, Severity};

impl Project {
    /// Which of the storyteller's words in `document` (its current text) the
    /// story keeps and which it leaves out, for the transcript beside the
    /// story editor. Spans on an older version (waiting in the review list)
    /// are not shown.
    pub fn story_coverage(&self, key: &str, document: &str) -> Result<stories::words::Coverage> {
        let story = self.store.load_story(self.store.find_story(key)?)?;
        let (doc_id, _, _) = self.store.find_document(document)?;
        let cv = self.store.current_version(doc_id)?;
        let sources = self.store.story_sources(&[cv.version_id])?;
        Ok(match sources.get(&cv.version_id) {
            Some(doc) => stories::words::coverage(&story, doc, cv.version_id),
            None => stories::words::Coverage::default(),
        })
    }

    /// The story-quality report of a story (see [`crate::stories::quality`]):
    /// measured on the story rendered without pseudonyms and on every
    /// transcript of its storyteller.
    pub fn story_quality(&self, key: &str) -> Result<stories::quality::QualityReport> {
        let story = self.story(key)?;
        let mut versions = match story.participant_id {
            Some(pid) => self.store.participant_versions(pid)?,
            None => vec![],
        };
        for b in &story.blocks {
            if let stories::BlockContent::Excerpt { pieces } = &b.content {
                versions.extend(pieces.iter().map(|p| p.span.version_id));
            }
        }
        versions.sort_unstable();
        versions.dedup();
        let sources = self.store.story_sources(&versions)?;
        let key_quotes: Vec<stories::quality::KeyRange> = self
            .store
            .draft_codings(&versions)?
            .into_iter()
            .filter(|c| c.3)
            .map(
                |(version_id, start, end, _, _)| stories::quality::KeyRange {
                    version_id,
                    start,
                    end,
                },
            )
            .collect();
        let rendered = stories::render(&story, &sources, None);
        let rules = self.story_rules();
        Ok(stories::quality::quality(&stories::quality::QualityInput {
            story: &story,
            sources: &sources,
            rendered: &rendered,
            key_quotes: &key_quotes,
            rules: &rules,
        }))
    }

    /// The quality reports of every story, or of one participant's stories.
    pub fn stories_quality(
        &self,
        participant: Option<&str>,
    ) -> Result<Vec<stories::quality::QualityReport>> {
        let wanted = match participant {
            Some(k) => Some(
                self.store
                    .find_participant(k)?
                    .ok_or_else(|| Error::UnknownParticipant(k.to_owned()))?
                    .1,
            ),
            None => None,
        };
        let mut out = Vec::new();
        for s in self.stories()? {
            if wanted.is_some() && s.participant != wanted {
                continue;
            }
            out.push(self.story_quality(&s.uuid)?);
        }
        Ok(out)
    }

    /// The pseudonym map to apply: the project's entries, plus a key file
    /// when the map is kept apart. Errors when the map is apart and no key
    /// file (or the wrong one) is given.
    pub fn pseudonym_map(&self, key_file: Option<&PseudonymMap>) -> Result<PseudonymMap> {
        let inside = self.store.pseudonyms()?;
        let map = PseudonymMap::new(inside.clone());
        let own = self.own_names_map()?;
        let map = match (self.key_apart()?, key_file) {
            (None, None) => map,
            (None, Some(k)) => map.merged(k),
            (Some(d), Some(k)) => {
                if k.fingerprint() != d.fingerprint {
                    return Err(Error::Invalid(format!(
                        "this key file (fingerprint {}) is not the pseudonym key kept apart from this project (fingerprint {}, {})",
                        k.fingerprint(),
                        d.fingerprint,
                        d.file
                    )));
                }
                map.merged(k)
            }
            (Some(d), None) => {
                return Err(Error::Invalid(format!(
                    "the pseudonym key is kept apart from this project ({} entries, exported to {} on {}): give the key file to produce pseudonymised output",
                    d.entries, d.file, d.at
                )));
            }
        };
        // The participants' own names are in the map from the start; the
        // researcher's entries win over them.
        Ok(own.merged(&map))
    }

    /// The detached key record, when the map is really apart (an undone
    /// detach brings the entries back, and then the map is inside again).
    pub(crate) fn key_apart(&self) -> Result<Option<DetachedKey>> {
        let Some(d) = self.store.detached_key()? else {
            return Ok(None);
        };
        let inside = self.store.pseudonyms()?;
        if !inside.is_empty() && fingerprint(&inside) == d.fingerprint {
            return Ok(None);
        }
        Ok(Some(d))
    }

    pub fn pseudonym_key_state(&self) -> Result<KeyState> {
        Ok(match self.key_apart()? {
            Some(d) => KeyState::Apart {
                file: d.file,
                fingerprint: d.fingerprint,
                entries: d.entries,
            },
            None => KeyState::Inside {
                entries: self.store.pseudonyms()?.len(),
            },
        })
    }

    /// The story as stakeholders will read it: pseudonyms applied. Refuses
    /// when the pseudonym key is kept apart and not given.
    pub fn render_story(
        &self,
        key: &str,
        key_file: Option<&PseudonymMap>,
    ) -> Result<RenderedStory> {
        let story = self.story(key)?;
        let sources = self.story_sources(&story)?;
        let map = self
            .pseudonym_map(key_file)?
            .scoped(story.participant.as_deref());
        Ok(stories::render(&story, &sources, Some(&map)))
    }

    /// The story with the original words (research team only).
    pub fn render_story_research(&self, key: &str) -> Result<RenderedStory> {
        let story = self.story(key)?;
        let sources = self.story_sources(&story)?;
        Ok(stories::render(&story, &sources, None))
    }

    /// The fidelity checker's findings (rules 1–8), with rule 1's people
    /// half: every source document's speakers confirmed by a person.
    pub fn check_story(&self, key: &str, key_file: Option<&PseudonymMap>) -> Result<CheckReport> {
        let mut report = self.check_story_text(key, key_file)?;
        let story = self.story(key)?;
        let sources = self.story_sources(&story)?;
        let versions: Vec<i64> = sources.keys().copied().collect();
        let unconfirmed = self.store.unconfirmed_documents_of_versions(&versions)?;
        let names: Vec<String> = unconfirmed.iter().map(|d| d.2.clone()).collect();
        let unconfirmed_versions: Vec<i64> = sources
            .iter()
            .filter(|(_, d)| unconfirmed.iter().any(|u| u.1 == d.document))
            .map(|(v, _)| *v)
            .collect();
        let mut people = stories::check::speakers::unconfirmed_speakers(&names);
        people.extend(stories::check::speakers::interviewer_like_turns(
            &story,
            &sources,
            &unconfirmed_versions,
        ));
        report.findings.splice(0..0, people);
        Ok(report)
    }

    /// What the checker finds in the story's words (rules 1–8).
    fn check_story_text(&self, key: &str, key_file: Option<&PseudonymMap>) -> Result<CheckReport> {
        let story = self.story(key)?;
        let sources = self.story_sources(&story)?;
        let rules = self.story_rules();
        match self
            .pseudonym_map(key_file)
            .map(|m| m.scoped(story.participant.as_deref()))
        {
            Ok(map) => {
                let rendered = stories::render(&story, &sources, Some(&map));
                Ok(stories::check(&story, &sources, &rendered, &map, &rules))
            }
            Err(e) => {
                let rendered = stories::render(&story, &sources, None);
                let mut report = stories::check(
                    &story,
                    &sources,
                    &rendered,
                    &PseudonymMap::default(),
                    &rules,
                );
                report.findings.insert(
                    0,
                    Finding {
                        rule: 4,
                        severity: Severity::Error,
                        block: None,
                        start: 0,
                        end: 0,
                        message: e.to_string(),
                    },
                );
                Ok(report)
            }
        }
    }

    /// Everything an export to a stakeholder pack needs (rules 1–9).
    pub fn check_story_for_export(
        &self,
        key: &str,
        key_file: Option<&PseudonymMap>,
    ) -> Result<CheckReport> {
        let mut report = self.check_story(key, key_file)?;
        let id = self.store.find_story(key)?;
        let story = self.store.load_story(id)?;
        let current = stories::snapshot_hash(&stories::snapshot(&story));
        let approved = match &story.approval {
            Some(a) => self
                .store
                .story_revision_snapshot(id, a.revision)?
                .map(|s| stories::snapshot_hash(&s)),
            None => None,
        };
        let consent = self.store.consent_record(id)?;
        report.findings.extend(stories::check_for_export(
            &story,
            &current,
            approved.as_deref(),
            &consent,
        ));
        Ok(report)
    }
}
