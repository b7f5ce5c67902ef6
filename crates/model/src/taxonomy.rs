//! Controlled vocabularies: sponsorship, AI assets, verticals, incident types, TLP.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ModelError;

/// Declares a string-coded enum with `as_str`, `FromStr`, `Display`, serde and `ALL`.
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident = $code:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code used in storage, JSON and on the command line.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
        }

        impl FromStr for $name {
            type Err = ModelError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let norm = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
                $(
                    if norm == $code.replace('_', "-") $(|| norm == $alias)* {
                        return Ok($name::$variant);
                    }
                )+
                Err(ModelError::UnknownValue {
                    what: $what,
                    value: s.to_string(),
                    expected: [$($code),+].join(", "),
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

coded_enum! {
    /// How an actor relates to a state.
    Sponsorship, "sponsorship" {
        State = "state" | "nation-state" | "state-sponsored",
        StateAffiliated = "state-affiliated" | "state-affiliation-suggested",
        Criminal = "criminal" | "organized-crime",
        Hacktivist = "hacktivist",
        Unknown = "unknown",
    }
}

impl Sponsorship {
    /// The default policy's notion of a state sponsor: state or state-affiliated.
    pub fn is_state_backed(self) -> bool {
        matches!(self, Sponsorship::State | Sponsorship::StateAffiliated)
    }
}

coded_enum! {
    /// AI assets sought, per design.md's ATLAS-linked taxonomy.
    AiAsset, "AI asset" {
        /// Trained weights/checkpoints; a model copied, extracted or distilled.
        ModelWeights = "model_weights",
        /// Training/evaluation datasets, labelled data, data pipelines.
        TrainingData = "training_data",
        /// Proprietary AI algorithms, architectures, AI source code, AI research IP.
        AlgorithmsCode = "algorithms_code",
        /// GPU/accelerator clusters, ML platforms and frameworks, AI chip designs.
        MlInfrastructure = "ml_infrastructure",
    }
}

coded_enum! {
    /// Victim verticals: the technology ones the product is about, then the other sectors.
    Vertical, "vertical" {
        Software = "software",
        CloudHosting = "cloud_hosting",
        Semiconductors = "semiconductors",
        AiResearch = "ai_research",
        Telecom = "telecom",
        HardwareElectronics = "hardware_electronics",
        OtherTech = "other_tech",
        Government = "government",
        Defence = "defence" | "defense",
        Finance = "finance",
        Energy = "energy",
        Health = "health" | "healthcare",
        Transportation = "transportation",
        Manufacturing = "manufacturing",
        Education = "education",
        Research = "research" | "science",
        Media = "media",
        CivilSociety = "civil_society",
        Water = "water",
        Chemicals = "chemicals",
        Food = "food",
        Space = "space",
        Retail = "retail",
        Other = "other",
    }
}

impl Vertical {
    /// The technology verticals ("tech firms" in vendor claims).
    pub fn is_tech(self) -> bool {
        matches!(
            self,
            Vertical::Software
                | Vertical::CloudHosting
                | Vertical::Semiconductors
                | Vertical::AiResearch
                | Vertical::Telecom
                | Vertical::HardwareElectronics
                | Vertical::OtherTech
        )
    }
}

coded_enum! {
    /// What an operation did, normalised across sources.
    IncidentType, "incident type" {
        DataTheft = "data_theft",
        Espionage = "espionage",
        Doxing = "doxing",
        Disruption = "disruption",
        Hijacking = "hijacking",
        Ransomware = "ransomware",
        Destruction = "destruction",
        Defacement = "defacement",
        FinancialTheft = "financial_theft",
        Sabotage = "sabotage",
        Other = "other",
    }
}

coded_enum! {
    /// Traffic Light Protocol 2.0 (FIRST); TLP 1.0 WHITE reads as CLEAR.
    Tlp, "TLP marking" {
        Clear = "clear" | "white" | "tlp:clear" | "tlp:white",
        Green = "green" | "tlp:green",
        Amber = "amber" | "tlp:amber",
        AmberStrict = "amber+strict" | "tlp:amber+strict",
        Red = "red" | "tlp:red",
    }
}

impl Tlp {
    /// The markings a reader cleared for `self` may see (TLP is ordered CLEAR < GREEN < AMBER <
    /// AMBER+STRICT < RED; each level includes the ones below it).
    pub fn visible(self) -> &'static [Tlp] {
        let i = Tlp::ALL.iter().position(|t| *t == self).unwrap_or(0);
        &Tlp::ALL[..=i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for v in Sponsorship::ALL {
            assert_eq!(v.as_str().parse::<Sponsorship>(), Ok(*v));
        }
        for v in AiAsset::ALL {
            assert_eq!(v.as_str().parse::<AiAsset>(), Ok(*v));
        }
        for v in Vertical::ALL {
            assert_eq!(v.as_str().parse::<Vertical>(), Ok(*v));
        }
        for v in Tlp::ALL {
            assert_eq!(v.as_str().parse::<Tlp>(), Ok(*v));
        }
    }

    #[test]
    fn tlp_clearance_includes_lower_levels() {
        assert_eq!(Tlp::Clear.visible(), &[Tlp::Clear]);
        assert_eq!(Tlp::Amber.visible(), &[Tlp::Clear, Tlp::Green, Tlp::Amber]);
        assert!(!Tlp::AmberStrict.visible().contains(&Tlp::Red));
        assert_eq!(Tlp::Red.visible().len(), 5);
    }

    #[test]
    fn aliases_and_case() {
        assert_eq!("State-Affiliated".parse::<Sponsorship>(), Ok(Sponsorship::StateAffiliated));
        assert_eq!("state_affiliated".parse::<Sponsorship>(), Ok(Sponsorship::StateAffiliated));
        assert_eq!("TLP:WHITE".parse::<Tlp>(), Ok(Tlp::Clear));
        assert_eq!("Model Weights".parse::<AiAsset>(), Ok(AiAsset::ModelWeights));
        assert!("spy".parse::<Sponsorship>().is_err());
    }

    #[test]
    fn unknown_value_names_expected() {
        let err = "weights".parse::<AiAsset>().unwrap_err().to_string();
        assert!(err.contains("model_weights"), "{err}");
    }
}
