//! The project schema, as forward migrations. Migration `n` takes a project
//! from `user_version = n` to `n + 1`; each is tested on a file made by the
//! previous version.
//!
//! Version 1 covers the whole design (DESIGN.md §2–7), so later features add
//! behaviour, not tables. Offsets are chars into `document_versions.text`.

/// `PRAGMA application_id` of every Storyloom project ("STLM").
pub const APPLICATION_ID: i64 = 0x5354_4C4D;

/// The migrations, in order. The schema version is their count.
pub const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, NAME_REVIEWS, TEAM, CODABLE, INTENT, SHARED];

/// The schema version this build writes.
pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;

const V1: &str = r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- One row per imported file; its bytes are kept so that nothing is lost.
CREATE TABLE documents (
    id               INTEGER PRIMARY KEY,
    uuid             TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    format           TEXT NOT NULL,
    source_path      TEXT,
    imported_at      TEXT NOT NULL,
    import_notes     TEXT NOT NULL DEFAULT '[]',   -- JSON list of what the importer reported
    current_version  INTEGER NOT NULL DEFAULT 1,
    deleted          INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE document_files (
    document_id  INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    sha256       TEXT NOT NULL UNIQUE,
    size         INTEGER NOT NULL,
    bytes        BLOB NOT NULL
) STRICT;

-- Every correction makes a new version; codings point at a version.
CREATE TABLE document_versions (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    text         TEXT NOT NULL,
    chars        INTEGER NOT NULL,
    words        INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    UNIQUE (document_id, version)
) STRICT;

CREATE TABLE participants (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    ident       TEXT NOT NULL UNIQUE COLLATE NOCASE,  -- the study's id, e.g. P01
    name        TEXT,
    pseudonym   TEXT,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE attributes (
    id       INTEGER PRIMARY KEY,
    uuid     TEXT NOT NULL UNIQUE,
    name     TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind     TEXT NOT NULL CHECK (kind IN ('text','number','date','choice')),
    choices  TEXT NOT NULL DEFAULT '[]',
    sort     INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE attribute_values (
    participant_id  INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    attribute_id    INTEGER NOT NULL REFERENCES attributes(id) ON DELETE CASCADE,
    value           TEXT NOT NULL,
    PRIMARY KEY (participant_id, attribute_id)
) STRICT;

CREATE TABLE speakers (
    id              INTEGER PRIMARY KEY,
    uuid            TEXT NOT NULL UNIQUE,
    document_id     INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    label           TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('interviewer','participant','other')),
    role_confirmed  INTEGER NOT NULL DEFAULT 0,
    participant_id  INTEGER REFERENCES participants(id) ON DELETE SET NULL,
    UNIQUE (document_id, label)
) STRICT;

CREATE TABLE turns (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    version_id   INTEGER NOT NULL REFERENCES document_versions(id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    speaker_id   INTEGER NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
    label_start  INTEGER,
    start_char   INTEGER NOT NULL,
    end_char     INTEGER NOT NULL,
    start_ms     INTEGER,
    end_ms       INTEGER,
    CHECK (start_char <= end_char),
    UNIQUE (version_id, seq)
) STRICT;

CREATE TABLE marks (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    version_id  INTEGER NOT NULL REFERENCES document_versions(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    start_char  INTEGER NOT NULL,
    end_char    INTEGER NOT NULL,
    value       TEXT
) STRICT;
CREATE INDEX marks_by_version ON marks(version_id, start_char);

CREATE TABLE codes (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    parent_id    INTEGER REFERENCES codes(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    color        TEXT NOT NULL DEFAULT '#888888',
    definition   TEXT NOT NULL DEFAULT '',
    when_to_use  TEXT NOT NULL DEFAULT '',
    when_not     TEXT NOT NULL DEFAULT '',
    sort         INTEGER NOT NULL DEFAULT 0,
    deleted      INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX codes_unique_name ON codes(ifnull(parent_id, 0), name COLLATE NOCASE) WHERE deleted = 0;

CREATE TABLE themes (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    definition  TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'candidate' CHECK (status IN ('candidate','reviewed','defined')),
    sort        INTEGER NOT NULL DEFAULT 0,
    deleted     INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE theme_codes (
    theme_id  INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
    code_id   INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    PRIMARY KEY (theme_id, code_id)
) STRICT;

-- A coding keeps its quote and context so that it can be re-anchored and verified after a correction.
CREATE TABLE codings (
    id              INTEGER PRIMARY KEY,
    uuid            TEXT NOT NULL UNIQUE,
    code_id         INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    version_id      INTEGER NOT NULL REFERENCES document_versions(id) ON DELETE CASCADE,
    start_char      INTEGER NOT NULL,
    end_char        INTEGER NOT NULL,
    coder           TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    key_quote       INTEGER NOT NULL DEFAULT 0,
    quote           TEXT NOT NULL,
    context_before  TEXT NOT NULL DEFAULT '',
    context_after   TEXT NOT NULL DEFAULT '',
    deleted         INTEGER NOT NULL DEFAULT 0,
    CHECK (start_char < end_char)
) STRICT;
CREATE INDEX codings_by_code ON codings(code_id) WHERE deleted = 0;
CREATE INDEX codings_by_version ON codings(version_id, start_char) WHERE deleted = 0;
CREATE UNIQUE INDEX codings_no_duplicates ON codings(code_id, version_id, start_char, end_char, coder) WHERE deleted = 0;

-- Memos attach to one target (kind + uuid); a journal entry has a date.
CREATE TABLE memos (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT NOT NULL UNIQUE,
    target_kind   TEXT NOT NULL CHECK (target_kind IN ('project','document','participant','code','theme','coding','story','journal')),
    target_uuid   TEXT,
    title         TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL DEFAULT '',
    author        TEXT NOT NULL,
    journal_date  TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    deleted       INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX memos_by_target ON memos(target_kind, target_uuid);

CREATE TABLE stories (
    id                INTEGER PRIMARY KEY,
    uuid              TEXT NOT NULL UNIQUE,
    participant_id    INTEGER REFERENCES participants(id) ON DELETE SET NULL,
    title             TEXT NOT NULL DEFAULT '',
    pseudonym         TEXT NOT NULL DEFAULT '',
    role_line         TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','ready','sent','changes','approved','withdrawn')),
    revision          INTEGER NOT NULL DEFAULT 1,
    approved_revision INTEGER,
    approved_on       TEXT,
    approved_how      TEXT,
    sent_on           TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    deleted           INTEGER NOT NULL DEFAULT 0
) STRICT;

-- A block is an excerpt (source spans plus visible edits, as JSON) or framing text.
CREATE TABLE story_blocks (
    id        INTEGER PRIMARY KEY,
    uuid      TEXT NOT NULL UNIQUE,
    story_id  INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('excerpt','framing')),
    content   TEXT NOT NULL
) STRICT;
CREATE INDEX story_blocks_by_story ON story_blocks(story_id, seq);

CREATE TABLE story_spans (
    id          INTEGER PRIMARY KEY,
    block_id    INTEGER NOT NULL REFERENCES story_blocks(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    version_id  INTEGER NOT NULL REFERENCES document_versions(id),
    start_char  INTEGER NOT NULL,
    end_char    INTEGER NOT NULL,
    quote       TEXT NOT NULL,
    CHECK (start_char < end_char)
) STRICT;

CREATE TABLE story_revisions (
    story_id    INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    revision    INTEGER NOT NULL,
    snapshot    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    author      TEXT NOT NULL,
    PRIMARY KEY (story_id, revision)
) STRICT;

CREATE TABLE story_themes (
    story_id  INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    theme_id  INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
    PRIMARY KEY (story_id, theme_id)
) STRICT;

-- The pseudonym map (may also live in a separate key file).
CREATE TABLE pseudonyms (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    original     TEXT NOT NULL,
    replacement  TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('person','place','organisation','date','other')),
    confirmed    INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    UNIQUE (original)
) STRICT;

-- Anchors that a correction could not place with certainty.
CREATE TABLE review_items (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    item_kind    TEXT NOT NULL,
    item_uuid    TEXT NOT NULL,
    reason       TEXT NOT NULL,
    proposal     TEXT,
    resolved     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL
) STRICT;

CREATE TABLE pack_settings (
    id        INTEGER PRIMARY KEY,
    uuid      TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL,
    settings  TEXT NOT NULL
) STRICT;

CREATE TABLE workshop_notes (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    story_id    INTEGER REFERENCES stories(id) ON DELETE SET NULL,
    theme_id    INTEGER REFERENCES themes(id) ON DELETE SET NULL,
    workshop    TEXT NOT NULL,
    fields      TEXT NOT NULL,
    imported_at TEXT NOT NULL
) STRICT;

-- Append-only record of every change: who, when, what, and how to undo it.
CREATE TABLE history (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    command   TEXT NOT NULL,
    summary   TEXT NOT NULL,
    forward   TEXT NOT NULL,
    inverse   TEXT NOT NULL,
    undone    INTEGER NOT NULL DEFAULT 0
) STRICT;
"#;

/// Version 2: undo and redo. A history entry keeps the rows its action
/// changed (JSON, see `store::capture`); undo and redo are entries of their own
/// that point at the action they reversed or repeated.
const V2: &str = r#"
ALTER TABLE history ADD COLUMN kind TEXT NOT NULL DEFAULT 'action' CHECK (kind IN ('action','undo','redo'));
ALTER TABLE history ADD COLUMN changes TEXT;
ALTER TABLE history ADD COLUMN target INTEGER;
CREATE INDEX history_actions ON history(kind, undone, seq);
CREATE INDEX codings_by_coder ON codings(coder) WHERE deleted = 0;
CREATE INDEX turns_by_speaker ON turns(speaker_id);
CREATE INDEX turns_by_start ON turns(version_id, start_char);
CREATE INDEX speakers_by_document ON speakers(document_id);
CREATE INDEX review_open ON review_items(document_id) WHERE resolved = 0;
"#;

/// Version 3: the storyteller's consent on record (issue 14). Every sending
/// names the revision sent and how; the storyteller's comments and requested
/// changes; what they agreed the story may be used for; the name a
/// participant goes by (for the covering note of the story they check).
/// Sends recorded before this version keep their date; their revision and
/// method are unknown (NULL), so an approval resting on them must be sent
/// again or recorded anew.
const V3: &str = r#"
CREATE TABLE story_sendings (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    story_id     INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    revision     INTEGER,
    sent_on      TEXT NOT NULL,
    how          TEXT CHECK (how IN ('post','email','in-person','read-aloud')),
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL
) STRICT;
CREATE INDEX story_sendings_by_story ON story_sendings(story_id, id);

CREATE TABLE story_feedback (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    story_id     INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('comment','change')),
    revision     INTEGER,
    given_on     TEXT NOT NULL,
    text         TEXT NOT NULL,
    done         INTEGER NOT NULL DEFAULT 0,
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL
) STRICT;
CREATE INDEX story_feedback_by_story ON story_feedback(story_id, id);

ALTER TABLE stories ADD COLUMN consent_scopes TEXT;
ALTER TABLE stories ADD COLUMN consent_on TEXT;
ALTER TABLE participants ADD COLUMN known_as TEXT;

INSERT INTO story_sendings(uuid, story_id, revision, sent_on, how, recorded_at, recorded_by)
    SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
                 substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
           id, NULL, sent_on, NULL, updated_at, 'before version 3'
    FROM stories WHERE sent_on IS NOT NULL AND sent_on <> '';
"#;

/// Version 4: speaker turns you can trust (issue 12). Text no speaker said
/// (introductions, headings, observer notes) is kept as turns of one
/// non-speech pseudo-speaker per document; a merged turn keeps the times of
/// its cues (JSON `[{at, start_ms, end_ms}]`); each document keeps how sure the
/// import was of its speakers (JSON `{score, reason, guessed}`) and who
/// confirmed its speakers, and when. Documents from before are unconfirmed.
const V4: &str = r#"
ALTER TABLE speakers ADD COLUMN non_speech INTEGER NOT NULL DEFAULT 0;
ALTER TABLE turns ADD COLUMN cues TEXT;
ALTER TABLE documents ADD COLUMN detection TEXT;
ALTER TABLE documents ADD COLUMN speakers_confirmed_at TEXT;
ALTER TABLE documents ADD COLUMN speakers_confirmed_by TEXT;
"#;

/// Version 5: names found in the text and how the researcher settled them (issue 11):
/// a name is replaced (a pseudonym entry), or recorded here as not
/// identifying or kept with the person's consent, with who and when. Map
/// entries and reviews can be scoped to one participant's documents (their
/// study id; '' is project-wide), so two people called Lily can get two
/// replacements: `pseudonyms` is rebuilt with `scope` in its unique key.
const NAME_REVIEWS: &str = r#"
CREATE TABLE pseudonyms_scoped (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    original     TEXT NOT NULL,
    replacement  TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('person','place','organisation','date','other')),
    confirmed    INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    scope        TEXT NOT NULL DEFAULT '',
    UNIQUE (original, scope)
) STRICT;
INSERT INTO pseudonyms_scoped(id, uuid, original, replacement, kind, confirmed, created_at)
    SELECT id, uuid, original, replacement, kind, confirmed, created_at FROM pseudonyms;
DROP TABLE pseudonyms;
ALTER TABLE pseudonyms_scoped RENAME TO pseudonyms;

CREATE TABLE name_reviews (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    key          TEXT NOT NULL,
    name         TEXT NOT NULL,
    verdict      TEXT NOT NULL CHECK (verdict IN ('not-identifying','kept-with-consent')),
    scope        TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    reviewed_by  TEXT NOT NULL,
    reviewed_at  TEXT NOT NULL,
    UNIQUE (key, scope)
) STRICT;
"#;

/// Version 6: team work (issue 16). Each history entry names the computer it
/// was made on (`machine`; NULL for entries made before). Merging a
/// colleague's copy lists what both sides changed differently in
/// `merge_conflicts`: both versions (JSON) and who made each (actor, machine,
/// time). A conflict's uuid is derived from what conflicts, so merging the
/// same copy again finds it instead of listing it twice.
const TEAM: &str = r#"
ALTER TABLE history ADD COLUMN machine TEXT;
CREATE INDEX history_by_actor ON history(actor);
CREATE TABLE merge_conflicts (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,
    entity       TEXT NOT NULL,
    entity_uuid  TEXT NOT NULL,
    field        TEXT NOT NULL DEFAULT '',
    label        TEXT NOT NULL,
    kept         TEXT,
    kept_by      TEXT NOT NULL,
    other        TEXT,
    other_by     TEXT NOT NULL,
    resolved     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX merge_conflicts_open ON merge_conflicts(resolved);
"#;

/// Migration 7: a code may be a category only (REFI-QDA `isCodable="false"`,
/// NVivo and ATLAS.ti folders): it groups codes and takes no coding itself.
const CODABLE: &str = r#"
ALTER TABLE codes ADD COLUMN codable INTEGER NOT NULL DEFAULT 1;
"#;

/// Migration 8: the history records the command each entry carried out
/// (`intent`, the serialised `Command`), beside the rows it changed. The
/// hand-written `inverse` JSON goes: undo never read it (it replays the
/// captured rows), and it was not always an inverse.
const INTENT: &str = r#"
ALTER TABLE history ADD COLUMN intent TEXT;
ALTER TABLE history DROP COLUMN inverse;
"#;

/// Migration 9: a shared project (issue 16, PostgreSQL). Every history
/// entry gets a uuid (the action's name on the server) and `shared_seq`:
/// NULL while the entry is local and not pushed, else the server's log
/// sequence number (0: made before the project was shared or opened).
/// A replica knows its server (`sync_server`, one row, no password), the
/// shared state as of its last pull (`sync_base`, rows as merge records:
/// the base a rebase compares against, and what a push is diffed with),
/// and rows its next push must carry though no local entry touched them
/// (`sync_extra`: rows kept against a colleague's delete; `*` = diff
/// every table, after a bulk change whose rows were not captured).
const SHARED: &str = r#"
ALTER TABLE history ADD COLUMN uuid TEXT;
ALTER TABLE history ADD COLUMN shared_seq INTEGER;
CREATE INDEX history_unshared ON history(seq) WHERE shared_seq IS NULL;
CREATE TABLE sync_server (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    locator       TEXT NOT NULL,
    schema_name   TEXT NOT NULL,
    project_uuid  TEXT NOT NULL,
    pulled_seq    INTEGER NOT NULL,
    replica       TEXT NOT NULL
) STRICT;
CREATE TABLE sync_base (
    tbl  TEXT NOT NULL,
    key  TEXT NOT NULL,
    rec  TEXT NOT NULL,
    PRIMARY KEY (tbl, key)
) STRICT, WITHOUT ROWID;
CREATE TABLE sync_extra (
    tbl  TEXT NOT NULL,
    key  TEXT NOT NULL,
    PRIMARY KEY (tbl, key)
) STRICT, WITHOUT ROWID;
"#;

/// A project file as an older Storyloom left it: the first `version`
/// migrations applied and nothing else, for the upgrade tests.
#[cfg(test)]
pub(crate) fn old_project(path: &std::path::Path, version: usize) -> rusqlite::Connection {
    let c = rusqlite::Connection::open(path).unwrap();
    c.pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    for m in &MIGRATIONS[..version] {
        c.execute_batch(m).unwrap();
    }
    c.pragma_update(None, "user_version", version as i64)
        .unwrap();
    c
}
