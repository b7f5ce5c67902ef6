//! Storage faults: a full disk and a read-only data directory give a clear error and damage nothing.
//!
//! The data directory lives on a small tmpfs mounted by the test (root with CAP_SYS_ADMIN, as on the
//! project's machines and CI). Without mount rights the disk-full case falls back to a file-size
//! limit (`ulimit -f`, SIGXFSZ ignored, so writes fail with EFBIG) and the read-only case is skipped
//! with a printed reason.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;

fn write_jsonl(path: &Path, prefix: &str, n: usize, pad: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let sponsors = ["CN", "RU", "IR", "KP"];
    // Random letters, so compression cannot make the claims small.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in 0..n {
        let filler: String = (0..pad)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                char::from(b'a' + (x % 26) as u8)
            })
            .collect();
        writeln!(
            f,
            r#"{{"id": "{prefix}:{i}", "title": "incident {i} {filler}", "start_date": "2020-01-01", "sponsors": ["{}"], "sponsorship": "state", "source": "{prefix}"}}"#,
            sponsors[i % 4]
        )
        .unwrap();
    }
}

fn count(data: &Path) -> u64 {
    let out = run(data, &["sql", "SELECT count(DISTINCT incident_id) AS n, count(*) AS r FROM incidents", "--json"]);
    assert!(out.status.success(), "the store must open after the fault: {}", stderr(&out));
    let v = stdout_json(&out);
    assert_eq!(v[0]["n"], v[0]["r"], "an incident counted twice");
    v[0]["n"].as_u64().unwrap()
}

/// A tmpfs mounted for the test, unmounted on drop.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).ok()?;
        let ok = Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"]).arg(dir).status().ok()?;
        ok.success().then(|| Tmpfs(dir.to_path_buf()))
    }
    fn remount(&self, opts: &str) {
        let ok = Command::new("mount").args(["-o", &format!("remount,{opts}")]).arg(&self.0).status().unwrap();
        assert!(ok.success(), "remount {opts}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// `spyglass --data DATA args…` under `ulimit -f BLOCKS` with SIGXFSZ ignored.
fn run_file_limited(data: &Path, blocks: u64, args: &[&str]) -> Output {
    let mut script = format!("ulimit -f {blocks}; trap '' XFSZ; exec '{}' --data '{}'", env!("CARGO_BIN_EXE_spyglass"), data.display());
    for a in args {
        script.push_str(&format!(" '{a}'"));
    }
    Command::new("sh").arg("-c").arg(script).env_remove("SPYGLASS_DATA").output().unwrap()
}

#[test]
fn disk_full_and_read_only_give_clear_errors_and_no_damage() {
    let dir = tempfile::tempdir().unwrap();
    let small = dir.path().join("small.jsonl");
    let large = dir.path().join("large.jsonl");
    write_jsonl(&small, "small", 100, 0);
    // About 60 MB of claims: more than the 8 MB tmpfs (or the file-size limit) can hold.
    write_jsonl(&large, "large", 200_000, 200);
    let mnt = dir.path().join("mnt");
    let fs = Tmpfs::mount(&mnt, "8m");
    let data = mnt.join("data");

    // Disk full.
    let full = match &fs {
        Some(_) => {
            assert!(run(&data, &["ingest", small.to_str().unwrap()]).status.success());
            run(&data, &["ingest", large.to_str().unwrap()])
        }
        None => {
            eprintln!("faults: cannot mount a tmpfs here (not root?): disk full simulated with `ulimit -f`");
            std::fs::create_dir_all(&mnt).unwrap();
            assert!(run(&data, &["ingest", small.to_str().unwrap()]).status.success());
            run_file_limited(&data, 4096, &["ingest", large.to_str().unwrap()])
        }
    };
    let err = stderr(&full);
    assert_eq!(full.status.code(), Some(1), "a full disk is a runtime error: {err}");
    assert!(
        err.contains("No space left on device") || err.contains("File too large"),
        "the error says why: {err}"
    );
    assert!(err.contains("large.jsonl"), "the error names the input: {err}");
    assert!(!err.contains("panicked") && !err.contains("stack backtrace"), "{err}");
    assert_eq!(count(&data), 100, "the earlier batch intact, nothing of the failed one visible");

    let Some(fs) = fs else {
        eprintln!("faults: read-only case skipped: no mount rights");
        return;
    };
    // Read-only: reads work, writes fail clearly, nothing changes.
    fs.remount("ro");
    let out = run(&data, &["ingest", large.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("Read-only file system"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(count(&data), 100);
    let share = stdout_json(&run(&data, &["share", "--json"]));
    assert_eq!(share["n"], 100, "findings still answer on a read-only store");

    // Room again: the same file ingests, exactly once.
    fs.remount("rw,size=400m");
    let out = run(&data, &["ingest", large.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(count(&data), 100 + 200_000);
    assert!(run(&data, &["ingest", large.to_str().unwrap()]).status.success());
    assert_eq!(count(&data), 100 + 200_000);
}
