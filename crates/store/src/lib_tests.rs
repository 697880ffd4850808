use super::*;

#[test]
fn creates_and_reopens_a_project() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.storyloom");
    let s = Store::create(&p).unwrap();
    assert_eq!(s.schema_version().unwrap(), schema::CURRENT_VERSION);
    assert_eq!(s.change_counter().unwrap(), 0);
    drop(s);
    let s = Store::open(&p).unwrap();
    assert_eq!(s.schema_version().unwrap(), schema::CURRENT_VERSION);
    assert!(matches!(Store::create(&p), Err(Error::AlreadyExists(_))));
}

#[test]
fn refuses_foreign_files_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let txt = dir.path().join("notes.storyloom");
    std::fs::write(&txt, "hello, this is not a database").unwrap();
    assert!(matches!(Store::open(&txt), Err(Error::NotAProject { .. })));
    assert_eq!(
        std::fs::read(&txt).unwrap(),
        b"hello, this is not a database"
    );

    let other = dir.path().join("other.db");
    let c = Connection::open(&other).unwrap();
    c.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(c);
    let before = std::fs::read(&other).unwrap();
    let err = Store::open(&other).err().unwrap();
    assert!(err.to_string().contains("another program"), "{err}");
    assert_eq!(std::fs::read(&other).unwrap(), before);
}

/// A project written by the first release (schema v1) opens, upgrades
/// in place, keeps its data and its history, and can then be undone.
#[test]
fn upgrades_a_version_1_project() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("v1.storyloom");
    let c = Connection::open(&p).unwrap();
    c.pragma_update(None, "application_id", schema::APPLICATION_ID)
        .unwrap();
    c.execute_batch(schema::MIGRATIONS[0]).unwrap();
    c.pragma_update(None, "user_version", 1).unwrap();
    c.execute_batch(
        "INSERT INTO meta(key, value) VALUES ('project_uuid', 'x'), ('created_at', '2026-01-01'), ('change_counter', '1');
         INSERT INTO codes(uuid, name, created_at) VALUES ('c1', 'Loneliness', '2026-01-01');
         INSERT INTO history(at, actor, command, summary, forward, inverse)
           VALUES ('2026-01-01', 'ana', 'import_codebook', '1 codes from codebook.csv', '{}', '{}');",
    )
    .unwrap();
    drop(c);
    let mut s = Store::open(&p).unwrap();
    assert_eq!(s.schema_version().unwrap(), schema::CURRENT_VERSION);
    assert_eq!(s.codes().unwrap()[0].name(), "Loneliness");
    let h = s.history().unwrap();
    assert_eq!((h.len(), h[0].kind.as_str()), (1, "action"));
    // The old entry has no recorded rows: undo explains instead of guessing.
    let err = s.undo("ana").unwrap_err();
    assert!(matches!(err, Error::Refused(_)), "{err:?}");
    assert!(err.to_string().contains("before undo existed"), "{err}");
    // New changes are undoable.
    s.change(
        |_| ChangeRecord {
            actor: "ana".into(),
            command: "rename_code",
            summary: "renamed".into(),
            forward: serde_json::json!({}),
        },
        |tx| {
            tx.execute("UPDATE codes SET name = 'Isolation'", [])?;
            Ok::<_, Error>(())
        },
    )
    .unwrap();
    assert_eq!(s.undo("ana").unwrap().unwrap().command, "rename_code");
    assert_eq!(s.codes().unwrap()[0].name(), "Loneliness");
    drop(s);
    // Opening again does not migrate twice.
    assert!(Store::open(&p).is_ok());
}

/// A project written by version 2 (before consent was recorded) opens,
/// upgrades, keeps a story's sent date as a sending whose revision and
/// method are unknown, and then records consent like a new one.
#[test]
fn upgrades_a_version_2_project_with_a_sent_story() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("v2.storyloom");
    let c = Connection::open(&p).unwrap();
    c.pragma_update(None, "application_id", schema::APPLICATION_ID)
        .unwrap();
    c.execute_batch(schema::MIGRATIONS[0]).unwrap();
    c.execute_batch(schema::MIGRATIONS[1]).unwrap();
    c.pragma_update(None, "user_version", 2).unwrap();
    c.execute_batch(
        "INSERT INTO meta(key, value) VALUES ('project_uuid', 'x'), ('created_at', '2026-01-01'), ('change_counter', '1');
         INSERT INTO participants(uuid, ident, name, created_at) VALUES ('p1', 'P09', 'Ann Example', '2026-01-01');
         INSERT INTO stories(uuid, participant_id, title, status, revision, sent_on, created_at, updated_at)
           VALUES ('s1', 1, 'The bus', 'sent', 3, '2026-02-01', '2026-01-01', '2026-02-01');
         INSERT INTO stories(uuid, participant_id, title, status, revision, created_at, updated_at)
           VALUES ('s2', 1, 'Unsent', 'draft', 1, '2026-01-01', '2026-01-01');",
    )
    .unwrap();
    drop(c);
    let mut s = Store::open(&p).unwrap();
    assert_eq!(s.schema_version().unwrap(), schema::CURRENT_VERSION);
    let r = s.consent_record(StoryId(1)).unwrap();
    assert_eq!(r.sendings.len(), 1);
    assert_eq!(r.sendings[0].date, "2026-02-01");
    assert_eq!((r.sendings[0].revision, r.sendings[0].how), (None, None));
    assert_eq!(r.sendings[0].uuid.len(), 36);
    assert!(r.scopes.is_none());
    assert!(s.consent_record(StoryId(2)).unwrap().sendings.is_empty());
    assert_eq!(s.participant_known_as(ParticipantId(1)).unwrap(), None);
    s.change(
        |_| ChangeRecord {
            actor: "ana".into(),
            command: "story_sent",
            summary: "sent".into(),
            forward: serde_json::json!({}),
        },
        |tx| {
            Store::insert_sending(
                tx,
                StoryId(1),
                3,
                "2026-03-01",
                storyloom_text::consent::SendMethod::ReadAloud,
                "ana",
            )?;
            Store::set_consent_scopes(
                tx,
                StoryId(1),
                Some(&[storyloom_text::consent::ConsentScope::Workshop]),
                Some("2026-03-02"),
            )?;
            Store::set_participant_known_as(tx, ParticipantId(1), Some("Annie"))
        },
    )
    .unwrap();
    let r = s.consent_record(StoryId(1)).unwrap();
    assert_eq!(r.sending_of(3).map(|x| x.date.as_str()), Some("2026-03-01"));
    assert_eq!(r.scopes.as_deref().map(<[_]>::len), Some(1));
    assert_eq!(
        s.participant_known_as(ParticipantId(1)).unwrap().as_deref(),
        Some("Annie")
    );
    // One undoable change.
    s.undo("ana").unwrap();
    let r = s.consent_record(StoryId(1)).unwrap();
    assert_eq!((r.sendings.len(), r.scopes.is_none()), (1, true));
}

#[test]
fn refuses_a_newer_project() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("new.storyloom");
    drop(Store::create(&p).unwrap());
    let c = Connection::open(&p).unwrap();
    c.pragma_update(None, "user_version", schema::CURRENT_VERSION + 1)
        .unwrap();
    drop(c);
    let before = std::fs::read(&p).unwrap();
    let err = Store::open(&p).err().unwrap();
    assert!(matches!(err, Error::NewerVersion { .. }), "{err}");
    assert!(err.to_string().contains("newer Storyloom"));
    assert_eq!(std::fs::read(&p).unwrap(), before);
}
