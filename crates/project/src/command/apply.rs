//! [`Project::apply`]: the one door every change goes through.

use super::Command;
use crate::CodingRequest;
use crate::error::Result;
use crate::merge::CopyMergeReport;
use crate::project::consent_ops::ApprovalInput;
use crate::project::pack_ops::{PackSettings, StoryCheckSettings};
use crate::project::workshop_ops::WorkshopImport;
use crate::project::{
    CodingsCsvOptions, CodingsImport, CorrectionReport, CsvImport, ImportOptions, ImportOutcome,
    ImportReport, MergeReport, ParticipantImport, Passage, Project,
};
use crate::refi::RefiImportReport;
use crate::store::Reversal;
use crate::stories::PseudonymMap;
use std::sync::atomic::AtomicBool;

/// What a command did, for the caller to report or to select.
#[derive(Debug)]
pub enum Applied {
    /// Done; nothing to report.
    Done,
    /// The uuid of what it made (a code, a coding, a memo, a story, a block…).
    Created(String),
    /// The uuids of what it made, in order.
    CreatedMany(Vec<String>),
    /// A yes/no answer (whether anything changed, the new state).
    Flag(bool),
    /// How many things it touched.
    Count(usize),
    /// A number it recorded (the revision a story was sent as).
    Number(i64),
    /// Codings added and removed (a settled disagreement).
    AddedRemoved {
        added: usize,
        removed: usize,
    },
    /// A sentence saying what was done (turn and speaker edits).
    Said(String),
    /// An in-vivo code and its coding.
    InVivo {
        code: String,
        coding: String,
    },
    Merged(MergeReport),
    Corrected(CorrectionReport),
    Imported(ImportReport),
    ImportedOne(ImportOutcome),
    CodingsImported(CodingsImport),
    CsvImported(CsvImport),
    ParticipantsImported(ParticipantImport),
    RefiImported(Box<RefiImportReport>),
    WorkshopImported(WorkshopImport),
    CopyMerged(Box<CopyMergeReport>),
    PackSettings(Box<PackSettings>),
    StoryCheckSettings(StoryCheckSettings),
    /// Undo or redo: what was reversed, `None` when there was nothing to.
    Reversed(Option<Reversal>),
}

impl Applied {
    /// The uuid of what the command made, when it made one thing.
    pub fn created(&self) -> Option<&str> {
        match self {
            Applied::Created(id) => Some(id),
            Applied::InVivo { coding, .. } => Some(coding),
            _ => None,
        }
    }
}

impl Project {
    /// Applies one command: the one path by which the window and the
    /// command line change a project. Each command is one transaction with
    /// one history entry (an import of many files, one per file), and the
    /// history records the command beside the rows it changed.
    pub fn apply(&mut self, command: Command) -> Result<Applied> {
        self.apply_watched(command, &AtomicBool::new(false), &mut |_, _, _| {})
    }

    /// [`Project::apply`] for a long command (an import of many files) that
    /// reports progress and stops between files when `cancel` is set.
    pub fn apply_watched(
        &mut self,
        command: Command,
        cancel: &AtomicBool,
        progress: &mut dyn FnMut(usize, usize, &str),
    ) -> Result<Applied> {
        self.store_mut().set_intent(Some(command.intent()));
        let out = self.dispatch(command, cancel, progress);
        self.store_mut().set_intent(None);
        out
    }

    fn dispatch(
        &mut self,
        command: Command,
        cancel: &AtomicBool,
        progress: &mut dyn FnMut(usize, usize, &str),
    ) -> Result<Applied> {
        use Applied::*;
        use Command as C;
        Ok(match command {
            C::ImportCodebookCsv { path } => CreatedMany(self.import_codebook_csv(&path)?),
            C::CreateCode {
                name,
                parent,
                color,
            } => Created(self.create_code(&name, parent.as_deref(), color.as_deref())?),
            C::RenameCode { code, new_name } => done(self.rename_code(&code, &new_name))?,
            C::SetCodeColor { code, color } => done(self.set_code_color(&code, &color))?,
            C::DescribeCode { code, description } => done(self.describe_code(&code, &description))?,
            C::DescribeCodeFields {
                code,
                definition,
                when_to_use,
                when_not,
            } => done(self.describe_code_fields(
                &code,
                definition.as_deref(),
                when_to_use.as_deref(),
                when_not.as_deref(),
            ))?,
            C::MoveCode { code, parent } => done(self.move_code(&code, parent.as_deref()))?,
            C::MergeCodes { source, target } => Merged(self.merge_codes(&source, &target)?),
            C::SetCodeCategory { code, category } => Flag(self.set_code_category(&code, category)?),
            C::DeleteCode { code } => Count(self.delete_code(&code)?),

            C::CreateTheme { name, definition } => Created(self.create_theme(&name, &definition)?),
            C::RenameTheme { theme, new_name } => done(self.rename_theme(&theme, &new_name))?,
            C::DefineTheme { theme, definition } => done(self.define_theme(&theme, &definition))?,
            C::SetThemeStatus { theme, status } => done(self.set_theme_status(&theme, status))?,
            C::DeleteTheme { theme } => done(self.delete_theme(&theme))?,
            C::AddCodeToTheme { theme, code } => Flag(self.add_code_to_theme(&theme, &code)?),
            C::RemoveCodeFromTheme { theme, code } => {
                Flag(self.remove_code_from_theme(&theme, &code)?)
            }

            C::AddCoding(spec) => Created(self.add_coding(&request(&spec))?),
            C::AddCodings { codings, why } => {
                let requests: Vec<CodingRequest> = codings.iter().map(request).collect();
                CreatedMany(self.add_codings(&requests, &why)?)
            }
            C::CodeInVivo {
                document,
                start,
                end,
                parent,
            } => {
                let (code, coding) = self.code_in_vivo(&document, start, end, parent.as_deref())?;
                InVivo { code, coding }
            }
            C::RemoveCoding { coding } => done(self.remove_coding(&coding))?,
            C::RecodeCoding { coding, code } => done(self.recode_coding(&coding, &code))?,
            C::ResizeCoding { coding, start, end } => {
                done(self.resize_coding(&coding, start, end))?
            }
            C::SetKeyQuote { coding, key_quote } => done(self.set_key_quote(&coding, key_quote))?,
            C::ImportCodingsCsv { path, create_codes } => CodingsImported(
                self.import_codings_csv_with(&path, CodingsCsvOptions { create_codes })?,
            ),
            C::SettleDisagreement {
                document,
                code,
                start,
                end,
                coder_a,
                coder_b,
                settle,
            } => {
                let passage = Passage {
                    document: &document,
                    code: &code,
                    start,
                    end,
                    coder_a: &coder_a,
                    coder_b: &coder_b,
                };
                let (added, removed) = self.settle_disagreement(&passage, &settle)?;
                AddedRemoved { added, removed }
            }
            C::ImportCsv { path, create_codes } => {
                CsvImported(self.import_csv(&path, create_codes)?)
            }

            C::ImportFiles { paths, threads } => {
                Imported(self.import_files(&paths, &ImportOptions { threads }, cancel, progress)?)
            }
            C::ImportBytes { name, bytes } => ImportedOne(self.import_bytes(&name, &bytes)?),
            C::ImportRefi { path } => RefiImported(Box::new(self.import_refi(&path)?)),
            C::CorrectDocument { document, file } => {
                Corrected(self.correct_document(&document, &file)?)
            }
            C::CorrectDocumentBytes {
                document,
                name,
                bytes,
            } => Corrected(self.correct_document_bytes(&document, &name, &bytes)?),
            C::CorrectDocumentText { document, text } => {
                Corrected(self.correct_document_text(&document, &text)?)
            }
            C::ResolveReview { item, resolution } => done(self.resolve_review(&item, resolution))?,

            C::EditTurns { document, edit } => Said(self.edit_turns(&document, &edit)?),
            C::RenameSpeaker {
                document,
                label,
                new_label,
            } => Said(self.rename_speaker(&document, &label, &new_label)?),
            C::SetSpeakerRole {
                document,
                label,
                role,
            } => Said(self.set_speaker_role(&document, &label, role)?),
            C::LinkSpeaker {
                document,
                label,
                participant,
            } => done(self.link_speaker(&document, &label, participant.as_deref()))?,
            C::ConfirmSpeakers {
                document,
                confirmed,
            } => done(self.confirm_speakers(&document, confirmed))?,

            C::ImportParticipantsCsv { path } => {
                ParticipantsImported(self.import_participants_csv(&path)?)
            }
            C::CreateParticipant {
                ident,
                name,
                pseudonym,
            } => Created(self.create_participant(&ident, name.as_deref(), pseudonym.as_deref())?),
            C::EditParticipant {
                participant,
                name,
                pseudonym,
            } => done(self.edit_participant(&participant, name.as_deref(), pseudonym.as_deref()))?,
            C::EditParticipantFields {
                participant,
                name,
                pseudonym,
            } => done(self.edit_participant_fields(
                &participant,
                name.as_deref(),
                pseudonym.as_deref(),
            ))?,
            C::DefineAttribute {
                name,
                kind,
                choices,
            } => done(self.define_attribute(&name, kind, &choices))?,
            C::SetAttribute {
                participant,
                attribute,
                value,
            } => done(self.set_attribute(&participant, &attribute, &value))?,
            C::SetParticipantKnownAs { participant, name } => {
                done(self.set_participant_known_as(&participant, &name))?
            }

            C::AddMemo {
                target,
                title,
                body,
            } => Created(self.add_memo(&target, &title, &body)?),
            C::AddJournalEntry { date, title, body } => {
                Created(self.add_journal_entry(date.as_deref(), &title, &body)?)
            }
            C::EditMemo { memo, title, body } => done(self.edit_memo(&memo, &title, &body))?,
            C::EditMemoFields { memo, title, body } => {
                done(self.edit_memo_fields(&memo, title.as_deref(), body.as_deref()))?
            }
            C::SetMemoText {
                target,
                title,
                body,
            } => Created(self.set_memo_text(&target, &title, &body)?),
            C::DeleteMemo { memo } => done(self.delete_memo(&memo))?,

            C::ReviewName {
                name,
                verdict,
                scope,
                note,
            } => done(self.review_name(&name, verdict, scope.as_deref(), &note))?,
            C::ReviewNames {
                names,
                verdict,
                note,
            } => Count(self.review_names(&names, verdict, &note)?),
            C::UnreviewName { name, scope } => done(self.unreview_name(&name, scope.as_deref()))?,
            C::SetPseudonym {
                original,
                replacement,
                kind,
                confirmed,
                scope,
            } => done(self.set_pseudonym_scoped(
                &original,
                &replacement,
                kind,
                confirmed,
                scope.as_deref(),
            ))?,
            C::ConfirmPseudonym { original } => done(self.confirm_pseudonym(&original))?,
            C::RemovePseudonym { original, scope } => {
                done(self.remove_pseudonym_scoped(&original, scope.as_deref()))?
            }
            C::ImportPseudonymKey { path } => Count(self.import_pseudonym_key(&path)?),
            C::ExportPseudonymKey { path, detach, bom } => {
                Count(self.export_pseudonym_key_with(&path, detach, bom)?)
            }

            C::CreateStory { participant, title } => {
                Created(self.create_story(&participant, &title)?)
            }
            C::DraftStory { participant } => Created(self.draft_story(&participant)?),
            C::SetStoryTitle { story, title } => done(self.set_story_title(&story, &title))?,
            C::SetStoryPseudonym { story, pseudonym } => {
                done(self.set_story_pseudonym(&story, &pseudonym))?
            }
            C::SetStoryRoleLine { story, role_line } => {
                done(self.set_story_role_line(&story, &role_line))?
            }
            C::SetStoryFields {
                story,
                title,
                pseudonym,
                role_line,
            } => done(self.set_story_fields(
                &story,
                title.as_deref(),
                pseudonym.as_deref(),
                role_line.as_deref(),
            ))?,
            C::SetStoryStatus { story, status } => done(self.set_story_status(&story, status))?,
            C::LinkStoryTheme {
                story,
                theme,
                linked,
            } => done(self.link_story_theme(&story, &theme, linked))?,
            C::DeleteStory { story } => done(self.delete_story(&story))?,

            C::AddExcerpt {
                story,
                document,
                start,
                end,
                position,
            } => Created(self.add_excerpt(&story, &document, start, end, position)?),
            C::AddFraming {
                story,
                text,
                position,
            } => Created(self.add_framing(&story, &text, position)?),
            C::EditFraming { story, block, text } => {
                done(self.edit_framing(&story, &block, &text))?
            }
            C::MoveBlock { story, block, to } => done(self.move_block(&story, &block, to))?,
            C::DeleteBlock { story, block } => done(self.delete_block(&story, &block))?,
            C::SplitBlock {
                story,
                block,
                at_char,
            } => Created(self.split_block(&story, &block, at_char)?),
            C::MergeWithNext { story, block } => done(self.merge_with_next(&story, &block))?,
            C::CutWords {
                story,
                block,
                start,
                end,
            } => done(self.cut_words(&story, &block, start, end))?,
            C::DropFiller {
                story,
                block,
                start,
                end,
            } => done(self.drop_filler(&story, &block, start, end))?,
            C::AddClarification {
                story,
                block,
                at,
                text,
            } => done(self.add_clarification(&story, &block, at, &text))?,
            C::RemoveClarification { story, block, at } => {
                done(self.remove_clarification(&story, &block, at))?
            }
            C::ReplaceWithPseudonym {
                story,
                block,
                start,
                end,
                replacement,
            } => done(self.replace_with_pseudonym(&story, &block, start, end, &replacement))?,

            C::RecordStorySent {
                story,
                how,
                date,
                revision,
            } => Number(self.record_story_sent(&story, how, date.as_deref(), revision)?),
            C::ApproveStory {
                story,
                how,
                date,
                revision,
                scopes,
                key_file,
            } => {
                let key = match &key_file {
                    Some(path) => Some(PseudonymMap::read_file(path)?),
                    None => None,
                };
                done(self.approve_story_with(
                    &story,
                    &ApprovalInput {
                        how: &how,
                        date: date.as_deref(),
                        revision,
                        scopes: scopes.as_deref(),
                    },
                    key.as_ref(),
                ))?
            }
            C::RecordStoryFeedback {
                story,
                kind,
                text,
                date,
            } => Created(self.record_story_feedback(&story, kind, &text, date.as_deref())?),
            C::SetStoryFeedbackDone {
                story,
                feedback,
                done: d,
            } => done(self.set_story_feedback_done(&story, &feedback, d))?,
            C::SetStoryConsent {
                story,
                scopes,
                date,
            } => done(self.set_story_consent(&story, &scopes, date.as_deref()))?,

            C::SavePackSettings { settings } => done(self.save_pack_settings(&settings))?,
            C::UpdatePackSettings { base, edited } => {
                PackSettings(Box::new(self.update_pack_settings(&base, &edited)?))
            }
            C::SaveStoryCheckSettings { settings } => {
                done(self.save_story_check_settings(&settings))?
            }
            C::UpdateStoryCheckSettings { base, edited } => {
                StoryCheckSettings(self.update_story_check_settings(&base, &edited)?)
            }
            C::ImportWorkshopNotes { path } => WorkshopImported(self.import_workshop_notes(&path)?),

            C::MergeCopy { other, dry_run } => {
                CopyMerged(Box::new(self.merge_copy(&other, dry_run)?))
            }
            C::SettleMergeConflict { conflict } => done(self.settle_merge_conflict(&conflict))?,
            C::TakeOtherVersion { conflict } => done(self.take_other_version(&conflict))?,

            C::Undo => Reversed(self.undo()?),
            C::Redo => Reversed(self.redo()?),
        })
    }
}

fn done(r: Result<()>) -> Result<Applied> {
    r.map(|()| Applied::Done)
}

fn request(spec: &super::CodingSpec) -> CodingRequest<'_> {
    CodingRequest {
        code: &spec.code,
        document: &spec.document,
        start: spec.start,
        end: spec.end,
        version: spec.version,
    }
}

/// Typed access to what a command returned, for callers that know which
/// command they applied: `p.apply(Command::CreateCode { .. })?.id()?`.
macro_rules! take {
    ($($(#[$doc:meta])* $fn:ident -> $ty:ty { $($pat:pat => $val:expr),+ $(,)? })+) => {
        impl Applied {
            $(
                $(#[$doc])*
                pub fn $fn(self) -> Result<$ty> {
                    match self {
                        $($pat => Ok($val),)+
                        other => Err(crate::Error::Invalid(format!(
                            "the command returned {other:?}, not what {} expects",
                            stringify!($fn)
                        ))),
                    }
                }
            )+
        }
    };
}

take! {
    /// The uuid of what it made (for an in-vivo code, the coding).
    id -> String { Applied::Created(id) => id, Applied::InVivo { coding, .. } => coding }
    ids -> Vec<String> { Applied::CreatedMany(ids) => ids }
    flag -> bool { Applied::Flag(b) => b }
    count -> usize { Applied::Count(n) => n }
    number -> i64 { Applied::Number(n) => n }
    said -> String { Applied::Said(s) => s }
    /// (code, coding) of an in-vivo code.
    in_vivo -> (String, String) { Applied::InVivo { code, coding } => (code, coding) }
    /// (added, removed).
    added_removed -> (usize, usize) { Applied::AddedRemoved { added, removed } => (added, removed) }
    merged -> MergeReport { Applied::Merged(r) => r }
    corrected -> CorrectionReport { Applied::Corrected(r) => r }
    imported -> ImportReport { Applied::Imported(r) => r }
    imported_one -> ImportOutcome { Applied::ImportedOne(r) => r }
    codings_imported -> CodingsImport { Applied::CodingsImported(r) => r }
    csv_imported -> CsvImport { Applied::CsvImported(r) => r }
    participants_imported -> ParticipantImport { Applied::ParticipantsImported(r) => r }
    refi_imported -> RefiImportReport { Applied::RefiImported(r) => *r }
    workshop_imported -> WorkshopImport { Applied::WorkshopImported(r) => r }
    copy_merged -> CopyMergeReport { Applied::CopyMerged(r) => *r }
    pack_settings -> PackSettings { Applied::PackSettings(s) => *s }
    story_check_settings -> StoryCheckSettings { Applied::StoryCheckSettings(s) => s }
    reversed -> Option<Reversal> { Applied::Reversed(r) => r }
}
