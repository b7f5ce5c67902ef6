//! EuRepoC global database CSV (`EuRepoC_Global_Database_1.1.csv`): one row per incident.
//!
//! List-valued cells are Python literals (see [`crate::pylit`]). The **sponsor rule**:
//! `initiator_country` and `initiator_category` are parallel lists; when their lengths differ every
//! country is paired with every category. Each pair becomes one attribution claim whose sponsorship
//! comes from the category (`State` → state, `Non-state actor, state-affiliation suggested` →
//! state-affiliated, …). Whether a pair makes a state sponsor is the policy's call, not the reader's.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use spyglass_model::{
    AttributionClaim, ClaimMethod, IncidentClaim, IncidentRecord, IncidentType, Reliability, Source,
    SourceKind, Sponsorship, Vertical, VictimClaim,
};

use crate::util::{country_code, non_empty, parse_date};
use crate::{IngestError, Sink, Skipped, pylit};

/// The source id of every EuRepoC claim.
pub const SOURCE_ID: &str = "eurepoc";

/// Columns the reader needs; a header without them is not EuRepoC's global database.
const REQUIRED: &[&str] = &[
    "ID",
    "name",
    "description",
    "start_date",
    "end_date",
    "incident_type",
    "receiver_name",
    "receiver_country",
    "receiver_category",
    "receiver_category_subcode",
    "initiator_name",
    "initiator_country",
    "initiator_category",
    "initiator_category_subcode",
    "attribution_date",
    "attribution_basis",
    "attributing_actor",
    "attribution_it_company",
    "attributing_country",
    "data_theft",
];

struct Row<'a> {
    line: u64,
    cols: &'a HashMap<&'a str, usize>,
    fields: Vec<&'a str>,
}

impl<'a> Row<'a> {
    fn get(&self, name: &str) -> &'a str {
        self.cols.get(name).and_then(|&i| self.fields.get(i).copied()).unwrap_or("")
    }

    fn skip(&self, column: &str, reason: impl std::fmt::Display) -> Skipped {
        Skipped { place: format!("line {}, column {column}", self.line), reason: reason.to_string() }
    }

    fn list(&self, column: &str) -> Result<Vec<String>, Skipped> {
        pylit::parse_str_list(self.get(column)).map_err(|e| self.skip(column, format!("invalid list literal: {e}")))
    }

    fn nested(&self, column: &str) -> Result<Vec<Vec<String>>, Skipped> {
        pylit::parse_nested_str_list(self.get(column))
            .map_err(|e| self.skip(column, format!("invalid nested list literal: {e}")))
    }
}

/// Reads the whole CSV. Rows that cannot be read are returned in `skipped` with line and column.
pub fn read(path: &Path, input: &mut dyn std::io::Read, total: u64, sink: &mut dyn Sink) -> Result<(), IngestError> {
    let invalid = |place: String, reason: String| IngestError::Invalid { path: path.to_path_buf(), place, reason };
    let mut rdr = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(input);
    let header = rdr.byte_headers().map_err(|e| invalid("line 1".into(), format!("unreadable header: {e}")))?.clone();
    let header: Vec<&str> = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            std::str::from_utf8(h).map_err(|_| invalid("line 1".into(), format!("header column {} is not UTF-8", i + 1)))
        })
        .collect::<Result<_, _>>()?;
    let header: Vec<String> = header.iter().map(|h| h.trim_start_matches('\u{feff}').to_string()).collect();
    let cols: HashMap<&str, usize> = header.iter().enumerate().map(|(i, h)| (h.as_str(), i)).collect();
    let missing: Vec<&str> = REQUIRED.iter().copied().filter(|c| !cols.contains_key(c)).collect();
    if !missing.is_empty() {
        return Err(invalid("line 1".into(), format!("not the EuRepoC global database: missing columns {}", missing.join(", "))));
    }

    sink.source(Source {
        id: SOURCE_ID.into(),
        kind: SourceKind::Dataset,
        name: "EuRepoC".into(),
        reliability: Some(Reliability::B),
    });
    let mut record = csv::ByteRecord::new();
    let mut seen_ids: HashMap<String, u64> = HashMap::new();
    loop {
        let line = rdr.position().line();
        match rdr.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                sink.skip(Skipped { place: format!("line {line}"), reason: format!("unreadable CSV record: {e}") });
                // csv errors other than UTF-8/length are I/O-level; stop rather than loop.
                break;
            }
        }
        let line = record.position().map_or(line, |p| p.line());
        sink.progress(record.position().map_or(0, |p| p.byte()), total);
        if record.len() != header.len() {
            let hint = if record.len() < header.len() { " (truncated file or unbalanced quotes?)" } else { "" };
            sink.skip(Skipped {
                place: format!("line {line}"),
                reason: format!("record has {} fields, the header has {}{hint}", record.len(), header.len()),
            });
            continue;
        }
        let mut fields = Vec::with_capacity(record.len());
        let mut utf8_err = None;
        for (i, f) in record.iter().enumerate() {
            match std::str::from_utf8(f) {
                Ok(s) => fields.push(s),
                Err(e) => {
                    utf8_err = Some(Skipped {
                        place: format!("line {line}, column {}", header[i]),
                        reason: format!("invalid UTF-8 at byte {} of the field", e.valid_up_to()),
                    });
                    break;
                }
            }
        }
        if let Some(s) = utf8_err {
            sink.skip(s);
            continue;
        }
        let row = Row { line, cols: &cols, fields };
        match read_row(&row, sink) {
            Ok(rec) => {
                if let Some(first) = seen_ids.insert(rec.incident.id.clone(), line) {
                    sink.skip(Skipped {
                        place: format!("line {line}, column ID"),
                        reason: format!("duplicate incident id {} (first on line {first})", rec.incident.id),
                    });
                    continue;
                }
                sink.record(rec);
            }
            Err(s) => sink.skip(s),
        }
    }
    sink.progress(total, total);
    Ok(())
}

fn read_row(row: &Row<'_>, out: &mut dyn Sink) -> Result<IncidentRecord, Skipped> {
    let id = row.get("ID").trim();
    if id.is_empty() {
        return Err(row.skip("ID", "empty incident id"));
    }
    let start_date = parse_date(row.get("start_date")).map_err(|e| row.skip("start_date", e))?;
    let end_date = parse_date(row.get("end_date")).map_err(|e| row.skip("end_date", e))?;
    let types_raw: Vec<String> =
        row.get("incident_type").split(';').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
    let mut types = BTreeSet::new();
    for t in &types_raw {
        types.extend(map_type(t));
    }
    let incident = IncidentClaim {
        id: format!("eurepoc:{id}"),
        title: non_empty(row.get("name")),
        description: non_empty(row.get("description")),
        start_date,
        end_date,
        types: types.into_iter().collect(),
        types_raw,
        tlp: None,
        data_theft: map_data_theft(row.get("data_theft")),
    };
    let mut rec = IncidentRecord::new(SOURCE_ID, format!("line {} (ID {id})", row.line), incident);
    rec.victims = victims(row, out)?;
    rec.attributions = attributions(row, out)?;
    Ok(rec)
}

fn victims(row: &Row<'_>, out: &mut dyn Sink) -> Result<Vec<VictimClaim>, Skipped> {
    let countries = row.list("receiver_country")?;
    let names = row.nested("receiver_name")?;
    let categories = row.nested("receiver_category")?;
    let subcodes = row.nested("receiver_category_subcode")?;
    let mut victims = Vec::new();
    for (i, country_raw) in countries.iter().enumerate() {
        let country = country_code(country_raw, out);
        let names_i: Vec<&str> =
            names.get(i).map(|v| v.iter().map(String::as_str).filter(|n| non_empty(n).is_some()).collect()).unwrap_or_default();
        let name = if names_i.is_empty() { None } else { Some(names_i.join("; ")) };
        let cats: &[String] = categories.get(i).map(Vec::as_slice).unwrap_or_default();
        let subs: &[String] = subcodes.get(i).map(Vec::as_slice).unwrap_or_default();
        if cats.is_empty() {
            victims.push(VictimClaim {
                name: name.clone(),
                country: country.clone(),
                country_raw: non_empty(country_raw),
                method: Some(ClaimMethod::Structured),
                ..VictimClaim::default()
            });
        }
        for (j, cat) in cats.iter().enumerate() {
            // Subcodes are parallel to categories only when the lists line up.
            let sub = if subs.len() == cats.len() { subs.get(j).and_then(|s| non_empty(s)) } else { None };
            victims.push(VictimClaim {
                name: name.clone(),
                country: country.clone(),
                country_raw: non_empty(country_raw),
                category: non_empty(cat),
                vertical: map_vertical(cat, sub.as_deref()),
                subcode: sub,
                ticker: None,
                method: Some(ClaimMethod::Structured),
            });
        }
    }
    Ok(victims)
}

fn attributions(row: &Row<'_>, out: &mut dyn Sink) -> Result<Vec<AttributionClaim>, Skipped> {
    let countries = row.list("initiator_country")?;
    let categories = row.list("initiator_category")?;
    let subcats = row.list("initiator_category_subcode")?;
    let names = row.list("initiator_name")?;

    // The sponsor rule: parallel lists, or every country × every category when lengths differ.
    let mut pairs: Vec<(Option<&str>, Option<usize>)> = Vec::new();
    if countries.len() == categories.len() {
        pairs.extend(countries.iter().enumerate().map(|(i, c)| (Some(c.as_str()), Some(i))));
    } else if countries.is_empty() {
        pairs.extend((0..categories.len()).map(|j| (None, Some(j))));
    } else if categories.is_empty() {
        pairs.extend(countries.iter().map(|c| (Some(c.as_str()), None)));
    } else {
        for c in &countries {
            pairs.extend((0..categories.len()).map(|j| (Some(c.as_str()), Some(j))));
        }
    }

    let aligned_names = names.len() == countries.len() && countries.len() == categories.len();
    let all_names = {
        let v: Vec<&str> = names.iter().map(String::as_str).filter(|n| non_empty(n).is_some()).collect();
        if v.is_empty() { None } else { Some(v.join("; ")) }
    };
    let basis = distinct_joined(row.get("attribution_basis"));
    let attributed_by = {
        let mut parts = Vec::new();
        for col in ["attributing_actor", "attribution_it_company", "attributing_country"] {
            if let Some(v) = distinct_joined(row.get(col)) {
                parts.push(v);
            }
        }
        if parts.is_empty() { None } else { Some(parts.join("; ")) }
    };
    let attributed_on = row
        .get("attribution_date")
        .split(';')
        .filter_map(|d| parse_date(d).ok().flatten())
        .min();

    let mut claims = Vec::with_capacity(pairs.len());
    for (k, (country_raw, cat_idx)) in pairs.into_iter().enumerate() {
        let category = cat_idx.and_then(|j| categories.get(j)).map(String::as_str);
        let subcat = match cat_idx {
            Some(j) if subcats.len() == categories.len() => subcats.get(j).map(String::as_str),
            _ => None,
        };
        let actor_raw = if aligned_names {
            names.get(k).and_then(|n| non_empty(n))
        } else {
            all_names.clone()
        };
        claims.push(AttributionClaim {
            actor_raw,
            actor: None,
            sponsor: country_raw.and_then(|c| country_code(c, out)),
            sponsor_raw: country_raw.and_then(non_empty),
            sponsorship: category.map(|c| map_sponsorship(c, subcat)),
            sponsorship_raw: category.map(str::to_string),
            attributed_by: attributed_by.clone(),
            basis: basis.clone(),
            attributed_on,
            confidence: None,
            method: Some(ClaimMethod::Structured),
        });
    }
    Ok(claims)
}

/// EuRepoC `initiator_category` (and subcode) → sponsorship.
pub fn map_sponsorship(category: &str, subcode: Option<&str>) -> Sponsorship {
    match category.trim() {
        "State" => Sponsorship::State,
        "Non-state actor, state-affiliation suggested" => Sponsorship::StateAffiliated,
        "Non-state-group" | "Individual hacker(s)" => match subcode.map(str::trim) {
            Some("Criminal(s)") => Sponsorship::Criminal,
            Some("Hacktivist(s)") => Sponsorship::Hacktivist,
            _ => Sponsorship::Unknown,
        },
        _ => Sponsorship::Unknown,
    }
}

fn map_type(raw: &str) -> Vec<IncidentType> {
    let t = raw.trim().to_ascii_lowercase();
    match t.as_str() {
        "data theft" => vec![IncidentType::DataTheft],
        "data theft & doxing" => vec![IncidentType::DataTheft, IncidentType::Doxing],
        "disruption" => vec![IncidentType::Disruption],
        "ransomware" => vec![IncidentType::Ransomware],
        t if t.starts_with("hijacking") => vec![IncidentType::Hijacking],
        _ => vec![IncidentType::Other],
    }
}

fn map_data_theft(raw: &str) -> Option<bool> {
    let t = raw.trim();
    if t.eq_ignore_ascii_case("none") {
        Some(false)
    } else if t.is_empty() || t.eq_ignore_ascii_case("not available") {
        None
    } else {
        Some(true)
    }
}

/// EuRepoC receiver category/subcode → vertical. Corporate targets carry no sector in EuRepoC's
/// structured fields, so they stay `None` here (text extraction may label them).
pub fn map_vertical(category: &str, subcode: Option<&str>) -> Option<Vertical> {
    if let Some(sub) = subcode {
        let v = match sub.trim() {
            "Telecommunications" => Some(Vertical::Telecom),
            "Energy" => Some(Vertical::Energy),
            "Defence industry" | "Military" => Some(Vertical::Defence),
            "Finance" => Some(Vertical::Finance),
            "Health" => Some(Vertical::Health),
            "Transportation" => Some(Vertical::Transportation),
            "Water" => Some(Vertical::Water),
            "Chemicals" => Some(Vertical::Chemicals),
            "Food" => Some(Vertical::Food),
            "Space" => Some(Vertical::Space),
            "Critical Manufacturing" => Some(Vertical::Manufacturing),
            "Government / ministries"
            | "Civil service / administration"
            | "Legislative"
            | "Judiciary"
            | "Police"
            | "Intelligence agencies"
            | "Election infrastructure / related systems"
            | "Political parties"
            | "Other (e.g., embassies)" => Some(Vertical::Government),
            _ => None,
        };
        if v.is_some() {
            return v;
        }
    }
    match category.trim() {
        "State institutions / political system" => Some(Vertical::Government),
        "Media" => Some(Vertical::Media),
        "Science" => Some(Vertical::Research),
        "Social groups" | "End user(s) / specially protected groups" => Some(Vertical::CivilSociety),
        _ => None,
    }
}

/// `a; a; b` → `a; b` (EuRepoC repeats a value once per attribution × initiator).
fn distinct_joined(cell: &str) -> Option<String> {
    let mut seen = Vec::new();
    for part in cell.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        if !seen.contains(&part) {
            seen.push(part);
        }
    }
    if seen.is_empty() { None } else { Some(seen.join("; ")) }
}

#[cfg(test)]
mod tests;
