//! Options shared by the finding commands: slice filters, policy, interval.

use spyglass_analysis::filter::{Filters, check_years, parse_assets, parse_sponsorships, parse_types, parse_verticals};
use spyglass_model::{Policy, SecondarySponsors, Sponsorship};
use spyglass_stats::IntervalMethod;

use crate::BadInput;

/// Which incidents to look at.
#[derive(Debug, Clone, clap::Args)]
pub struct FilterArgs {
    /// Only incidents with at least one state sponsor under the policy
    #[arg(long)]
    pub state_sponsored: bool,
    /// Only incidents attributed with one of these sponsorships (state, state-affiliated, criminal, hacktivist, unknown)
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub sponsorship: Vec<String>,
    /// Only incidents against these verticals (codes, or `tech` for every technology vertical)
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub vertical: Vec<String>,
    /// Only incidents after AI assets: `any` or a list (model_weights, training_data, algorithms_code, ml_infrastructure)
    #[arg(long, value_name = "any|LIST", value_delimiter = ',')]
    pub asset: Vec<String>,
    /// Only incidents of these types (data_theft, espionage, disruption, …)
    #[arg(long = "type", value_name = "LIST", value_delimiter = ',')]
    pub types: Vec<String>,
    /// First year (incident start date), inclusive
    #[arg(long, value_name = "YEAR")]
    pub since: Option<i32>,
    /// Last year (incident start date), inclusive
    #[arg(long, value_name = "YEAR")]
    pub until: Option<i32>,
    /// Only incidents from these sources (name or id)
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub source: Vec<String>,
}

impl FilterArgs {
    pub fn filters(&self) -> Result<Filters, BadInput> {
        check_years(self.since, self.until).map_err(BadInput)?;
        let sponsorship = parse_sponsorships(&self.sponsorship).map_err(|e| BadInput(format!("--sponsorship: {e}")))?;
        let types = parse_types(&self.types).map_err(|e| BadInput(format!("--type: {e}")))?;
        Ok(Filters {
            state_sponsored: self.state_sponsored,
            sponsorship,
            sponsors: Vec::new(),
            verticals: parse_verticals(&self.vertical).map_err(|e| BadInput(format!("--vertical: {e}")))?,
            assets: parse_assets(&self.asset).map_err(|e| BadInput(format!("--asset: {e}")))?,
            types,
            since: self.since,
            until: self.until,
            sources: self.source.clone(),
        })
    }
}

/// The policy: what counts as a state sponsor and which labels count.
#[derive(Debug, Clone, clap::Args)]
pub struct PolicyArgs {
    /// Ignore attributions below this confidence (0–100)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub min_confidence: Option<u8>,
    /// Count only `state` as state sponsorship (default: state and state-affiliated)
    #[arg(long)]
    pub state_only: bool,
    /// Sponsors of actors resolved through the knowledge base: off, fill (where the source names none), add
    #[arg(long, value_name = "off|fill|add", default_value = "off")]
    pub kb_sponsors: String,
    /// Sponsors found in descriptions by text extraction: off, fill, add
    #[arg(long, value_name = "off|fill|add", default_value = "off")]
    pub text_sponsors: String,
    /// Use only structured verticals and assets (default: text labels where the structured fields give none)
    #[arg(long)]
    pub structured_only: bool,
    /// Do not use the vertical of the listed company a victim was linked to (`companies link`)
    #[arg(long)]
    pub no_company_verticals: bool,
    /// Count exercises and red-team case studies as incidents
    #[arg(long)]
    pub include_exercises: bool,
    /// Count every source's report of an operation separately (do not collapse same-as groups)
    #[arg(long)]
    pub no_collapse: bool,
    /// Scored same-as candidates at or above this (0–100) count as one operation; `confirmed`: only
    /// analyst-confirmed pairs
    #[arg(long, value_name = "N|confirmed", default_value = "85")]
    pub duplicate_min_score: String,
    /// Leave out claims marked above this TLP level (clear, green, amber, amber+strict, red), as a
    /// reader with that clearance would see the data; unmarked claims count as clear
    #[arg(long, value_name = "LEVEL")]
    pub tlp: Option<String>,
}

impl PolicyArgs {
    pub fn policy(&self) -> Result<Policy, BadInput> {
        let mut p = Policy { min_confidence: self.min_confidence, ..Policy::default() };
        if self.state_only {
            p.state_sponsorships = vec![Sponsorship::State];
        }
        p.kb_sponsors = self.kb_sponsors.parse::<SecondarySponsors>().map_err(|e| BadInput(format!("--kb-sponsors: {e}")))?;
        p.text_sponsors =
            self.text_sponsors.parse::<SecondarySponsors>().map_err(|e| BadInput(format!("--text-sponsors: {e}")))?;
        p.text_labels = !self.structured_only;
        p.include_exercises = self.include_exercises;
        p.company_verticals = !self.no_company_verticals;
        p.collapse_duplicates = !self.no_collapse;
        p.tlp_clearance = match &self.tlp {
            None => None,
            Some(t) => Some(t.parse::<spyglass_model::Tlp>().map_err(|e| BadInput(format!("--tlp: {e}")))?),
        };
        p.duplicate_min_score = match self.duplicate_min_score.as_str() {
            "confirmed" => None,
            s => Some(
                s.parse::<u8>()
                    .ok()
                    .filter(|v| *v <= 100)
                    .ok_or_else(|| BadInput(format!("--duplicate-min-score {s:?}: expected 0–100 or `confirmed`")))?,
            ),
        };
        Ok(p)
    }
}

/// Interval method and level.
#[derive(Debug, Clone, clap::Args)]
pub struct IntervalArgs {
    /// Interval method: wilson, clopper-pearson, bootstrap
    #[arg(long, default_value = "wilson")]
    pub interval: String,
    /// Bootstrap resamples
    #[arg(long, default_value_t = IntervalMethod::DEFAULT_RESAMPLES)]
    pub resamples: u32,
    /// Bootstrap seed
    #[arg(long, default_value_t = IntervalMethod::DEFAULT_SEED)]
    pub seed: u64,
    /// Confidence level of the intervals
    #[arg(long, default_value_t = 0.95)]
    pub level: f64,
}

impl IntervalArgs {
    pub fn method(&self) -> Result<IntervalMethod, BadInput> {
        let m: IntervalMethod = self.interval.parse().map_err(|e| BadInput(format!("--interval: {e}")))?;
        Ok(match m {
            IntervalMethod::Bootstrap { .. } => IntervalMethod::Bootstrap { resamples: self.resamples, seed: self.seed },
            other => other,
        })
    }
}
