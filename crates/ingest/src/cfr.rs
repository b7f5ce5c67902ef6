//! Council on Foreign Relations Cyber Operations Tracker CSV (`cfr_attacker_coded.csv` and the
//! tracker's own export): one row per operation.
//!
//! Mapping, per row:
//! - **id** `cfr:<slug(Title)>-<Date>` (`undated` when the date is empty), e.g.
//!   `cfr:flame-2012-05-28`. Row numbers change whenever the tracker adds a row, titles and dates do
//!   not. CFR has distinct operations with the same title and date (two "Targeting of Afghan
//!   telecommunication firm Roshan" rows on 2021-09-28, by RedFoxTrot and by Calypso): the second and
//!   later get `-<first 6 hex of sha256(Affiliations|Victims|Description)>` appended, so the suffix
//!   depends on content, not on position. A row identical in all three to an earlier one is skipped
//!   as a duplicate.
//! - **victims**: `Victims` split on commas; a part that is an ISO country becomes
//!   `VictimClaim.country`, a region (`Europe`) stays in `country_raw`, anything else is an
//!   organisation or group name. Every victim carries the row's `Category` verbatim; the vertical is
//!   set only when `Category` names one sector (`Government` → government, `Military` → defence,
//!   `Civil society` → civil society; `Private sector` has no sector).
//! - **sponsors**: `Sponsor` split on commas, each an ISO country (names that do not map are
//!   reported as unmapped countries and produce no claim). CFR's tracker lists only state-sponsored
//!   operations, so a listed sponsor has sponsorship `state`.
//! - **actors**: `Affiliations` is either a list of names ("Fancy Bear, APT 28", "Tonto Team or
//!   TA428") — each becomes `actor_raw`, one claim per sponsor × name — or prose ("Believed to be
//!   the work of …"), kept verbatim in the claim's `basis` for extraction to read.
//! - **provenance**: `sponsor_flag` and `sponsor_cow` (a third party's recoding: `INFERRED_*` rows have
//!   an empty `Sponsor` the recoder filled in; `MULTI_SPONSOR_PRIMARY` marks its primary sponsor)
//!   go into `record_ref` and each claim's `basis`. The recoder's country codes are not turned into
//!   sponsors: they are Correlates-of-War numbers, and in the rows it "fixed" they contradict the
//!   tracker (APT 36, a Pakistani group, is coded 750 = India).
//! - **shifted rows**: some rows have their cells after `Description` shifted by one or two columns
//!   (`Espionage` in `Sponsor`, a URL in `Type`; flagged `COLUMN_SHIFT_FIX` by the recoder). Their
//!   victims, sponsors, type and category cannot be told apart, so the row is skipped with the reason
//!   rather than read with invented values.

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};
use spyglass_model::country::{self, CountryMatch};
use spyglass_model::{
    AttributionClaim, ClaimMethod, IncidentClaim, IncidentRecord, IncidentType, Source, SourceKind, Sponsorship,
    Vertical, VictimClaim,
};

use crate::util::{country_code, non_empty, parse_date};
use crate::{IngestError, Sink, Skipped};

/// The source id of every CFR claim.
pub const SOURCE_ID: &str = "cfr";
/// Who makes the attributions.
pub const ATTRIBUTED_BY: &str = "Council on Foreign Relations Cyber Operations Tracker";

/// Columns the reader needs; their presence in a header identifies the tracker.
pub const REQUIRED: &[&str] = &["Title", "Date", "Affiliations", "Description", "Victims", "Sponsor", "Type", "Category"];

/// CFR's operation types.
const TYPES: &[&str] =
    &["Espionage", "Sabotage", "Denial of service", "Data destruction", "Financial Theft", "Defacement", "Doxing"];
/// CFR's victim categories.
const CATEGORIES: &[&str] = &["Government", "Private sector", "Civil society", "Military"];

struct Row<'a> {
    line: u64,
    cols: &'a HashMap<String, usize>,
    fields: Vec<&'a str>,
}

impl<'a> Row<'a> {
    fn get(&self, name: &str) -> &'a str {
        self.cols.get(name).and_then(|&i| self.fields.get(i).copied()).unwrap_or("").trim()
    }
    fn skip(&self, column: &str, reason: impl Into<String>) -> Skipped {
        Skipped { place: format!("line {}, column {column}", self.line), reason: reason.into() }
    }
}

/// Streams the CSV. Unreadable rows are skipped with line (and column); a header without the
/// tracker's columns is a file error.
pub fn read(path: &Path, input: &mut dyn Read, total: u64, sink: &mut dyn Sink) -> Result<(), IngestError> {
    let invalid = |place: String, reason: String| IngestError::Invalid { path: path.to_path_buf(), place, reason };
    let mut rdr = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(input);
    let header = rdr.byte_headers().map_err(|e| invalid("line 1".into(), format!("unreadable header: {e}")))?.clone();
    let cols: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = String::from_utf8_lossy(h);
            (h.trim().trim_start_matches('\u{feff}').to_string(), i)
        })
        .collect();
    let missing: Vec<&str> = REQUIRED.iter().copied().filter(|c| !cols.contains_key(*c)).collect();
    if !missing.is_empty() {
        return Err(invalid(
            "line 1".into(),
            format!("not the CFR Cyber Operations Tracker: missing columns {}", missing.join(", ")),
        ));
    }
    sink.source(Source {
        id: SOURCE_ID.into(),
        kind: SourceKind::Dataset,
        name: "CFR Cyber Operations Tracker".into(),
        reliability: None,
    });
    let mut ids: HashMap<String, u64> = HashMap::new();
    let mut record = csv::ByteRecord::new();
    loop {
        let line = record.position().map_or(2, |p| p.line() + 1);
        match rdr.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                sink.skip(Skipped { place: format!("line {line}"), reason: format!("unreadable CSV record: {e}") });
                break;
            }
        }
        let line = record.position().map_or(line, |p| p.line());
        sink.progress(record.position().map_or(0, |p| p.byte()), total);
        if record.len() != header.len() {
            sink.skip(Skipped {
                place: format!("line {line}"),
                reason: format!("record has {} fields, the header has {}", record.len(), header.len()),
            });
            continue;
        }
        let mut fields = Vec::with_capacity(record.len());
        let mut bad = None;
        for (i, f) in record.iter().enumerate() {
            match std::str::from_utf8(f) {
                Ok(s) => fields.push(s),
                Err(e) => {
                    let col = header.get(i).map(String::from_utf8_lossy).unwrap_or_default();
                    bad = Some(Skipped {
                        place: format!("line {line}, column {col}"),
                        reason: format!("invalid UTF-8 at byte {} of the cell", e.valid_up_to()),
                    });
                    break;
                }
            }
        }
        if let Some(s) = bad {
            sink.skip(s);
            continue;
        }
        let row = Row { line, cols: &cols, fields };
        match read_row(&row, &mut ids, sink) {
            Ok(rec) => sink.record(rec),
            Err(s) => sink.skip(s),
        }
    }
    sink.progress(total, total);
    Ok(())
}

fn read_row(row: &Row<'_>, ids: &mut HashMap<String, u64>, sink: &mut dyn Sink) -> Result<IncidentRecord, Skipped> {
    let title = row.get("Title");
    if title.is_empty() {
        return Err(row.skip("Title", "empty title"));
    }
    if let Some(reason) = shifted(row) {
        return Err(Skipped { place: format!("line {}", row.line), reason });
    }
    let date_raw = row.get("Date");
    let start_date = parse_date(date_raw).map_err(|e| row.skip("Date", e))?;
    let id = incident_id(row, title, date_raw, ids)?;

    let type_raw = row.get("Type");
    let types: Vec<IncidentType> = if type_raw.is_empty() { Vec::new() } else { vec![map_type(type_raw)] };
    let flag = row.get("sponsor_flag");
    let cow = row.get("sponsor_cow");
    let provenance = if flag.is_empty() { None } else { Some(format!("sponsor_flag {flag} (sponsor_cow {cow})")) };
    let record_ref = match &provenance {
        Some(p) => format!("line {} ({p})", row.line),
        None => format!("line {}", row.line),
    };
    let incident = IncidentClaim {
        id,
        title: Some(title.to_string()),
        description: non_empty(row.get("Description")),
        start_date,
        end_date: None,
        types,
        types_raw: if type_raw.is_empty() { Vec::new() } else { vec![type_raw.to_string()] },
        tlp: None,
        data_theft: None,
    };
    let mut rec = IncidentRecord::new(SOURCE_ID, record_ref, incident);
    rec.victims = victims(row.get("Victims"), row.get("Category"));
    rec.attributions = attributions(row, provenance.as_deref(), sink);
    Ok(rec)
}

/// Why the row's cells after `Description` are shifted, if they are.
fn shifted(row: &Row<'_>) -> Option<String> {
    let split = |s: &'static str| -> Vec<String> {
        row.get(s).split(',').map(|p| p.trim().trim_matches('"').trim().to_string()).filter(|p| !p.is_empty()).collect()
    };
    let mut why = Vec::new();
    if let Some(v) = split("Sponsor").into_iter().find(|p| TYPES.contains(&p.as_str()) || CATEGORIES.contains(&p.as_str())) {
        why.push(format!("Sponsor holds {v:?}"));
    }
    if let Some(v) = split("Type").into_iter().find(|p| !TYPES.contains(&p.as_str())) {
        why.push(format!("Type holds {:?}", truncate(&v, 60)));
    }
    if let Some(v) = split("Category").into_iter().find(|p| !CATEGORIES.contains(&p.as_str())) {
        why.push(format!("Category holds {:?}", truncate(&v, 60)));
    }
    if why.is_empty() {
        return None;
    }
    let flag = row.get("sponsor_flag");
    let flag = if flag.is_empty() { String::new() } else { format!(" (sponsor_flag {flag})") };
    Some(format!(
        "cells after Description are shifted: {}; Victims, Sponsor, Type and Category cannot be told apart{flag}",
        why.join(", ")
    ))
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { format!("{}…", s.chars().take(n).collect::<String>()) }
}

/// `cfr:<slug(title)>-<date>`, with a content suffix for a repeated title and date.
fn incident_id(row: &Row<'_>, title: &str, date: &str, ids: &mut HashMap<String, u64>) -> Result<String, Skipped> {
    let date = if date.is_empty() { "undated" } else { date };
    let base = format!("cfr:{}-{date}", slug(title));
    if !ids.contains_key(&base) {
        ids.insert(base.clone(), row.line);
        return Ok(base);
    }
    let mut h = Sha256::new();
    for col in ["Affiliations", "Victims", "Description"] {
        h.update(row.get(col).as_bytes());
        h.update(b"|");
    }
    let id = format!("{base}-{}", &hex::encode(h.finalize())[..6]);
    if let Some(first) = ids.get(&id) {
        return Err(row.skip("Title", format!("duplicate of line {first} (same title, date, affiliations, victims and description)")));
    }
    ids.insert(id.clone(), row.line);
    Ok(id)
}

/// Lower-case ASCII letters and digits, other runs as one `-`, at most 80 characters.
pub fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut out = out.trim_end_matches('-').to_string();
    if out.len() > 80 {
        out.truncate(80);
        out = out.trim_end_matches('-').to_string();
    }
    if out.is_empty() { "untitled".into() } else { out }
}

fn map_type(raw: &str) -> IncidentType {
    match raw {
        "Espionage" => IncidentType::Espionage,
        "Sabotage" => IncidentType::Sabotage,
        "Denial of service" => IncidentType::Disruption,
        "Data destruction" => IncidentType::Destruction,
        "Financial Theft" => IncidentType::FinancialTheft,
        "Defacement" => IncidentType::Defacement,
        "Doxing" => IncidentType::Doxing,
        _ => IncidentType::Other,
    }
}

fn map_category(raw: &str) -> Option<Vertical> {
    match raw {
        "Government" => Some(Vertical::Government),
        "Military" => Some(Vertical::Defence),
        "Civil society" => Some(Vertical::CivilSociety),
        _ => None,
    }
}

/// Splits `Victims` into countries, regions and named organisations.
fn victims(raw: &str, category: &str) -> Vec<VictimClaim> {
    let cats: BTreeSet<&str> = category.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
    let vertical = if cats.len() == 1 { cats.iter().next().and_then(|c| map_category(c)) } else { None };
    let category = non_empty(category);
    let base = VictimClaim {
        category: category.clone(),
        vertical,
        method: Some(ClaimMethod::Structured),
        ..VictimClaim::default()
    };
    let mut out = Vec::new();
    for part in raw.split(',') {
        let part = part.trim().trim_matches(|c: char| c == '"' || c == '?' || c == '.').trim();
        let part = part.strip_prefix("and ").unwrap_or(part).trim();
        if part.is_empty() {
            continue;
        }
        let mut v = base.clone();
        match country::classify(part) {
            CountryMatch::Country(c) => {
                v.country = Some(c.alpha2.to_string());
                v.country_raw = Some(part.to_string());
            }
            CountryMatch::Placeholder => continue,
            CountryMatch::NotACountry(k) if k == country::REGION || k == country::FORMER => {
                v.country_raw = Some(part.to_string());
            }
            CountryMatch::NotACountry(_) | CountryMatch::Unmapped => v.name = Some(part.to_string()),
        }
        out.push(v);
    }
    if out.is_empty() && category.is_some() {
        out.push(base);
    }
    out
}

/// Sponsor × actor claims; see the module docs.
fn attributions(row: &Row<'_>, provenance: Option<&str>, sink: &mut dyn Sink) -> Vec<AttributionClaim> {
    let mut sponsors: Vec<(String, String)> = Vec::new();
    for part in row.get("Sponsor").split(',') {
        let part = part.trim().trim_matches('"').trim();
        if part.is_empty() {
            continue;
        }
        if let Some(code) = country_code(part, sink)
            && !sponsors.iter().any(|(c, _)| *c == code)
        {
            sponsors.push((code, part.to_string()));
        }
    }
    let affiliations = row.get("Affiliations");
    let (names, prose) = match actor_names(affiliations) {
        Some(names) => (names, None),
        None => (Vec::new(), Some(affiliations)),
    };
    let mut basis_parts: Vec<String> = Vec::new();
    if let Some(p) = prose {
        basis_parts.push(format!("affiliations: {p}"));
    }
    let response = row.get("Response");
    if !response.is_empty() {
        basis_parts.push(format!("response: {response}"));
    }
    if let Some(p) = provenance {
        basis_parts.push(p.to_string());
    }
    let basis = if basis_parts.is_empty() { None } else { Some(basis_parts.join("; ")) };
    let claim = |actor: Option<&str>, sponsor: Option<&(String, String)>| AttributionClaim {
        actor_raw: actor.map(str::to_string),
        actor: None,
        sponsor: sponsor.map(|s| s.0.clone()),
        sponsor_raw: sponsor.map(|s| s.1.clone()),
        sponsorship: sponsor.map(|_| Sponsorship::State),
        sponsorship_raw: None,
        attributed_by: Some(ATTRIBUTED_BY.to_string()),
        basis: basis.clone(),
        attributed_on: None,
        confidence: None,
        method: Some(ClaimMethod::Structured),
    };
    let mut out = Vec::new();
    for s in &sponsors {
        if names.is_empty() {
            out.push(claim(None, Some(s)));
        }
        for n in &names {
            out.push(claim(Some(n), Some(s)));
        }
    }
    if sponsors.is_empty() {
        for n in &names {
            out.push(claim(Some(n), None));
        }
        if names.is_empty() && prose.is_some() {
            out.push(claim(None, None));
        }
    }
    out
}

/// Lower-case words allowed inside a name ("Government of China").
const NAME_LINKS: &[&str] = &["of", "the", "de", "al", "for"];

/// The actor names in `Affiliations` when it is a list of names; `None` when it is prose.
pub fn actor_names(text: &str) -> Option<Vec<String>> {
    let t = text.trim().trim_end_matches(['.', '?', ' ']);
    let mut names = Vec::new();
    for part in t.split(',') {
        for piece in part.split(" or ").flat_map(|p| p.split(" and ")) {
            let piece = piece.trim().trim_matches('?').trim();
            let piece = piece.strip_prefix("and ").or_else(|| piece.strip_prefix("or ")).unwrap_or(piece).trim();
            if piece.is_empty() {
                continue;
            }
            let words: Vec<&str> = piece.split_whitespace().collect();
            let name_like = words.len() <= 5
                && piece.chars().count() <= 40
                && words.iter().all(|w| {
                    w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()) || NAME_LINKS.contains(w)
                })
                && !piece.contains(['\n', ';', ':']);
            if !name_like {
                return None;
            }
            if !names.iter().any(|n: &String| n == piece) {
                names.push(piece.to_string());
            }
        }
    }
    Some(names)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests;
