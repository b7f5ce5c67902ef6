//! Slice filters shared by findings, turned into SQL over the `incidents` view.

use serde::Serialize;

use crate::sqlutil::lit;

/// Which incidents a finding looks at.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Filters {
    /// Only incidents with at least one state sponsor under the policy.
    pub state_sponsored: bool,
    /// First year (by start date), inclusive. Incidents without a start date are left out when set.
    pub since: Option<i32>,
    /// Last year (by start date), inclusive.
    pub until: Option<i32>,
    /// Source names or ids (case-insensitive); empty means every source.
    pub sources: Vec<String>,
}

impl Filters {
    /// SQL selecting the distinct incident ids of the slice.
    pub fn slice_sql(&self) -> String {
        let mut cond = Vec::new();
        if let Some(y) = self.since {
            cond.push(format!("i.start_date >= DATE '{y:04}-01-01'"));
        }
        if let Some(y) = self.until {
            cond.push(format!("i.start_date < DATE '{:04}-01-01'", y + 1));
        }
        if !self.sources.is_empty() {
            let names: Vec<String> = self.sources.iter().map(|s| lit(&s.to_lowercase())).collect();
            let names = names.join(", ");
            cond.push(format!(
                "i.source_id IN (SELECT source_id FROM sources WHERE lower(name) IN ({names}) OR lower(source_id) IN ({names}))"
            ));
        }
        if self.state_sponsored {
            cond.push("i.incident_id IN (SELECT incident_id FROM incident_sponsors)".into());
        }
        let where_ = if cond.is_empty() { String::new() } else { format!(" WHERE {}", cond.join(" AND ")) };
        format!("SELECT DISTINCT i.incident_id FROM incidents i{where_}")
    }

    /// A short human description, e.g. `state-sponsored, 2018–, source EuRepoC`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.state_sponsored {
            parts.push("state-sponsored".to_string());
        }
        match (self.since, self.until) {
            (Some(a), Some(b)) => parts.push(format!("{a}–{b}")),
            (Some(a), None) => parts.push(format!("{a}–")),
            (None, Some(b)) => parts.push(format!("–{b}")),
            (None, None) => {}
        }
        if !self.sources.is_empty() {
            parts.push(format!("source {}", self.sources.join(", ")));
        }
        if parts.is_empty() { "all incidents".into() } else { parts.join(", ") }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slice_sql_escapes_and_combines() {
        let f = Filters { state_sponsored: true, since: Some(2018), until: Some(2020), sources: vec!["O'Brien".into()] };
        let sql = f.slice_sql();
        assert!(sql.contains("'o''brien'"), "{sql}");
        assert!(sql.contains("DATE '2018-01-01'") && sql.contains("DATE '2021-01-01'"), "{sql}");
        assert!(sql.contains("incident_sponsors"));
        assert_eq!(Filters::default().slice_sql(), "SELECT DISTINCT i.incident_id FROM incidents i");
    }
}
