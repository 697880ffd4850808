use super::*;
use std::io::Read;

fn temps(folder: &Path) -> Vec<String> {
    fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(MARK))
        .collect()
}

#[test]
fn commit_replaces_the_target_and_leaves_no_temp() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("pack.docx");
    fs::write(&target, b"old").unwrap();
    let mut f = AtomicFile::create(&target).unwrap();
    assert_eq!(f.target(), target);
    assert!(f.path().starts_with(dir.path()));
    f.write_all(b"new content").unwrap();
    // A checker can read the whole temp file before it is kept.
    assert_eq!(fs::read(f.path()).unwrap(), b"new content");
    assert_eq!(fs::read(&target).unwrap(), b"old");
    f.commit().unwrap();
    assert_eq!(fs::read(&target).unwrap(), b"new content");
    assert!(temps(dir.path()).is_empty());
}

#[test]
fn drop_without_commit_keeps_the_old_file_and_removes_the_temp() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("segments.csv");
    fs::write(&target, b"a,b\n1,2\n").unwrap();
    {
        let mut f = AtomicFile::create(&target).unwrap();
        f.write_all(b"half a r").unwrap();
        assert_eq!(temps(dir.path()).len(), 1);
    }
    assert_eq!(fs::read(&target).unwrap(), b"a,b\n1,2\n");
    assert!(temps(dir.path()).is_empty());
}

#[test]
fn seek_and_read_back_work_for_zip_writers() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("x.bin");
    let mut f = AtomicFile::create(&target).unwrap();
    f.write_all(b"0123456789").unwrap();
    f.seek(SeekFrom::Start(2)).unwrap();
    f.write_all(b"ab").unwrap();
    f.seek(SeekFrom::Start(0)).unwrap();
    let mut back = String::new();
    f.read_to_string(&mut back).unwrap();
    assert_eq!(back, "01ab456789");
    f.commit().unwrap();
    assert_eq!(fs::read(&target).unwrap(), b"01ab456789");
}

#[test]
fn write_atomic_commits_on_ok_and_not_on_error() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("codebook.docx");
    write_atomic(&target, |w| w.write_all(b"first")).unwrap();
    assert_eq!(fs::read(&target).unwrap(), b"first");
    let refused: io::Result<()> = write_atomic(&target, |w| {
        w.write_all(b"second, refused")?;
        Err(io::Error::other("the check refused it"))
    });
    assert!(refused.is_err());
    assert_eq!(fs::read(&target).unwrap(), b"first");
    assert!(temps(dir.path()).is_empty());
}

#[test]
fn a_new_target_is_created_only_on_commit() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new.txt");
    let f = AtomicFile::create(&target).unwrap();
    assert!(!target.exists());
    drop(f);
    assert!(!target.exists());
    assert!(temps(dir.path()).is_empty());
}

#[test]
fn a_target_without_a_folder_part_uses_the_current_folder() {
    assert_eq!(folder_of(Path::new("x.csv")), PathBuf::from("."));
    assert!(AtomicFile::create(Path::new("/")).is_err());
}

#[test]
fn clean_stale_temps_removes_only_dead_writers_temps() {
    let dir = tempfile::tempdir().unwrap();
    // A pid far above any pid_max: not running.
    let dead = dir
        .path()
        .join(".pack.docx.storyloom-tmp-2147483646-00ff00ff00ff00ff");
    let live = dir.path().join(format!(
        ".pack.docx.storyloom-tmp-{}-0123456789abcdef",
        std::process::id()
    ));
    let user = dir.path().join("notes.storyloom-tmp-1-zz");
    let plain = dir.path().join("pack.docx");
    for p in [&dead, &live, &user, &plain] {
        fs::write(p, b"x").unwrap();
    }
    let removed = clean_stale_temps(dir.path()).unwrap();
    assert_eq!(removed, vec![dead.clone()]);
    assert!(!dead.exists());
    assert!(live.exists() && user.exists() && plain.exists());
}

#[test]
fn temp_names_are_recognised() {
    assert_eq!(temp_pid(".a.csv.storyloom-tmp-42-abc123"), Some(42));
    assert_eq!(temp_pid("a.csv.storyloom-tmp-42-abc123"), None);
    assert_eq!(temp_pid(".a.csv.storyloom-tmp-42-"), None);
    assert_eq!(temp_pid(".a.csv.storyloom-tmp-x-abc"), None);
    assert_eq!(temp_pid(".a.csv"), None);
}

#[test]
fn keeps_the_permissions_of_the_file_it_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("ro.csv");
    fs::write(&target, b"old").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&target, |w| w.write_all(b"new")).unwrap();
        let mode = fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }
}
