#![no_main]
//! Feeds arbitrary text to the slice-filter grammar shared by the finding commands and the API:
//! comma lists (`split_list`), `--vertical` (`tech` expands), `--asset` (`any` or codes),
//! `--sponsorship`, `--type`, `--period FROM:TO`, `--since`/`--until`. One input line per flag.
//! Any panic is a bug; parsed values must print back to what parses to them, and the filters built
//! from them must describe themselves and produce SQL without panicking.

use libfuzzer_sys::fuzz_target;
use spyglass_model::query::{
    AssetFilter, Filters, check_years, parse_assets, parse_sponsorships, parse_types, parse_verticals, parse_year_range,
    split_list,
};
use spyglass_model::{AiAsset, IncidentType, Sponsorship, Vertical};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let mut next = || lines.next().unwrap_or("");
    let (vert, asset, spons, types, period, since, until, sources) =
        (next(), next(), next(), next(), next(), next(), next(), next());

    let items = split_list(vert);
    assert!(items.iter().all(|i| !i.is_empty() && i.trim() == i), "split_list({vert:?}) = {items:?}");
    let verticals = parse_verticals(&items).ok();
    if let Some(vs) = &verticals {
        for v in vs {
            assert_eq!(v.as_str().parse::<Vertical>().ok(), Some(*v), "vertical {v:?} does not round-trip");
        }
        assert!(vs.windows(2).all(|w| w[0] != w[1]), "adjacent duplicate verticals from {vert:?}");
        if !items.iter().any(|i| i.eq_ignore_ascii_case("tech")) {
            assert!(vs.len() <= items.len(), "{vert:?} gave more verticals than items");
        }
    }

    let items = split_list(asset);
    let assets = parse_assets(&items).ok().flatten();
    match &assets {
        None => {}
        Some(AssetFilter::Any) => assert!(items.iter().any(|i| i.eq_ignore_ascii_case("any"))),
        Some(AssetFilter::OneOf(list)) => {
            assert_eq!(list.len(), items.len(), "{asset:?}");
            for a in list {
                assert_eq!(a.as_str().parse::<AiAsset>().ok(), Some(*a), "asset {a:?} does not round-trip");
            }
        }
    }
    if items.is_empty() {
        assert_eq!(parse_assets(&items), Ok(None));
    }

    let sponsorship = parse_sponsorships(&split_list(spons)).unwrap_or_default();
    for s in &sponsorship {
        assert_eq!(s.as_str().parse::<Sponsorship>().ok(), Some(*s));
    }
    let types = parse_types(&split_list(types)).unwrap_or_default();
    for t in &types {
        assert_eq!(t.as_str().parse::<IncidentType>().ok(), Some(*t));
    }

    if let Ok((a, b)) = parse_year_range(period) {
        assert!(a <= b, "{period:?} gave {a}:{b}");
        assert_eq!(parse_year_range(&format!("{a}:{b}")), Ok((a, b)));
    }

    let since = since.trim().parse::<i32>().ok();
    let until = until.trim().parse::<i32>().ok();
    let years_ok = check_years(since, until).is_ok();
    assert_eq!(years_ok, !matches!((since, until), (Some(a), Some(b)) if a > b));

    let filters = Filters {
        state_sponsored: data.first().is_some_and(|b| b & 1 == 1),
        sponsorship,
        sponsors: split_list(sources).iter().map(|s| s.to_ascii_uppercase()).collect(),
        verticals: verticals.unwrap_or_default(),
        assets,
        types,
        since,
        until,
        sources: split_list(sources),
    };
    let sql = filters.slice_sql();
    assert!(sql.starts_with("SELECT DISTINCT i.incident_id FROM scoped_incidents i"), "{sql}");
    assert!(!filters.describe().is_empty());
});
