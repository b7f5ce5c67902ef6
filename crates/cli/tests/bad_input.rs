//! Bad input: a clear error naming the file and line; `--strict` commits nothing; otherwise the good
//! rows are committed and the bad ones listed.

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn real_rows() -> Option<(String, Vec<String>)> {
    let csv = spyglass_testkit::shared_data("eurepoc/EuRepoC_Global_Database_1.1.csv")?;
    let text = std::fs::read_to_string(csv).unwrap();
    // Split the real file into raw records with the csv crate's positions.
    let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header_end = rdr.position().byte() as usize;
    let _ = rdr.headers().unwrap();
    let header = text[..rdr.position().byte() as usize].to_string();
    let _ = header_end;
    let mut starts = Vec::new();
    let mut rec = csv::ByteRecord::new();
    loop {
        let pos = rdr.position().byte() as usize;
        if !rdr.read_byte_record(&mut rec).unwrap() {
            break;
        }
        starts.push(pos);
        if starts.len() > 40 {
            break;
        }
    }
    let rows = starts.windows(2).map(|w| text[w[0]..w[1]].to_string()).collect();
    Some((header, rows))
}

/// Re-serialises one raw CSV row with its `initiator_country` list left unclosed.
fn break_initiator_country(header: &str, row: &str) -> String {
    let cols: Vec<String> = csv::Reader::from_reader(header.as_bytes()).headers().unwrap().iter().map(String::from).collect();
    let idx = cols.iter().position(|c| c == "initiator_country").unwrap();
    let mut rec: Vec<String> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(row.as_bytes())
        .records()
        .next()
        .unwrap()
        .unwrap()
        .iter()
        .map(String::from)
        .collect();
    rec[idx] = "['China', 'Russia'".into();
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    w.write_record(&rec).unwrap();
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn incident_count(data: &Path) -> Option<u64> {
    let out = run(data, &["sql", "SELECT count(*) AS n FROM incidents", "--json"]);
    if !out.status.success() {
        return None;
    }
    stdout_json(&out)[0]["n"].as_u64()
}

#[test]
fn broken_list_syntax_truncation_and_bad_utf8_name_file_and_line() {
    let Some((header, rows)) = real_rows() else { return };
    let dir = tempfile::tempdir().unwrap();
    let good: String = rows[..10].concat();

    // 1. A row with broken list syntax (row 4, i.e. line 5 when each row is one line).
    let mut broken_rows = rows[..10].to_vec();
    broken_rows[3] = break_initiator_country(&header, &broken_rows[3]);
    let broken = write(dir.path(), "broken.csv", format!("{header}{}", broken_rows.concat()).as_bytes());
    // 2. A truncated file (cut in the middle of the last row).
    let full = format!("{header}{good}");
    let truncated = write(dir.path(), "truncated.csv", &full.as_bytes()[..full.len() - rows[9].len() / 2]);
    // 3. A non-UTF-8 byte in a description.
    let mut bytes = format!("{header}{good}").into_bytes();
    let at = header.len() + rows[..6].concat().len() + rows[6].len() / 2;
    bytes[at] = 0xff;
    let bad_utf8 = write(dir.path(), "bad_utf8.csv", &bytes);

    for (file, expect_place) in [(&broken, "line "), (&truncated, "line "), (&bad_utf8, "line ")] {
        let data = dir.path().join(format!("strict-{}", file.file_name().unwrap().to_string_lossy()));
        let out = run(&data, &["ingest", "--strict", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
        let text = stdout(&out);
        assert!(text.contains("rejected") && text.contains(&file.display().to_string()), "{text}");
        assert!(text.contains(expect_place), "{text}");
        assert_eq!(incident_count(&data), None, "strict must commit nothing for {}", file.display());

        let data = dir.path().join(format!("lenient-{}", file.file_name().unwrap().to_string_lossy()));
        let out = run(&data, &["ingest", "--json", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2));
        let v = stdout_json(&out);
        let f = &v["files"][0];
        assert_eq!(f["status"], "committed");
        assert_eq!(f["skipped"].as_array().unwrap().len(), 1, "{f}");
        assert_eq!(incident_count(&data), Some(9));
    }

    let v = stdout_json(&run(&dir.path().join("x"), &["ingest", "--json", broken.to_str().unwrap()]));
    let s = &v["files"][0]["skipped"][0];
    assert_eq!(s["place"], "line 5, column initiator_country", "{s}");
    let v = stdout_json(&run(&dir.path().join("y"), &["ingest", "--json", bad_utf8.to_str().unwrap()]));
    let s = &v["files"][0]["skipped"][0];
    assert!(s["reason"].as_str().unwrap().contains("UTF-8"), "{s}");
    let v = stdout_json(&run(&dir.path().join("z"), &["ingest", "--json", truncated.to_str().unwrap()]));
    assert!(v["files"][0]["skipped"][0]["reason"].as_str().unwrap().contains("truncated"));
}

#[test]
fn unreadable_inputs_exit_2_with_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let out = run(&data, &["ingest", dir.path().join("missing.csv").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.csv"));

    let odd = write(dir.path(), "odd.csv", b"a,b,c\n1,2,3\n");
    let out = run(&data, &["ingest", odd.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("odd.csv") && stderr(&out).contains("--format"), "{}", stderr(&out));

    let out = run(&data, &["share", "--json"]);
    assert_eq!(out.status.code(), Some(2), "no data yet");
    assert!(stderr(&out).contains("no spyglass data"));
    assert!(out.stdout.is_empty());

    let out = run(&data, &["ingest", "--format", "xml", odd.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn sql_errors_are_bad_input_and_formats_work() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let f = write(
        dir.path(),
        "t.jsonl",
        b"{\"id\": \"a:1\", \"title\": \"=HYPERLINK(1)\", \"sponsors\": [\"CN\"], \"sponsorship\": \"state\"}\n{\"id\": \"a:2\", \"types\": [\"espionage\", \"data_theft\"]}\n",
    );
    assert!(run(&data, &["ingest", f.to_str().unwrap()]).status.success());
    let out = run(&data, &["sql", "SELECT nope FROM incidents"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nope"), "{}", stderr(&out));

    let out = run(&data, &["sql", "SELECT incident_id, title, types FROM incidents ORDER BY incident_id", "--csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let csv = stdout(&out);
    assert!(csv.starts_with("incident_id,title,types\n"), "{csv}");
    assert!(csv.contains("'=HYPERLINK(1)"), "formula cells are neutralised: {csv}");
    assert!(csv.contains("\"[espionage, data_theft]\""), "{csv}");

    let v = stdout_json(&run(&data, &["sql", "SELECT * FROM incident_sponsors", "--json"]));
    assert_eq!(v, serde_json::json!([{"incident_id": "a:1", "sponsor": "CN"}]));
    let table = stdout(&run(&data, &["sql", "SELECT count(*) AS n FROM incidents"]));
    assert!(table.contains("| n |") && table.contains("| 2 |"), "{table}");
}
