//! STIX 2.1 bundles, streamed: a bundle of any size is read object by object (a serde
//! `DeserializeSeed` over `objects`, see [`stream`]), in bounded memory.
//!
//! # What becomes a record
//! - every **`incident`** and **`campaign`** object;
//! - every **`report`** that references no incident or campaign of the bundle (a report-incident:
//!   the report *is* the account of an operation). A report that does reference incidents or
//!   campaigns adds to *their* records instead — its referenced intrusion sets and threat actors
//!   become their attributions ("referenced with it in STIX report …"), its attack patterns their
//!   techniques, its markings their TLP — so one operation is not counted twice (OpenCTI exports a
//!   report wrapping each incident);
//! - every **`sighting`** of an intrusion set or threat actor (the actor was seen at
//!   `where_sighted_refs`); a sighting of an incident or campaign adds victims to it.
//!
//! # Claims
//! - **incident**: id `stix:<STIX id>`, `name`, `description`; start = `first_seen` (incident,
//!   campaign, sighting) or `published` (report), end = `last_seen`; `types_raw` = `report_types`
//!   or OpenCTI's `incident_type`; TLP = the most restrictive TLP marking among the object and every
//!   object and relationship its claims came from (TLP 1.0 and 2.0 marking ids are known, others are
//!   read from the bundle's `marking-definition` objects).
//! - **attributions**: `attributed-to` chains from the record (incident → campaign → intrusion set
//!   → threat actor, up to 3 steps), a report's referenced intrusion sets and threat actors, the
//!   actor of a sighting. `actor_raw` = the actor's name; sponsor = the country of the `location` it
//!   `originates-from`; sponsorship from `threat_actor_types` (`nation-state` → state,
//!   `crime-syndicate`/`criminal` → criminal, `activist` → hacktivist, other → unknown; none → not
//!   stated, with `resource_level` in `sponsorship_raw`); `attributed_by` = the `created_by_ref`
//!   identity of the relationship, report or record; `confidence` = the relationship's, report's or
//!   record's STIX confidence.
//! - **victims**: identities and locations the record `targets` (for a report: targeted by it or by
//!   an actor or campaign it references, and itself referenced); `sectors` → vertical, `located-at`
//!   → country.
//! - **techniques**: `uses` attack patterns (and a report's referenced ones) become technique claims;
//!   their ATT&CK/ATLAS ids come from `external_references` or `x_mitre_id`. ATLAS ids that name an
//!   AI asset also become asset claims (`uses attack-pattern AML.T0024.002`).
//! - **source**: the record's `created_by_ref` identity (`stix:<slug of its name>`, with OpenCTI's
//!   `x_opencti_reliability` as reliability), else the file (`stix:<file stem>`).
//!
//! - **spyglass's own export** (`spyglass export stix`) reads back to the claims it was made from:
//!   `x_spyglass_sponsorship` on an intrusion set wins over `threat_actor_types`,
//!   `x_spyglass_unnamed` makes an attribution without an actor name, `x_spyglass_ai_assets` on an
//!   incident gives asset claims, spyglass vertical and type codes are read as `sectors` and
//!   `incident_types`, and a report with `x_spyglass_finding` (a share and its interval) is derived
//!   data, never an incident.
//!
//! Objects with several versions keep the latest `modified`; `revoked` objects are dropped. Unknown
//! types (`x-mitre-tactic`) and custom `x_` properties are counted in [`StixStats`], never fatal.
//!
//! # Memory bound
//! The parser holds one object at a time ([`split`]: a 1 MiB read buffer, or the largest object).
//! Kept until the end, as summaries (never whole objects): incidents/campaigns/reports/sightings
//! (ids, names, dates, filtered refs; descriptions go to a [`spill::TextStore`] that moves to a
//! temporary file past [`StixOptions::text_budget`]), identities, locations, intrusion sets, threat
//! actors, attack patterns (names and ids), marking definitions, and only the relationships the
//! claims use (`attributed-to`, `targets`, `uses`, `originates-from`, `located-at` between the
//! types above, 32-byte ids each). Memory is therefore O(number of those objects) with a small
//! constant — independent of indicators, observables, malware, other relationships and all
//! description text beyond the budget.
//!
//! # Errors
//! An object that cannot be used (wrong property types, missing `type`/`id`, invalid timestamp,
//! relationship without ends) is skipped with its JSON path (`$.objects[12].created`) and reason. So
//! is an element of `objects` that is not valid JSON (with its line and column). A syntax error in
//! the bundle's structure (between elements, or a file cut short) ends the stream: records from what
//! was read are still emitted, and the skip names the object being read and the line and column (a
//! file that yields nothing is a file error).

mod collect;
mod emit;
pub(crate) mod id;
mod lenient;
mod object;
pub(crate) mod spill;
mod split;
pub(crate) mod stream;
mod vocab;

use std::cell::Cell;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::rc::Rc;

use crate::{IngestError, Sink, Skipped};
use collect::Collector;
use split::ReadError;
use stream::Top;

/// What a STIX read saw, beyond the records.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct StixStats {
    /// Objects in the bundle (elements of `objects`; 1 for a file holding one object).
    pub objects: u64,
    /// Objects per `type`.
    pub by_type: BTreeMap<String, u64>,
    /// Custom (`x_…`) properties seen, over all objects.
    pub custom_properties: u64,
    /// Objects skipped (each also reported to the sink).
    pub skipped_objects: u64,
    /// Objects marked `revoked`.
    pub revoked: u64,
    /// Older versions of an object replaced by a later one (same id).
    pub versions_replaced: u64,
    /// Records emitted.
    pub records: u64,
    /// Description bytes that went to the temporary file.
    pub spilled_bytes: u64,
}

impl StixStats {
    /// Types outside the STIX 2.1 specification (custom objects such as `x-mitre-tactic`).
    pub fn custom_types(&self) -> BTreeMap<String, u64> {
        self.by_type.iter().filter(|(t, _)| !vocab::SPEC_TYPES.contains(&t.as_str())).map(|(t, n)| (t.clone(), *n)).collect()
    }
}

/// Tuning for [`read_with`].
#[derive(Debug, Clone, Copy)]
pub struct StixOptions {
    /// Description bytes kept in memory before the rest goes to a temporary file.
    pub text_budget: usize,
}

impl Default for StixOptions {
    fn default() -> Self {
        StixOptions { text_budget: 32 << 20 }
    }
}

/// Streams a STIX bundle into `sink` (the [`crate::read_into`] entry point).
pub fn read(path: &Path, input: &mut dyn Read, total: u64, sink: &mut dyn Sink) -> Result<(), IngestError> {
    read_with(path, input, total, sink, StixOptions::default()).map(|_| ())
}

/// Counts bytes pulled from the input, for progress (it runs ahead of the parser by at most the
/// read buffer).
struct Counting<'a> {
    inner: &'a mut dyn Read,
    consumed: Rc<Cell<u64>>,
}

impl Read for Counting<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.consumed.set(self.consumed.get() + n as u64);
        Ok(n)
    }
}

/// [`read`] with options, returning what was seen.
pub fn read_with(
    path: &Path,
    input: &mut dyn Read,
    total: u64,
    sink: &mut dyn Sink,
    opts: StixOptions,
) -> Result<StixStats, IngestError> {
    let consumed = Rc::new(Cell::new(0u64));
    let mut input = crate::json::without_bom(input).map_err(|source| IngestError::Io { path: path.to_path_buf(), source })?;
    let mut counting = Counting { inner: &mut input, consumed: Rc::clone(&consumed) };
    let mut c = Collector::new(sink, total, consumed, opts.text_budget);
    match split::parse(&mut counting, &mut c) {
        Ok(parsed) => {
            if parsed.trailing {
                c.sink.skip(Skipped {
                    place: "after the top-level value".into(),
                    reason: "trailing data after the bundle was not read".into(),
                });
            }
            let _: Top = parsed.top;
        }
        Err(ReadError::Io(source)) => return Err(IngestError::Io { path: path.to_path_buf(), source }),
        Err(ReadError::Syntax(e)) => {
            let place = e.at(c.current);
            if c.stats.objects == 0 {
                return Err(IngestError::Invalid { path: path.to_path_buf(), place, reason: e.msg });
            }
            c.sink.skip(Skipped { place, reason: format!("invalid JSON, the rest of the file was not read: {}", e.msg) });
        }
    }
    emit::emit(&mut c, path);
    if let Some(e) = c.io_error.take() {
        return Err(IngestError::Io { path: std::env::temp_dir(), source: e });
    }
    c.stats.spilled_bytes = c.texts.spilled_bytes();
    c.sink.progress(total, total);
    Ok(c.stats)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests;
