//! Estimative language (ICD 203, as in the MISP `estimative-language:likelihood-probability` tags).

use serde::Serialize;

/// One term of the likelihood scale, with the probability band it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Likelihood {
    AlmostNoChance,
    VeryUnlikely,
    Unlikely,
    RoughlyEvenChance,
    Likely,
    VeryLikely,
    AlmostCertain,
}

impl Likelihood {
    /// Every term, from least to most likely.
    pub const ALL: &'static [Likelihood] = &[
        Likelihood::AlmostNoChance,
        Likelihood::VeryUnlikely,
        Likelihood::Unlikely,
        Likelihood::RoughlyEvenChance,
        Likelihood::Likely,
        Likelihood::VeryLikely,
        Likelihood::AlmostCertain,
    ];

    /// The MISP taxonomy value.
    pub fn as_str(self) -> &'static str {
        match self {
            Likelihood::AlmostNoChance => "almost-no-chance",
            Likelihood::VeryUnlikely => "very-unlikely",
            Likelihood::Unlikely => "unlikely",
            Likelihood::RoughlyEvenChance => "roughly-even-chance",
            Likelihood::Likely => "likely",
            Likelihood::VeryLikely => "very-likely",
            Likelihood::AlmostCertain => "almost-certain",
        }
    }

    /// Parses a term (`likely`, `Very Likely`) or a whole MISP tag
    /// (`estimative-language:likelihood-probability="likely"`).
    pub fn parse(s: &str) -> Option<Likelihood> {
        let value = s.rsplit('=').next().unwrap_or(s);
        let norm = value.trim().trim_matches('"').to_ascii_lowercase().replace([' ', '_'], "-");
        Likelihood::ALL.iter().copied().find(|l| l.as_str() == norm)
    }

    /// The probability band in percent (ICD 203): e.g. likely = 55–80 %.
    pub fn band(self) -> (u8, u8) {
        match self {
            Likelihood::AlmostNoChance => (1, 5),
            Likelihood::VeryUnlikely => (5, 20),
            Likelihood::Unlikely => (20, 45),
            Likelihood::RoughlyEvenChance => (45, 55),
            Likelihood::Likely => (55, 80),
            Likelihood::VeryLikely => (80, 95),
            Likelihood::AlmostCertain => (95, 99),
        }
    }

    /// The STIX 2.1 confidence range for this term (STIX 2.1 appendix, estimative-language scale).
    pub fn stix_confidence_range(self) -> (u8, u8) {
        match self {
            Likelihood::AlmostNoChance => (0, 4),
            Likelihood::VeryUnlikely => (5, 19),
            Likelihood::Unlikely => (20, 39),
            Likelihood::RoughlyEvenChance => (40, 59),
            Likelihood::Likely => (60, 79),
            Likelihood::VeryLikely => (80, 94),
            Likelihood::AlmostCertain => (95, 100),
        }
    }

    /// How much a `similar` link of this likelihood counts when attaching one source's record to
    /// another's actor: unlikely terms count for nothing.
    pub(crate) fn attach_weight(self) -> u32 {
        match self {
            Likelihood::AlmostCertain => 90,
            Likelihood::VeryLikely => 80,
            Likelihood::Likely => 60,
            Likelihood::RoughlyEvenChance => 40,
            _ => 0,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn parses_misp_tags() {
        let tag = "estimative-language:likelihood-probability=\"very-likely\"";
        assert_eq!(Likelihood::parse(tag), Some(Likelihood::VeryLikely));
        assert_eq!(Likelihood::parse("Almost certain"), Some(Likelihood::AlmostCertain));
        assert_eq!(Likelihood::parse("maybe"), None);
    }

    #[test]
    fn bands_are_ordered_and_within_stix_ranges() {
        for w in Likelihood::ALL.windows(2) {
            assert!(w[0].band().1 <= w[1].band().1);
            assert!(w[0].stix_confidence_range().1 < w[1].stix_confidence_range().0);
        }
        for l in Likelihood::ALL {
            assert_eq!(Likelihood::parse(l.as_str()), Some(*l));
        }
    }
}
