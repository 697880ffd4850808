//! Search through the public API, on a small project built by importing transcripts.

use crate::Project;
use crate::error::Error;
use crate::model::Role;
use crate::search::*;
use crate::text::CharIndex;
use rusqlite::params;
use tempfile::TempDir;

const MARGARET: &str = "Interviewer: How did you start volunteering?
Margaret: Well, at the café’s 🙂 lunch club I volunteered every Tuesday. I never trusted the bank, never.
Interviewer: Were you lonely before that?
Margaret: Loneliness was hard after Jim died. The bus pass changed everything, you know.
";

const HARJIT: &str = "Interviewer: Tell me about the walking group.
Harjit: We walk on Sundays along the canal. I never really trusted anyone at first. Now I volunteer.
Interviewer: Do you bank online?
Harjit: No, I go to the bank in town, it is a trip out.
";

/// A third interview, imported during tests: "bank" in two turns.
const ANN: &str = "Interviewer: And the bank?
Ann: The bank, yes, I still go.
Interviewer: Anything else?
Ann: No, that is all, love.
";

const PARTICIPANTS: &str = "id,name,pseudonym,site,age_band
P01,Margaret Hill,Peggy,Leeds,75-84
P02,Harjit Singh,Jas,Bradford,65-74
";

fn project() -> (TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Project::create(&dir.path().join("study.storyloom")).unwrap();
    let csv = dir.path().join("participants.csv");
    std::fs::write(&csv, PARTICIPANTS).unwrap();
    p.import_participants_csv(&csv).unwrap();
    let codebook = dir.path().join("codebook.csv");
    std::fs::write(
        &codebook,
        "code\nBelonging\nBelonging > Being known by name\nLoneliness\n",
    )
    .unwrap();
    p.import_codebook_csv(&codebook).unwrap();
    p.import_bytes("P01-margaret.txt", MARGARET.as_bytes())
        .unwrap();
    p.import_bytes("P02-harjit.txt", HARJIT.as_bytes()).unwrap();
    (dir, p)
}

#[test]
fn a_project_can_move_between_threads() {
    fn send<T: Send>() {}
    send::<Project>();
}

fn opts() -> SearchOptions {
    SearchOptions::default()
}

fn search(p: &mut Project, q: &str) -> SearchResults {
    p.search(q, &opts()).unwrap_or_else(|e| panic!("{q}: {e}"))
}

/// The matched text of every hit, read back from the document texts.
fn matched(p: &Project, r: &SearchResults) -> Vec<String> {
    let mut out = Vec::new();
    for h in &r.hits {
        let doc = p.document(&h.document).unwrap();
        let ix = CharIndex::new(&doc.text);
        for &(s, e) in &h.matches {
            out.push(ix.slice(s, e).unwrap().to_owned());
        }
    }
    out
}

/// (speaker, turn_seq) of every hit.
fn who(r: &SearchResults) -> Vec<(String, usize)> {
    r.hits
        .iter()
        .map(|h| (h.speaker.clone(), h.turn_seq))
        .collect()
}

fn search_error(p: &mut Project, q: &str) -> SearchError {
    match p.search(q, &opts()) {
        Err(Error::Search(e)) => e,
        other => panic!("{q}: expected a search error, got {other:?}"),
    }
}

/// Codes the first occurrence of `needle` in a document, the way the coding module will (a row in `codings`).
fn code(p: &Project, code_name: &str, doc: &str, needle: &str) {
    let text = p.document(doc).unwrap().text;
    let start = text[..text.find(needle).unwrap()].chars().count();
    let end = start + needle.chars().count();
    let conn = sql(p);
    let code_id: i64 = conn
        .query_row("SELECT id FROM codes WHERE name = ?1", [code_name], |r| {
            r.get(0)
        })
        .unwrap();
    let version_id: i64 = conn
        .query_row(
            "SELECT v.id FROM documents d JOIN document_versions v ON v.document_id = d.id AND v.version = d.current_version WHERE d.name = ?1",
            [doc],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute(
        "INSERT INTO codings(uuid, code_id, version_id, start_char, end_char, coder, created_at, quote) VALUES (?1, ?2, ?3, ?4, ?5, 'test', 'now', ?6)",
        params![crate::store::new_uuid(), code_id, version_id, start as i64, end as i64, needle],
    )
    .unwrap();
    bump(p);
}

/// A second connection to the project file, as another program would open
/// it: for states no API makes (a coding written directly, a turn corrected
/// in place).
fn sql(p: &Project) -> rusqlite::Connection {
    rusqlite::Connection::open(p.path()).unwrap()
}

/// What every change does to the project.
fn bump(p: &Project) {
    sql(p)
        .execute(
            "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'change_counter'",
            [],
        )
        .unwrap();
}

fn action(r: &SearchResults) -> IndexAction {
    r.index_status.clone().unwrap().action
}

#[test]
fn words_match_by_stem() {
    let (_d, mut p) = project();
    let r = search(&mut p, "volunteer");
    assert_eq!(r.total, 3);
    assert_eq!(
        matched(&p, &r)
            .iter()
            .map(String::as_str)
            .collect::<std::collections::BTreeSet<_>>(),
        ["volunteer", "volunteered", "volunteering"].into()
    );
    // And the other way round.
    assert_eq!(search(&mut p, "volunteering").total, 3);
    assert_eq!(search(&mut p, "VOLUNTEERS").total, 3);
    // The speaker label is not part of the turn's text.
    assert_eq!(search(&mut p, "interviewer").total, 0);
}

#[test]
fn exact_phrases_do_not_stem() {
    let (_d, mut p) = project();
    let r = search(&mut p, "\"never trusted\"");
    assert_eq!(who(&r), vec![("Margaret".to_string(), 1)]);
    assert_eq!(matched(&p, &r), vec!["never trusted"]);
    // Case does not matter, stems do.
    assert_eq!(search(&mut p, "\"NEVER Trusted\"").total, 1);
    assert_eq!(search(&mut p, "\"never trust\"").total, 0);
    assert_eq!(search(&mut p, "\"volunteer\"").total, 1);
    // Unquoted, the words are anywhere in the turn, and stemmed.
    assert_eq!(search(&mut p, "never trust").total, 2);
}

#[test]
fn phrase_ranges_cover_the_whole_phrase() {
    let (_d, mut p) = project();
    let r = search(&mut p, "\"the bus pass changed\" bus");
    assert_eq!(r.total, 1);
    assert_eq!(matched(&p, &r), vec!["The bus pass changed"]);
    let h = &r.hits[0];
    assert_eq!(h.matches.len(), 1);
    let (s, e) = h.snippet_matches[0];
    let snip: String = h.snippet.chars().skip(s).take(e - s).collect();
    assert_eq!(snip, "The bus pass changed");
}

#[test]
fn match_ranges_are_char_ranges() {
    let (_d, mut p) = project();
    // "café’s 🙂" comes before the matches: é and ’ are multi-byte, 🙂 is four bytes.
    let r = search(&mut p, "lunch OR tuesday OR \"never trusted\"");
    assert_eq!(r.total, 1);
    assert_eq!(matched(&p, &r), vec!["lunch", "Tuesday", "never trusted"]);
    let h = &r.hits[0];
    let doc = p.document(&h.document).unwrap();
    let chars: Vec<char> = doc.text.chars().collect();
    let (s, e) = h.matches[0];
    assert_eq!(chars[s..e].iter().collect::<String>(), "lunch");
    assert!(h.turn_start <= s && e <= h.turn_end);
    assert_eq!(
        chars[h.turn_start..h.turn_end].iter().collect::<String>(),
        MARGARET
            .lines()
            .nth(1)
            .unwrap()
            .trim_start_matches("Margaret: ")
    );
    // Matches within the snippet are char ranges too.
    let snippet: Vec<char> = h.snippet.chars().collect();
    for &(s, e) in &h.snippet_matches {
        let w: String = snippet[s..e].iter().collect();
        assert!(
            ["lunch", "Tuesday", "never trusted"].contains(&w.as_str()),
            "{w}"
        );
    }
    // Words with apostrophes: café’s is café + s, found by the first part.
    let r = search(&mut p, "café");
    assert_eq!(matched(&p, &r), vec!["café"]);
}

#[test]
fn boolean_operators_and_prefixes() {
    let (_d, mut p) = project();
    let total = |p: &mut Project, q: &str| search(p, q).total;
    assert_eq!(total(&mut p, "lonely OR canal"), 2);
    assert_eq!(total(&mut p, "bank"), 3);
    assert_eq!(total(&mut p, "bank -online"), 2);
    assert_eq!(total(&mut p, "bank NOT online"), 2);
    assert_eq!(total(&mut p, "bank AND NOT online"), 2);
    assert_eq!(total(&mut p, "bank AND online"), 1);
    // All turns but those.
    assert_eq!(total(&mut p, "-bank"), 5);
    let r = search(&mut p, "lone*");
    assert_eq!(r.total, 2);
    assert_eq!(matched(&p, &r), vec!["lonely", "Loneliness"]);
    // A prefix is not stemmed: "volunteered" starts with "volunteere", "volunteering" does not.
    assert_eq!(total(&mut p, "volunteere*"), 1);
    // Parentheses.
    assert_eq!(total(&mut p, "(sundays OR bus) NOT pass"), 1);
    assert_eq!(total(&mut p, "(sundays OR bus) pass"), 1);
    assert_eq!(total(&mut p, "sundays OR bus pass"), 2);
    assert_eq!(total(&mut p, "-(bank OR lonely OR volunteer)"), 2);
    // Negated words are not highlighted.
    let r = search(&mut p, "bank -online");
    assert!(
        matched(&p, &r)
            .iter()
            .all(|m| m.eq_ignore_ascii_case("bank"))
    );
}

#[test]
fn ranking_and_document_order() {
    let (_d, mut p) = project();
    // "never" twice in Margaret's turn, once in Harjit's.
    let r = search(&mut p, "never");
    assert_eq!(r.total, 2);
    assert_eq!(r.hits[0].speaker, "Margaret");
    assert!(r.hits[0].score > r.hits[1].score);
    let r = p
        .search(
            "bank",
            &SearchOptions {
                order: SearchOrder::Document,
                ..opts()
            },
        )
        .unwrap();
    assert_eq!(
        who(&r),
        vec![
            ("Margaret".into(), 1),
            ("Interviewer".into(), 2),
            ("Harjit".into(), 3)
        ]
    );
    assert!(r.hits.iter().all(|h| h.score > 0.0));
    // Limit returns fewer hits, total counts them all.
    let r = p
        .search("bank", &SearchOptions { limit: 1, ..opts() })
        .unwrap();
    assert_eq!((r.hits.len(), r.total), (1, 3));
}

#[test]
fn filters_on_role_speaker_participant_and_document() {
    let (_d, mut p) = project();
    let r = search(&mut p, "role:participant");
    // Filters only: every matching turn, in document order, nothing highlighted.
    assert_eq!(
        who(&r),
        vec![
            ("Margaret".into(), 1),
            ("Margaret".into(), 3),
            ("Harjit".into(), 1),
            ("Harjit".into(), 3)
        ]
    );
    assert!(
        r.hits
            .iter()
            .all(|h| h.matches.is_empty() && !h.snippet.is_empty())
    );
    assert_eq!(r.hits[0].participant.as_deref(), Some("P01"));
    assert_eq!(r.hits[0].role, Role::Participant);
    assert_eq!(search(&mut p, "role:interviewer").total, 4);
    assert_eq!(search(&mut p, "bank role:interviewer").total, 1);
    assert_eq!(search(&mut p, "bank -role:interviewer").total, 2);
    assert_eq!(search(&mut p, "speaker:margaret").total, 2);
    assert_eq!(search(&mut p, "speaker:Harjit bank").total, 1);
    assert_eq!(search(&mut p, "participant:P02").total, 2);
    assert_eq!(search(&mut p, "participant:Peggy").total, 2);
    assert_eq!(search(&mut p, "doc:P01-margaret bank").total, 1);
    assert_eq!(search(&mut p, "doc:\"P02-harjit.txt\"").total, 4);
    assert_eq!(
        search(&mut p, "speaker:Margaret OR speaker:Harjit").total,
        4
    );
    match search_error(&mut p, "speaker:Nobody") {
        SearchError::UnknownValue { field, .. } => assert_eq!(field, "speaker"),
        e => panic!("{e}"),
    }
    match search_error(&mut p, "role:boss") {
        SearchError::UnknownValue { reason, .. } => assert!(reason.contains("interviewer")),
        e => panic!("{e}"),
    }
    assert!(matches!(
        search_error(&mut p, "doc:nothing"),
        SearchError::UnknownValue { .. }
    ));
}

#[test]
fn attribute_filters() {
    let (_d, mut p) = project();
    assert_eq!(
        p.search_fields().unwrap(),
        vec![
            "code",
            "doc",
            "participant",
            "role",
            "speaker",
            "site",
            "age_band"
        ]
    );
    let r = search(&mut p, "site:Leeds");
    assert!(r.hits.iter().all(|h| h.speaker == "Margaret"));
    assert_eq!(r.total, 2);
    assert_eq!(search(&mut p, "site:leeds bus").total, 1);
    assert_eq!(search(&mut p, "age_band:\"65-74\"").total, 2);
    assert_eq!(search(&mut p, "age_band:65-74 bank").total, 1);
    // A value nobody has matches nothing; an unknown field is an error naming the fields.
    assert_eq!(search(&mut p, "site:York").total, 0);
    match search_error(&mut p, "bank colour:red") {
        SearchError::UnknownField {
            field,
            position,
            valid,
        } => {
            assert_eq!((field.as_str(), position), ("colour", 5));
            assert!(valid.contains(&"site".to_string()));
            assert!(valid.contains(&"code".to_string()));
        }
        e => panic!("{e}"),
    }
    let message = search_error(&mut p, "colour:red").to_string();
    assert!(message.contains("age_band"), "{message}");
}

#[test]
fn code_filter_sees_codings_added_after_indexing() {
    let (_d, mut p) = project();
    assert_eq!(search(&mut p, "bus").total, 1);
    assert_eq!(search(&mut p, "code:Loneliness").total, 0);
    code(&p, "Loneliness", "P01-margaret.txt", "Loneliness was hard");
    let r = search(&mut p, "code:loneliness");
    assert_eq!(who(&r), vec![("Margaret".into(), 3)]);
    // Coding changed nothing indexed: the index did no work.
    assert_eq!(action(&r), IndexAction::UpToDate);
    assert_eq!(search(&mut p, "code:Loneliness bus").total, 1);
    assert_eq!(search(&mut p, "code:Loneliness -bus").total, 0);

    // A child code's codings count for its parent; paths name a code.
    code(
        &p,
        "Being known by name",
        "P02-harjit.txt",
        "go to the bank",
    );
    assert_eq!(search(&mut p, "code:Belonging").total, 1);
    assert_eq!(
        search(&mut p, "code:\"Belonging > Being known by name\"").total,
        1
    );
    assert_eq!(search(&mut p, "code:\"being known by name\" bank").total, 1);
    assert_eq!(search(&mut p, "code:Belonging OR code:Loneliness").total, 2);
    // A deleted coding no longer counts.
    sql(&p)
        .execute(
            "UPDATE codings SET deleted = 1 WHERE quote = 'go to the bank'",
            [],
        )
        .unwrap();
    assert_eq!(search(&mut p, "code:Belonging").total, 0);
    match search_error(&mut p, "code:Lonliness") {
        SearchError::UnknownValue { field, value, .. } => {
            assert_eq!((field.as_str(), value.as_str()), ("code", "Lonliness"))
        }
        e => panic!("{e}"),
    }
}

#[test]
fn index_is_stamped_and_reused() {
    let (dir, mut p) = project();
    let r = search(&mut p, "bank");
    let status = r.index_status.unwrap();
    assert_eq!(
        status.action,
        IndexAction::Built {
            reason: BuildReason::Missing
        }
    );
    let index = dir.path().join("study.storyloom-cache").join("search");
    assert_eq!(
        status.location,
        IndexLocation::Disk {
            path: index.clone()
        }
    );
    assert!(index.join("meta.json").is_file());
    assert_eq!((status.documents, status.turns), (2, 8));
    assert_eq!(action(&search(&mut p, "bank")), IndexAction::UpToDate);
    // A new session reads the stamp and trusts an index that matches it.
    let path = p.path().to_owned();
    drop(p);
    let mut p = Project::open(&path).unwrap();
    let r = search(&mut p, "bank");
    assert_eq!(action(&r), IndexAction::UpToDate);
    assert_eq!(r.total, 3);
}

#[test]
fn index_syncs_when_documents_change() {
    let (_d, mut p) = project();
    assert_eq!(search(&mut p, "allotment").total, 0);
    p.import_bytes("P03-ann.txt", ANN.replace("bank", "allotment").as_bytes())
        .unwrap();
    let r = search(&mut p, "allotment");
    assert_eq!(r.total, 2);
    assert_eq!(
        action(&r),
        IndexAction::Synced {
            added: 1,
            removed: 0
        }
    );
    assert_eq!(r.index_status.as_ref().unwrap().documents, 3);
    // A deleted document is not searchable.
    sql(&p)
        .execute(
            "UPDATE documents SET deleted = 1 WHERE name = 'P03-ann.txt'",
            [],
        )
        .unwrap();
    bump(&p);
    let r = search(&mut p, "allotment");
    assert_eq!(r.total, 0);
    assert_eq!(
        action(&r),
        IndexAction::Synced {
            added: 0,
            removed: 1
        }
    );
    // A turn corrected in place (here: given to the other speaker) is re-indexed.
    let conn = sql(&p);
    conn.execute(
        "UPDATE turns SET speaker_id = (SELECT id FROM speakers WHERE label = 'Interviewer' AND document_id = 1)
         WHERE seq = 3 AND version_id = (SELECT id FROM document_versions WHERE document_id = 1)",
        [],
    )
    .unwrap();
    bump(&p);
    let r = search(&mut p, "bus role:interviewer");
    assert_eq!(r.total, 1);
    assert_eq!(
        action(&r),
        IndexAction::Synced {
            added: 1,
            removed: 1
        }
    );
}

#[test]
fn index_is_rebuilt_when_deleted_or_corrupt() {
    let (_d, mut p) = project();
    let before = search(&mut p, "bank");
    let dir = index_dir(p.path());
    let path = p.path().to_owned();
    drop(p);
    std::fs::remove_dir_all(&dir).unwrap();
    let mut p = Project::open(&path).unwrap();
    let r = search(&mut p, "bank");
    assert_eq!(
        action(&r),
        IndexAction::Built {
            reason: BuildReason::Missing
        }
    );
    assert_eq!(who(&r), who(&before));

    // Garbage in every file of the folder.
    drop(p);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let file = entry.unwrap().path();
        std::fs::write(&file, b"\x00garbage\xff not an index").unwrap();
    }
    let mut p = Project::open(&path).unwrap();
    let r = search(&mut p, "bank");
    assert!(
        matches!(
            action(&r),
            IndexAction::Built {
                reason: BuildReason::Corrupt { .. }
            }
        ),
        "{:?}",
        action(&r)
    );
    assert_eq!(who(&r), who(&before));

    // Bytes flipped in the segment files' data (meta.json intact): the checksums catch it.
    drop(p);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let file = entry.unwrap().path();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".json") && !name.starts_with('.') {
            let mut bytes = std::fs::read(&file).unwrap();
            for b in bytes.iter_mut().take(8) {
                *b ^= 0x5a;
            }
            std::fs::write(&file, bytes).unwrap();
        }
    }
    let mut p = Project::open(&path).unwrap();
    let r = search(&mut p, "bank");
    assert!(
        matches!(
            action(&r),
            IndexAction::Built {
                reason: BuildReason::Corrupt { ref detail }
            } if detail.contains("damaged files")
        ),
        "{:?}",
        action(&r)
    );
    assert_eq!(who(&r), who(&before));

    // An index stamped by another schema version is rebuilt.
    drop(p);
    {
        let index = tantivy::Index::open_in_dir(&dir).unwrap();
        let payload = index.load_metas().unwrap().payload.unwrap();
        assert!(payload.contains("\"schema\":1"), "{payload}");
        let mut writer: tantivy::IndexWriter = index.writer(20_000_000).unwrap();
        let mut commit = writer.prepare_commit().unwrap();
        commit.set_payload(&payload.replace("\"schema\":1", "\"schema\":0"));
        commit.commit().unwrap();
    }
    let mut p = Project::open(&path).unwrap();
    let r = search(&mut p, "bank");
    assert_eq!(
        action(&r),
        IndexAction::Built {
            reason: BuildReason::SchemaChanged
        }
    );
    assert_eq!(who(&r), who(&before));

    // An index stamped for another project is not trusted.
    drop(p);
    let other = tempfile::tempdir().unwrap();
    let other_path = other.path().join("study.storyloom");
    let mut q = Project::create(&other_path).unwrap();
    q.import_bytes("x.txt", b"Interviewer: hello?\nZed: bank bank\n")
        .unwrap();
    search(&mut q, "bank");
    drop(q);
    std::fs::remove_dir_all(&dir).unwrap();
    copy_dir(&index_dir(&other_path), &dir);
    let mut p = Project::open(&path).unwrap();
    let r = search(&mut p, "bank");
    assert_eq!(
        action(&r),
        IndexAction::Built {
            reason: BuildReason::OtherProject
        }
    );
    assert_eq!(who(&r), who(&before));
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn reindex_rebuilds_from_scratch() {
    let (_d, mut p) = project();
    search(&mut p, "bank");
    let status = p.reindex().unwrap();
    assert_eq!(
        status.action,
        IndexAction::Built {
            reason: BuildReason::Requested
        }
    );
    assert_eq!((status.documents, status.turns), (2, 8));
    assert_eq!(action(&search(&mut p, "bank")), IndexAction::UpToDate);
    assert_eq!(search(&mut p, "bank").total, 3);
}

#[test]
fn falls_back_to_memory_when_the_cache_folder_cannot_be_made() {
    let (dir, mut p) = project();
    // A file where the cache folder should be: creating the folder fails (even for root).
    std::fs::write(dir.path().join("study.storyloom-cache"), b"in the way").unwrap();
    let r = search(&mut p, "bank");
    assert_eq!(r.total, 3);
    let status = r.index_status.unwrap();
    assert!(
        matches!(&status.location, IndexLocation::Memory { reason } if reason.contains("cannot create")),
        "{:?}",
        status.location
    );
    assert_eq!(
        status.action,
        IndexAction::Built {
            reason: BuildReason::InMemory
        }
    );
    // It still syncs.
    p.import_bytes("P03-ann.txt", ANN.as_bytes()).unwrap();
    let r = search(&mut p, "bank");
    assert_eq!(r.total, 5);
    assert_eq!(
        action(&r),
        IndexAction::Synced {
            added: 1,
            removed: 0
        }
    );
    assert!(matches!(
        p.reindex().unwrap().location,
        IndexLocation::Memory { .. }
    ));
}

#[test]
fn two_windows_share_the_index() {
    let (_d, mut p) = project();
    search(&mut p, "bank");
    let mut second = Project::open(p.path()).unwrap();
    assert_eq!(action(&search(&mut second, "bank")), IndexAction::UpToDate);
    // Whichever window syncs first writes; the other finds the work done in the last commit.
    p.import_bytes("P03-ann.txt", ANN.as_bytes()).unwrap();
    assert_eq!(search(&mut p, "bank").total, 5);
    let r = search(&mut second, "bank");
    assert_eq!(r.total, 5);
    assert_eq!(action(&r), IndexAction::UpToDate);
}

#[test]
fn works_in_memory_while_another_writer_holds_the_index() {
    let (_d, mut p) = project();
    search(&mut p, "bank");
    let index = tantivy::Index::open_in_dir(index_dir(p.path())).unwrap();
    let writer: tantivy::IndexWriter = index.writer(20_000_000).unwrap();
    p.import_bytes("P03-ann.txt", ANN.as_bytes()).unwrap();
    let r = search(&mut p, "bank");
    assert_eq!(r.total, 5);
    let status = r.index_status.unwrap();
    assert!(
        matches!(&status.location, IndexLocation::Memory { reason } if reason.contains("in use")),
        "{:?}",
        status.location
    );
    drop(writer);
}

#[test]
fn malformed_queries_are_errors() {
    let (_d, mut p) = project();
    assert_eq!(
        search_error(&mut p, "\"never trusted"),
        SearchError::UnclosedQuote { position: 0 }
    );
    assert_eq!(
        search_error(&mut p, "(bank OR bus"),
        SearchError::UnclosedParen { position: 0 }
    );
    assert_eq!(
        search_error(&mut p, "bank OR"),
        SearchError::DanglingOperator {
            operator: "OR".into(),
            position: 5
        }
    );
    assert_eq!(
        search_error(&mut p, "NOT"),
        SearchError::MissingOperand {
            operator: "NOT".into(),
            position: 0
        }
    );
    assert_eq!(search_error(&mut p, ""), SearchError::Empty);
    // Nothing was opened for a malformed query.
    assert!(!index_dir(p.path()).exists());
    let e = p.search("bank)", &opts()).unwrap_err().to_string();
    assert!(e.contains("column 5"), "{e}");
}

#[test]
fn regex_mode() {
    let (_d, mut p) = project();
    let regex = |_: &str, filter: Option<&str>| SearchOptions {
        regex: true,
        filter: filter.map(str::to_owned),
        order: SearchOrder::Document,
        ..opts()
    };
    let r = p.search(r"volunteer\w*", &regex("", None)).unwrap();
    assert_eq!(r.total, 3);
    assert!(r.index_status.is_none());
    assert_eq!(
        matched(&p, &r),
        vec!["volunteering", "volunteered", "volunteer"]
    );
    // Case-insensitive, char ranges after non-ASCII text, phrases across punctuation.
    let r = p
        .search(r"never trusted the bank", &regex("", None))
        .unwrap();
    assert_eq!(matched(&p, &r), vec!["never trusted the bank"]);
    let r = p.search("CAFÉ’S 🙂 LUNCH", &regex("", None)).unwrap();
    assert_eq!(matched(&p, &r), vec!["café’s 🙂 lunch"]);
    let r = p.search("(?-i)CAFÉ", &regex("", None)).unwrap();
    assert_eq!(r.total, 0);
    // Filters come through the options.
    let r = p
        .search("bank", &regex("", Some("role:participant")))
        .unwrap();
    assert_eq!(r.total, 2);
    let r = p
        .search("bank", &regex("", Some("-role:participant OR site:Leeds")))
        .unwrap();
    assert_eq!(
        who(&r),
        vec![("Margaret".into(), 1), ("Interviewer".into(), 2)]
    );
    // Score order: most matches first.
    let r = p
        .search(
            "bank|never",
            &SearchOptions {
                regex: true,
                ..opts()
            },
        )
        .unwrap();
    assert_eq!(r.hits[0].speaker, "Margaret");
    assert_eq!(r.hits[0].score, 3.0);
    // Errors.
    match p.search("(unclosed", &regex("", None)) {
        Err(Error::Search(SearchError::BadRegex(m))) => assert!(m.contains("unclosed"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        p.search(r"\w{1000}{1000}", &regex("", None)),
        Err(Error::Search(SearchError::BadRegex(_)))
    ));
    assert!(matches!(
        p.search("bank", &regex("", Some("role:participant lonely"))),
        Err(Error::Search(SearchError::TermInFilter { .. }))
    ));
    // Patterns that match only empty strings find nothing.
    assert_eq!(p.search("q{0}", &regex("", None)).unwrap().total, 0);
}

#[test]
fn filter_option_applies_to_word_searches() {
    let (_d, mut p) = project();
    let r = p
        .search(
            "bank",
            &SearchOptions {
                filter: Some("role:interviewer".into()),
                ..opts()
            },
        )
        .unwrap();
    assert_eq!(who(&r), vec![("Interviewer".into(), 2)]);
}

#[test]
fn snippets_mark_where_they_cut() {
    let (_d, mut p) = project();
    let long = format!(
        "Interviewer: Go on.\nEdna: {} the allotment was everything {}\nInterviewer: Thank you.\nEdna: You're welcome.\n",
        "and then we went on and on ".repeat(20),
        "and so it went on and on ".repeat(20)
    );
    p.import_bytes("P04-edna.txt", long.as_bytes()).unwrap();
    let r = search(&mut p, "allotment");
    assert_eq!(who(&r), vec![("Edna".into(), 1)]);
    let h = &r.hits[0];
    assert!(
        h.snippet.starts_with('…') && h.snippet.ends_with('…'),
        "{}",
        h.snippet
    );
    assert!(h.snippet.chars().count() <= SNIPPET_CHARS + 2);
    let (s, e) = h.snippet_matches[0];
    assert_eq!(
        h.snippet.chars().skip(s).take(e - s).collect::<String>(),
        "allotment"
    );
    // Whole words at both ends.
    let inner = h.snippet.trim_matches('…');
    let words = [
        "and",
        "then",
        "we",
        "went",
        "on",
        "the",
        "allotment",
        "was",
        "everything",
        "so",
        "it",
    ];
    for w in inner.split_whitespace() {
        assert!(words.contains(&w), "{w} in {}", h.snippet);
    }
}

/// `cargo test --release -p storyloom-project --lib search_tests::indexing_speed -- --ignored --nocapture`
#[test]
#[ignore]
fn indexing_speed() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Project::create(&dir.path().join("big.storyloom")).unwrap();
    let words = [
        "well",
        "I",
        "never",
        "trusted",
        "the",
        "bank",
        "after",
        "that",
        "and",
        "my",
        "daughter",
        "said",
        "volunteering",
        "at",
        "the",
        "lunch",
        "club",
        "would",
        "help",
        "lonely",
    ];
    // 1,000 transcripts of 100 turns of 100 words: 10 million words.
    let started = std::time::Instant::now();
    let mut seed = 7u64;
    for d in 0..1000 {
        let mut text = String::new();
        for t in 0..100 {
            text.push_str(if t % 2 == 0 { "Interviewer: " } else { "Ann: " });
            for _ in 0..100 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(words[(seed >> 33) as usize % words.len()]);
                text.push(' ');
            }
            text.push('\n');
        }
        p.import_bytes(&format!("doc{d}.txt"), text.as_bytes())
            .unwrap();
    }
    eprintln!("import: {:?}", started.elapsed());
    let started = std::time::Instant::now();
    let status = p.reindex().unwrap();
    eprintln!("index: {:?} {status:?}", started.elapsed());
    let started = std::time::Instant::now();
    let r = search(&mut p, "\"never trusted\" lonely");
    eprintln!("phrase query: {:?}, {} hits", started.elapsed(), r.total);
    let started = std::time::Instant::now();
    let r = search(&mut p, "volunteer role:participant");
    eprintln!("word + filter: {:?}, {} hits", started.elapsed(), r.total);
    bump(&p);
    let started = std::time::Instant::now();
    let r = search(&mut p, "volunteer role:participant");
    eprintln!(
        "same after a change that touches no text: {:?}, {:?}",
        started.elapsed(),
        action(&r)
    );
    let started = std::time::Instant::now();
    let r = p
        .search(
            "never trusted",
            &SearchOptions {
                regex: true,
                ..opts()
            },
        )
        .unwrap();
    eprintln!("regex: {:?}, {} hits", started.elapsed(), r.total);
}
