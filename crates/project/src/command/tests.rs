//! Every [`Command`] round-trips through serde and applies through
//! [`Project::apply`]: one history entry that records the command, and undo
//! takes it back to what the project read before.

use super::{Applied, CodingSpec, Command};
use crate::Project;
use crate::model::{AttributeKind, CodeDescription, MemoTarget, Role, ThemeStatus};
use crate::project::pack_ops::{PackSettings, StoryCheckSettings};
use crate::project::{Resolution, Settle, TurnEdit};
use crate::store::pseudonyms::Verdict;
use crate::stories::consent::{ConsentScope, FeedbackKind, SendMethod};
use crate::stories::{PseudonymKind, StoryStatus};
use std::collections::BTreeSet;
use std::path::Path;

const TRANSCRIPT: &str = "Interviewer: How did you first get involved?
Doreen: Well, um, I first heard about the choir from Priya at the surgery. I didn't want to go at first.
Interviewer: And what has changed for you?
Doreen: Now I sing, um, every week with the the Hallbrook choir. Now I have friends.
";

/// Every variant, by number: a new variant fails to compile here until the
/// test covers it.
fn variant(c: &Command) -> usize {
    use Command as C;
    match c {
        C::ImportCodebookCsv { .. } => 0,
        C::CreateCode { .. } => 1,
        C::RenameCode { .. } => 2,
        C::SetCodeColor { .. } => 3,
        C::DescribeCode { .. } => 4,
        C::DescribeCodeFields { .. } => 5,
        C::MoveCode { .. } => 6,
        C::MergeCodes { .. } => 7,
        C::SetCodeCategory { .. } => 8,
        C::DeleteCode { .. } => 9,
        C::CreateTheme { .. } => 10,
        C::RenameTheme { .. } => 11,
        C::DefineTheme { .. } => 12,
        C::SetThemeStatus { .. } => 13,
        C::DeleteTheme { .. } => 14,
        C::AddCodeToTheme { .. } => 15,
        C::RemoveCodeFromTheme { .. } => 16,
        C::AddCoding(_) => 17,
        C::AddCodings { .. } => 18,
        C::CodeInVivo { .. } => 19,
        C::RemoveCoding { .. } => 20,
        C::ResizeCoding { .. } => 21,
        C::SetKeyQuote { .. } => 22,
        C::ImportCodingsCsv { .. } => 23,
        C::ImportCsv { .. } => 24,
        C::ImportFiles { .. } => 25,
        C::ImportBytes { .. } => 26,
        C::ImportRefi { .. } => 27,
        C::CorrectDocument { .. } => 28,
        C::CorrectDocumentBytes { .. } => 29,
        C::CorrectDocumentText { .. } => 30,
        C::ResolveReview { .. } => 31,
        C::EditTurns { .. } => 32,
        C::RenameSpeaker { .. } => 33,
        C::SetSpeakerRole { .. } => 34,
        C::LinkSpeaker { .. } => 35,
        C::ConfirmSpeakers { .. } => 36,
        C::ImportParticipantsCsv { .. } => 37,
        C::CreateParticipant { .. } => 38,
        C::EditParticipant { .. } => 39,
        C::EditParticipantFields { .. } => 40,
        C::DefineAttribute { .. } => 41,
        C::SetAttribute { .. } => 42,
        C::SetParticipantKnownAs { .. } => 43,
        C::AddMemo { .. } => 44,
        C::AddJournalEntry { .. } => 45,
        C::EditMemo { .. } => 46,
        C::EditMemoFields { .. } => 47,
        C::SetMemoText { .. } => 48,
        C::DeleteMemo { .. } => 49,
        C::ReviewName { .. } => 50,
        C::ReviewNames { .. } => 51,
        C::UnreviewName { .. } => 52,
        C::SetPseudonym { .. } => 53,
        C::ConfirmPseudonym { .. } => 54,
        C::RemovePseudonym { .. } => 55,
        C::ImportPseudonymKey { .. } => 56,
        C::ExportPseudonymKey { .. } => 57,
        C::CreateStory { .. } => 58,
        C::DraftStory { .. } => 59,
        C::SetStoryTitle { .. } => 60,
        C::SetStoryPseudonym { .. } => 61,
        C::SetStoryRoleLine { .. } => 62,
        C::SetStoryFields { .. } => 63,
        C::SetStoryStatus { .. } => 64,
        C::LinkStoryTheme { .. } => 65,
        C::DeleteStory { .. } => 66,
        C::AddExcerpt { .. } => 67,
        C::AddFraming { .. } => 68,
        C::EditFraming { .. } => 69,
        C::MoveBlock { .. } => 70,
        C::DeleteBlock { .. } => 71,
        C::SplitBlock { .. } => 72,
        C::MergeWithNext { .. } => 73,
        C::CutWords { .. } => 74,
        C::DropFiller { .. } => 75,
        C::AddClarification { .. } => 76,
        C::RemoveClarification { .. } => 77,
        C::ReplaceWithPseudonym { .. } => 78,
        C::RecordStorySent { .. } => 79,
        C::ApproveStory { .. } => 80,
        C::RecordStoryFeedback { .. } => 81,
        C::SetStoryFeedbackDone { .. } => 82,
        C::SetStoryConsent { .. } => 83,
        C::SavePackSettings { .. } => 84,
        C::UpdatePackSettings { .. } => 85,
        C::SaveStoryCheckSettings { .. } => 86,
        C::UpdateStoryCheckSettings { .. } => 87,
        C::ImportWorkshopNotes { .. } => 88,
        C::MergeCopy { .. } => 89,
        C::SettleMergeConflict { .. } => 90,
        C::Undo => 91,
        C::Redo => 92,
        C::SettleDisagreement { .. } => 93,
        C::TakeOtherVersion { .. } => 94,
        C::RecodeCoding { .. } => 95,
    }
}
const VARIANTS: usize = 96;

/// What the project reads as, for "undo takes it back".
fn snapshot(p: &Project) -> String {
    let stories: Vec<_> = p
        .stories()
        .unwrap()
        .iter()
        .map(|s| format!("{:?}", p.story(&s.uuid).unwrap()))
        .collect();
    let texts: Vec<_> = p
        .documents()
        .unwrap()
        .iter()
        .map(|d| {
            let t = p.document(&d.uuid).unwrap();
            format!(
                "{:?} {:?} {:?}",
                t.text,
                t.turns,
                p.speakers(&d.uuid).unwrap()
            )
        })
        .collect();
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{stories:?}\n{texts:?}\n{:?}",
        p.documents().unwrap(),
        p.codes().unwrap(),
        p.themes().unwrap(),
        p.codings(None, None, None).unwrap(),
        p.memos(None).unwrap(),
        p.participants().unwrap(),
        p.attributes().unwrap(),
        p.pseudonyms().unwrap(),
        p.review_items(true).unwrap(),
        p.pack_settings().unwrap(),
    )
}

struct Run {
    p: Project,
    seen: BTreeSet<usize>,
}

impl Run {
    /// Round-trips `c` through JSON, applies it, checks the history took
    /// `entries` entries recording it and, for one entry, that undo restores
    /// what the project read before and redo brings the change back.
    fn go(&mut self, c: Command, entries: usize) -> Applied {
        let json = serde_json::to_string(&c).unwrap();
        let back: Command = serde_json::from_str(&json).unwrap();
        assert_eq!(back, c, "{json}");
        self.seen.insert(variant(&c));
        let name = c.name();
        let intent = c.intent();
        let before = snapshot(&self.p);
        let n = self.p.history().unwrap().len();
        let out = self.p.apply(back).unwrap_or_else(|e| panic!("{name}: {e}"));
        let h = self.p.history().unwrap();
        assert_eq!(h.len(), n + entries, "{name}: history entries");
        for e in &h[n..] {
            assert_eq!(e.intent.as_deref(), Some(intent.as_str()), "{name}");
        }
        if entries == 1 && !matches!(c, Command::Undo | Command::Redo) {
            let after = snapshot(&self.p);
            let undone = self.p.undo().unwrap().expect(&name);
            assert_eq!(undone.seq, h[n].seq, "{name}");
            assert_eq!(snapshot(&self.p), before, "{name}: undo takes it back");
            self.p.redo().unwrap().expect(&name);
            assert_eq!(snapshot(&self.p), after, "{name}: redo brings it back");
        }
        out
    }

    /// A command that needs a file it cannot find: refused, nothing recorded.
    fn refused(&mut self, c: Command) {
        let back: Command = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(back, c);
        self.seen.insert(variant(&c));
        let n = self.p.history().unwrap().len();
        assert!(self.p.apply(back).is_err(), "{}", c.name());
        assert_eq!(self.p.history().unwrap().len(), n);
    }
}

fn s(x: &str) -> String {
    x.to_owned()
}

fn at(text: &str, needle: &str) -> usize {
    let b = text.find(needle).expect(needle);
    text[..b].chars().count()
}

fn write(dir: &Path, name: &str, body: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    path
}

#[test]
fn every_command_round_trips_applies_and_undoes() {
    use Command as C;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut r = Run {
        p: Project::create(&d.join("c.storyloom")).unwrap(),
        seen: BTreeSet::new(),
    };
    r.p.set_actor("ana");

    // People and documents.
    let csv = write(
        d,
        "participants.csv",
        "id,name,pseudonym,site\nP02,Harjit Bhamra,Jas,Canal\n",
    );
    r.go(C::ImportParticipantsCsv { path: csv.clone() }, 1);
    r.go(
        C::CreateParticipant {
            ident: s("P01"),
            name: Some(s("Doreen Walsh")),
            pseudonym: Some(s("Dot")),
        },
        1,
    );
    r.go(
        C::EditParticipant {
            participant: s("P02"),
            name: Some(s("Harjit Singh Bhamra")),
            pseudonym: Some(s("Jas")),
        },
        1,
    );
    r.go(
        C::EditParticipantFields {
            participant: s("P02"),
            name: None,
            pseudonym: Some(s("Jaz")),
        },
        1,
    );
    r.go(
        C::DefineAttribute {
            name: s("activity"),
            kind: AttributeKind::Choice,
            choices: vec![s("Choir"), s("Walking")],
        },
        1,
    );
    r.go(
        C::SetAttribute {
            participant: s("P01"),
            attribute: s("activity"),
            value: s("Choir"),
        },
        1,
    );
    r.go(
        C::SetParticipantKnownAs {
            participant: s("P01"),
            name: s("Dor"),
        },
        1,
    );
    let doc = match r.go(
        C::ImportBytes {
            name: s("P01-doreen.txt"),
            bytes: TRANSCRIPT.as_bytes().to_vec(),
        },
        1,
    ) {
        Applied::ImportedOne(crate::ImportOutcome::Imported { document, .. }) => document,
        other => panic!("{other:?}"),
    };
    let second = write(
        d,
        "P02-harjit.txt",
        "Interviewer: Hello?\nHarjit: We walk by the canal.\n",
    );
    r.go(
        C::ImportFiles {
            paths: vec![second],
            threads: 1,
        },
        1,
    );
    r.go(
        C::SetSpeakerRole {
            document: doc.clone(),
            label: s("Interviewer"),
            role: Role::Interviewer,
        },
        1,
    );
    r.go(
        C::LinkSpeaker {
            document: doc.clone(),
            label: s("Doreen"),
            participant: Some(s("P01")),
        },
        1,
    );
    r.go(
        C::RenameSpeaker {
            document: doc.clone(),
            label: s("Doreen"),
            new_label: s("Doreen W"),
        },
        1,
    );
    let text = r.p.document(&doc).unwrap().text;
    r.go(
        C::EditTurns {
            document: doc.clone(),
            edit: TurnEdit::Split {
                turn: 1,
                at: at(&text, "I didn't"),
            },
        },
        1,
    );

    r.go(
        C::ConfirmSpeakers {
            document: doc.clone(),
            confirmed: true,
        },
        1,
    );

    // Codebook and themes.
    let codebook = write(
        d,
        "codebook.csv",
        "code,colour,definition\nGetting involved,#4363d8,How they came\nBelonging,,\n",
    );
    r.go(C::ImportCodebookCsv { path: codebook }, 1);
    r.go(
        C::CreateCode {
            name: s("Friends"),
            parent: None,
            color: None,
        },
        1,
    );
    r.go(
        C::CreateCode {
            name: s("Spare"),
            parent: None,
            color: Some(s("#123456")),
        },
        1,
    );
    r.go(
        C::RenameCode {
            code: s("Friends"),
            new_name: s("Friendship"),
        },
        1,
    );
    r.go(
        C::SetCodeColor {
            code: s("Friendship"),
            color: s("#e6194b"),
        },
        1,
    );
    r.go(
        C::DescribeCode {
            code: s("Friendship"),
            description: CodeDescription {
                definition: s("Friends made"),
                ..Default::default()
            },
        },
        1,
    );
    r.go(
        C::DescribeCodeFields {
            code: s("Friendship"),
            definition: None,
            when_to_use: Some(s("New people")),
            when_not: None,
        },
        1,
    );
    r.go(
        C::MoveCode {
            code: s("Friendship"),
            parent: Some(s("Belonging")),
        },
        1,
    );
    r.go(
        C::SetCodeCategory {
            code: s("Spare"),
            category: true,
        },
        1,
    );
    r.go(
        C::SetCodeCategory {
            code: s("Spare"),
            category: false,
        },
        1,
    );
    r.go(
        C::CreateTheme {
            name: s("Company"),
            definition: s("Being with others"),
        },
        1,
    );
    r.go(
        C::RenameTheme {
            theme: s("Company"),
            new_name: s("Together"),
        },
        1,
    );
    r.go(
        C::DefineTheme {
            theme: s("Together"),
            definition: s("Not alone"),
        },
        1,
    );
    r.go(
        C::SetThemeStatus {
            theme: s("Together"),
            status: ThemeStatus::Candidate,
        },
        1,
    );
    r.go(
        C::AddCodeToTheme {
            theme: s("Together"),
            code: s("Spare"),
        },
        1,
    );
    r.go(
        C::RemoveCodeFromTheme {
            theme: s("Together"),
            code: s("Spare"),
        },
        1,
    );
    r.go(
        C::CreateTheme {
            name: s("Gone"),
            definition: s(""),
        },
        1,
    );
    r.go(C::DeleteTheme { theme: s("Gone") }, 1);

    // Codings.
    let text = r.p.document(&doc).unwrap().text;
    let friends = at(&text, "Now I have friends");
    let coding = r
        .go(
            C::AddCoding(CodingSpec {
                code: s("Friendship"),
                document: doc.clone(),
                start: friends,
                end: friends + 18,
                version: None,
            }),
            1,
        )
        .created()
        .unwrap()
        .to_owned();
    r.go(
        C::AddCodings {
            codings: vec![CodingSpec {
                code: s("Getting involved"),
                document: doc.clone(),
                start: at(&text, "I first heard"),
                end: at(&text, " I didn't"),
                version: None,
            }],
            why: s("first coding pass"),
        },
        1,
    );
    r.go(
        C::CodeInVivo {
            document: doc.clone(),
            start: at(&text, "Hallbrook choir"),
            end: at(&text, "Hallbrook choir") + 15,
            parent: None,
        },
        1,
    );
    r.go(
        C::ResizeCoding {
            coding: coding.clone(),
            start: friends + 2,
            end: friends + 18,
        },
        1,
    );
    r.go(
        C::SetKeyQuote {
            coding: coding.clone(),
            key_quote: true,
        },
        1,
    );
    // A second coder codes part of the same words; the disagreement is settled.
    r.p.set_actor("ben");
    r.p.add_coding(&crate::CodingRequest {
        code: "Friendship",
        document: &doc,
        start: friends + 6,
        end: friends + 18,
        version: None,
    })
    .unwrap();
    r.p.set_actor("ana");
    r.go(
        C::SettleDisagreement {
            document: doc.clone(),
            code: s("Friendship"),
            start: friends,
            end: friends + 18,
            coder_a: s("ana"),
            coder_b: s("ben"),
            settle: Settle::KeepBoth,
        },
        1,
    );
    let spare = r
        .go(
            C::AddCoding(CodingSpec {
                code: s("Spare"),
                document: doc.clone(),
                start: friends,
                end: friends + 3,
                version: None,
            }),
            1,
        )
        .created()
        .unwrap()
        .to_owned();
    r.go(
        C::RecodeCoding {
            coding: spare.clone(),
            code: s("Friendship"),
        },
        1,
    );
    assert!(
        r.p.coding(&spare)
            .unwrap()
            .code_path
            .ends_with("Friendship")
    );
    r.go(C::RemoveCoding { coding: spare }, 1);
    let codings = write(
        d,
        "codings.csv",
        "document,code,quote,coder,key_quote\nP01,Spare,\"Now I sing, um, every week\",ana,\n",
    );
    r.go(
        C::ImportCodingsCsv {
            path: codings.clone(),
            create_codes: false,
        },
        1,
    );
    let codings2 = write(
        d,
        "codings2.csv",
        "document,code,quote,coder,key_quote\nP01,Spare,I didn't want to go,ana,\n",
    );
    r.go(
        C::ImportCsv {
            path: codings2,
            create_codes: false,
        },
        1,
    );
    r.go(
        C::CreateCode {
            name: s("Choir"),
            parent: None,
            color: None,
        },
        1,
    );
    r.go(
        C::MergeCodes {
            source: s("Choir"),
            target: s("Spare"),
        },
        1,
    );
    r.go(C::DeleteCode { code: s("Spare") }, 1);

    // Memos.
    let memo = r
        .go(
            C::AddMemo {
                target: MemoTarget::Project,
                title: s("First thoughts"),
                body: s("Choir matters"),
            },
            1,
        )
        .created()
        .unwrap()
        .to_owned();
    r.go(
        C::EditMemo {
            memo: memo.clone(),
            title: s("Thoughts"),
            body: s("Choir"),
        },
        1,
    );
    r.go(
        C::EditMemoFields {
            memo: memo.clone(),
            title: None,
            body: Some(s("Singing")),
        },
        1,
    );
    r.go(
        C::SetMemoText {
            target: MemoTarget::Coding(coding.clone()),
            title: s(""),
            body: s("Key line"),
        },
        1,
    );
    r.go(
        C::AddJournalEntry {
            date: Some(s("2026-01-02")),
            title: s("Day two"),
            body: s("Coded P01"),
        },
        1,
    );
    r.go(C::DeleteMemo { memo }, 1);

    // Names and pseudonyms.
    r.go(
        C::ReviewName {
            name: s("Priya"),
            verdict: Verdict::NotIdentifying,
            scope: None,
            note: s(""),
        },
        1,
    );
    r.go(
        C::UnreviewName {
            name: s("Priya"),
            scope: None,
        },
        1,
    );
    r.go(
        C::ReviewNames {
            names: vec![s("Priya")],
            verdict: Verdict::NotIdentifying,
            note: s("link worker"),
        },
        1,
    );
    r.go(
        C::SetPseudonym {
            original: s("Priya"),
            replacement: s("the link worker"),
            kind: PseudonymKind::Person,
            confirmed: false,
            scope: None,
        },
        1,
    );
    r.go(
        C::ConfirmPseudonym {
            original: s("Priya"),
        },
        1,
    );
    r.go(
        C::SetPseudonym {
            original: s("Hallbrook"),
            replacement: s("the town"),
            kind: PseudonymKind::Place,
            confirmed: true,
            scope: None,
        },
        1,
    );
    r.go(
        C::RemovePseudonym {
            original: s("Hallbrook"),
            scope: None,
        },
        1,
    );
    let key = d.join("key.csv");
    r.go(
        C::ExportPseudonymKey {
            path: key.clone(),
            detach: false,
            bom: true,
        },
        0,
    );
    r.go(C::ImportPseudonymKey { path: key }, 1);

    // Stories and their blocks.
    let story = r
        .go(
            C::CreateStory {
                participant: s("P01"),
                title: s("Now I have friends"),
            },
            1,
        )
        .created()
        .unwrap()
        .to_owned();
    r.go(
        C::SetStoryTitle {
            story: story.clone(),
            title: s("Friends"),
        },
        1,
    );
    r.go(
        C::SetStoryPseudonym {
            story: story.clone(),
            pseudonym: s("Dottie"),
        },
        1,
    );
    r.go(
        C::SetStoryRoleLine {
            story: story.clone(),
            role_line: s("a choir member"),
        },
        1,
    );
    r.go(
        C::SetStoryFields {
            story: story.clone(),
            title: Some(s("Now I have friends")),
            pseudonym: None,
            role_line: None,
        },
        1,
    );
    r.go(
        C::LinkStoryTheme {
            story: story.clone(),
            theme: s("Together"),
            linked: true,
        },
        1,
    );
    let text = r.p.document(&doc).unwrap().text;
    let sing = at(&text, "Now I sing");
    let end = at(&text, "Now I have friends") + "Now I have friends.".chars().count();
    let excerpt = r
        .go(
            C::AddExcerpt {
                story: story.clone(),
                document: doc.clone(),
                start: sing,
                end,
                position: None,
            },
            1,
        )
        .created()
        .unwrap()
        .to_owned();
    let framing = r
        .go(
            C::AddFraming {
                story: story.clone(),
                text: s("Dot joined a choir."),
                position: Some(0),
            },
            1,
        )
        .created()
        .unwrap()
        .to_owned();
    r.go(
        C::EditFraming {
            story: story.clone(),
            block: framing.clone(),
            text: s("Dot joined the choir."),
        },
        1,
    );
    r.go(
        C::MoveBlock {
            story: story.clone(),
            block: framing.clone(),
            to: 1,
        },
        1,
    );
    r.go(
        C::MoveBlock {
            story: story.clone(),
            block: framing.clone(),
            to: 0,
        },
        1,
    );
    let split_at = at(&text, "Now I have friends");
    let tail = r
        .go(
            C::SplitBlock {
                story: story.clone(),
                block: excerpt.clone(),
                at_char: split_at,
            },
            1,
        )
        .created()
        .unwrap()
        .to_owned();
    r.go(
        C::MergeWithNext {
            story: story.clone(),
            block: excerpt.clone(),
        },
        1,
    );
    let _ = tail;
    r.go(
        C::CutWords {
            story: story.clone(),
            block: excerpt.clone(),
            start: at(&text, "every week"),
            end: at(&text, "every week") + 5,
        },
        1,
    );
    r.go(
        C::DropFiller {
            story: story.clone(),
            block: excerpt.clone(),
            start: at(&text, "the the") + 4,
            end: at(&text, "the the") + 7,
        },
        1,
    );
    r.go(
        C::AddClarification {
            story: story.clone(),
            block: excerpt.clone(),
            at: at(&text, "choir. Now") + 5,
            text: s("the local"),
        },
        1,
    );
    r.go(
        C::RemoveClarification {
            story: story.clone(),
            block: excerpt.clone(),
            at: at(&text, "choir. Now") + 5,
        },
        1,
    );
    let town = at(&text, "Hallbrook choir");
    r.go(
        C::ReplaceWithPseudonym {
            story: story.clone(),
            block: excerpt.clone(),
            start: town,
            end: town + "Hallbrook".len(),
            replacement: s("the town's"),
        },
        1,
    );
    r.go(
        C::DeleteBlock {
            story: story.clone(),
            block: framing,
        },
        1,
    );
    r.go(
        C::SetStoryStatus {
            story: story.clone(),
            status: StoryStatus::Ready,
        },
        1,
    );

    // Consent.
    r.go(
        C::RecordStorySent {
            story: story.clone(),
            how: SendMethod::Email,
            date: Some(s("2026-01-03")),
            revision: None,
        },
        1,
    );
    let feedback = r
        .go(
            C::RecordStoryFeedback {
                story: story.clone(),
                kind: FeedbackKind::Change,
                text: s("Say choir, not church"),
                date: Some(s("2026-01-04")),
            },
            1,
        )
        .created()
        .unwrap()
        .to_owned();
    r.go(
        C::SetStoryFeedbackDone {
            story: story.clone(),
            feedback,
            done: true,
        },
        1,
    );
    r.go(
        C::SetStoryConsent {
            story: story.clone(),
            scopes: vec![ConsentScope::Report],
            date: Some(s("2026-01-04")),
        },
        1,
    );
    r.go(
        C::ApproveStory {
            story: story.clone(),
            how: s("in person"),
            date: Some(s("2026-01-05")),
            revision: None,
            scopes: None,
            key_file: None,
        },
        1,
    );
    let draft = r
        .go(
            C::DraftStory {
                participant: s("P01"),
            },
            1,
        )
        .created()
        .unwrap()
        .to_owned();
    r.go(C::DeleteStory { story: draft }, 1);

    // Pack and check settings.
    let pack = PackSettings {
        title: s("Choir stories"),
        ..PackSettings::default()
    };
    r.go(
        C::SavePackSettings {
            settings: Box::new(pack.clone()),
        },
        1,
    );
    r.go(
        C::UpdatePackSettings {
            base: Box::new(pack.clone()),
            edited: Box::new(PackSettings {
                title: s("Our stories"),
                ..pack
            }),
        },
        1,
    );
    let edited = StoryCheckSettings {
        researcher: s("Ana"),
        ..StoryCheckSettings::default()
    };
    r.go(
        C::SaveStoryCheckSettings {
            settings: Box::new(edited.clone()),
        },
        1,
    );
    let more = StoryCheckSettings {
        contact: s("ana@example.org"),
        ..edited.clone()
    };
    r.go(
        C::UpdateStoryCheckSettings {
            base: Box::new(edited),
            edited: Box::new(more),
        },
        1,
    );

    // Corrections and the review list.
    let old = r.p.document(&doc).unwrap().text;
    r.go(
        C::CorrectDocumentText {
            document: doc.clone(),
            text: old.replace("every week", "each week"),
        },
        1,
    );
    let fixed = write(d, "fixed.txt", &old.replace("each week", "every week"));
    r.go(
        C::CorrectDocument {
            document: doc.clone(),
            file: fixed,
        },
        1,
    );
    let now = r.p.document(&doc).unwrap().text;
    r.go(
        C::CorrectDocumentBytes {
            document: doc.clone(),
            name: s("P01-doreen.txt"),
            bytes: now
                .replace("Now I have friends.", "I have some friends now.")
                .into_bytes(),
        },
        1,
    );
    let item = r.p.review_items(false).unwrap();
    let item = item
        .first()
        .expect("a coding waits for review")
        .uuid
        .clone();
    r.go(
        C::ResolveReview {
            item,
            resolution: Resolution::Remove,
        },
        1,
    );

    // Team: merge a colleague's copy that renamed the same code differently.
    // Ben also deletes a code ana goes on coding with (a deleted-used conflict).
    r.p.create_code("Doubts", None, None).unwrap();
    let copy = d.join("copy.storyloom");
    r.p.backup_to(&copy).unwrap();
    {
        let mut other = Project::open(&copy).unwrap();
        other.set_actor("ben");
        other
            .rename_code("Getting involved", "First steps")
            .unwrap();
        other.set_code_color("Belonging", "#0000bb").unwrap();
        other.delete_code("Doubts").unwrap();
    }
    r.p.set_code_color("Belonging", "#aa0000").unwrap();
    r.p.add_coding(&crate::CodingRequest {
        code: "Doubts",
        document: "P01",
        start: 0,
        end: 10,
        version: None,
    })
    .unwrap();
    r.go(
        C::RenameCode {
            code: s("Getting involved"),
            new_name: s("Joining"),
        },
        1,
    );
    r.go(
        C::MergeCopy {
            other: copy.clone(),
            dry_run: true,
        },
        0,
    );
    r.go(
        C::MergeCopy {
            other: copy,
            dry_run: false,
        },
        1,
    );
    // Three conflicts (a name, a colour, a deleted code in use): the colour
    // and the deletion settled by taking ben's version, the name kept.
    let conflicts = r.p.merge_conflicts(false).unwrap();
    assert_eq!(conflicts.len(), 3, "{conflicts:?}");
    let of = |field: &str| {
        conflicts
            .iter()
            .find(|c| c.field == field)
            .unwrap_or_else(|| panic!("{field}: {conflicts:?}"))
            .uuid
            .clone()
    };
    r.go(
        C::TakeOtherVersion {
            conflict: of("color"),
        },
        1,
    );
    r.go(
        C::TakeOtherVersion {
            conflict: of("deleted"),
        },
        1,
    );
    assert!(r.p.code("Doubts").is_err(), "ben's deletion stands");
    r.go(
        C::SettleMergeConflict {
            conflict: of("name"),
        },
        1,
    );

    // Undo and redo are commands too.
    r.go(C::Undo, 1);
    r.go(C::Redo, 1);

    // Files that are not there: refused before anything is written.
    r.refused(C::ImportRefi {
        path: d.join("missing.qdpx"),
    });
    r.refused(C::ImportWorkshopNotes {
        path: d.join("missing.csv"),
    });

    let missing: Vec<usize> = (0..VARIANTS).filter(|v| !r.seen.contains(v)).collect();
    assert!(missing.is_empty(), "variants not applied: {missing:?}");
}

#[test]
fn large_payloads_are_recorded_by_digest() {
    let c = Command::CorrectDocumentText {
        document: s("P01"),
        text: "word ".repeat(1_000),
    };
    let intent: serde_json::Value = serde_json::from_str(&c.intent()).unwrap();
    assert_eq!(intent["command"], "correct_document_text");
    assert_eq!(intent["text"]["len"], 5_000);
    assert_eq!(intent["text"]["sha256"].as_str().map(str::len), Some(64));
    let small = Command::RenameCode {
        code: s("A"),
        new_name: s("B"),
    };
    assert_eq!(
        serde_json::from_str::<Command>(&small.intent()).unwrap(),
        small
    );
}
