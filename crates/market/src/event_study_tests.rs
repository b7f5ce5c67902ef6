use super::*;
use crate::prices;

struct RefEvent {
    ticker: &'static str,
    date: &'static str,
    alpha: f64,
    beta: f64,
    sigma: f64,
    n_est: usize,
    est_missing: usize,
    /// (day, AR) for the days with a return
    ars: &'static [(i32, f64)],
    /// (window, CAR, t, SCAR, L)
    windows: &'static [(&'static str, f64, f64, f64, usize)],
}

// reference-table begin: market_event_study (tests/reference/market_event_study.py)
const EVENTS: &[RefEvent] = &[
    RefEvent {
        ticker: "FB",
        date: "2018-09-28",
        alpha: -0.00041330739185580146,
        beta: 1.315878571912624,
        sigma: 0.018841718550520227,
        n_est: 221,
        est_missing: 0,
        ars: &[(-1, 0.008097908528121773), (0, -0.025519311231814654), (1, -0.016660592464843173), (2, -0.018210230703500113), (3, 0.018933450159951893), (4, -0.010876827390561), (5, -0.0018813459335755038), (6, 0.000424735588281603), (7, 0.006412603041597064), (8, 0.00236675304809382), (9, 0.0404985033126847), (10, -0.015737126352214144), (11, 0.006752547526959788), (12, 0.006390307711455302), (13, 0.004776510914216861), (14, -0.008875994576709137), (15, -0.004727207131055489), (16, 0.01080965669899837), (17, 0.005146505195144518), (18, -0.013056699122111305), (19, 0.009525969032339241), (20, -0.01375201274241451)],
        windows: &[("[-1,+1]", -0.03408199516853605, -1.0443447094442728, -1.0370801374564145, 3), ("[0,+5]", -0.05421485756434254, -1.1746870572893455, -1.1579647088329266, 6), ("[0,+20]", -0.017259805419075857, -0.19989675115545608, -0.1882225432312676, 21)],
    },
    RefEvent {
        ticker: "FB",
        date: "2018-03-17",
        alpha: 0.00059892289469621,
        beta: 1.2381912236485537,
        sigma: 0.010447757025004457,
        n_est: 221,
        est_missing: 0,
        ars: &[(-1, 0.0039817330795739085), (0, -0.05070820367504611), (1, -0.02799003097551875), (2, 0.009058689906401107), (3, 0.003991631958918041), (4, -0.007993486009750837), (5, -0.030021284133172496), (6, -0.028189158533913655), (7, 0.008333685806638305), (8, 0.02652584171640577), (9, -0.00047702540261605406), (10, -0.011585028229349183), (11, -0.02139020192656007), (12, 0.018240677078814965), (13, 0.013112139796567921), (14, -8.646944683540683e-05), (15, 0.023709861266698887), (16, 0.013998315981091107), (17, -0.025545641771352233), (18, 0.006941886107256081), (19, -0.008755208526299537), (20, 0.009436167656003823)],
        windows: &[("[-1,+1]", -0.07471650157099095, -4.128885481513227, -4.077071938870158, 3), ("[0,+5]", -0.10366268292816905, -4.050641012136712, -3.903453418260335, 6), ("[0,+20]", -0.07939284135561833, -1.6582447599997174, -1.5785671931707632, 21)],
    },
    RefEvent {
        ticker: "GOOGL",
        date: "2018-10-08",
        alpha: 0.00027751066925996794,
        beta: 1.4181226762138233,
        sigma: 0.009283250873179301,
        n_est: 221,
        est_missing: 0,
        ars: &[(-1, -0.00028815114269184743), (0, -0.00991551445947874), (1, -0.007566700417329084), (2, 3.792036768816842e-05), (3, 0.027597322230660828), (4, 0.006897304272861924), (5, -0.008056538825258863), (6, -0.002967998273865992), (7, -0.004764396707745501), (8, -0.006189563208466541), (9, 0.006856362222114976), (10, 0.011420590898628716), (11, 0.010724233738919526), (12, -0.008341771091036461), (13, 0.017268929128707578), (14, 0.006317014834668663), (15, -0.0362070459141309), (16, -0.00821097876526676), (17, 0.023466465643859933), (18, -0.019467745110063217), (19, -0.004662453190251348), (20, -0.022927946734962866)],
        windows: &[("[-1,+1]", -0.017770366019499672, -1.1051867223149376, -1.0967653635922816, 3), ("[0,+5]", 0.008993793169144233, 0.39551884746503985, 0.38498625482237614, 6), ("[0,+20]", -0.02869250935974596, -0.674464036747065, -0.6409328866208508, 21)],
    },
    RefEvent {
        ticker: "INTC",
        date: "2018-01-03",
        alpha: 0.00044880741664207817,
        beta: 1.117391308662378,
        sigma: 0.009391791964800278,
        n_est: 221,
        est_missing: 0,
        ars: &[(-1, 0.00522102917332363), (0, -0.04153685978127832), (1, -0.02328879891159018), (2, -0.001331046633552541), (3, -0.0023062962435824886), (4, -0.026938185010646508), (5, -0.024882366226460985), (6, 0.013103575353396865), (7, -0.011906767116062951), (8, 0.001176706106490212), (9, 0.018006189266988493), (10, 0.0033850274922552293), (11, 0.0022950570492555958), (12, 0.011286969049055042), (13, 0.0038976726716732613), (14, -0.011764229518292715), (15, -0.005736464108258024), (16, 0.09183879612353237), (17, 0.005076598416271439), (18, -0.012080062900665748), (19, -0.014317568442710212), (20, -0.009903306784483281)],
        windows: &[("[-1,+1]", -0.05960462951954487, -3.6641302348937788, -3.596348293906877, 3), ("[0,+5]", -0.12028355280711103, -5.228560746284283, -5.132562917296416, 6), ("[0,+20]", -0.035925360148665444, -0.8347242280272, -0.7926807309859017, 21)],
    },
    RefEvent {
        ticker: "AMD",
        date: "2018-03-13",
        alpha: -0.0016800543960171393,
        beta: 2.4099207673641936,
        sigma: 0.033734541623013065,
        n_est: 221,
        est_missing: 0,
        ars: &[(-1, -0.010634303308175923), (0, 0.027432426051374605), (1, -0.008579341614917671), (2, 0.012367295470185967), (3, -0.001552498306852326), (4, 0.03242368502095553), (5, -0.029887535290506945), (6, 0.01962532528806962), (7, 0.031237107808101683), (8, 0.02654407123483036), (9, -0.08164077190683391), (10, 0.0011690347424555617), (11, -0.010290991138519027), (12, -0.007039069036031409), (13, 0.00377013688570102), (14, -0.02662208847341103), (15, -0.003157575634150405), (16, 0.010729631408491883), (17, 0.013587875232438033), (18, -0.014685417872732753), (19, 0.008588709928437972), (20, -0.0010363043642187177)],
        windows: &[("[-1,+1]", 0.00821878112828101, 0.14066044085764692, 0.13835479425535563, 3), ("[0,+5]", 0.032204031330239156, 0.38972637848578395, 0.3784635449977835, 6), ("[0,+20]", 0.002983705432868031, 0.01930062995733618, 0.01802250284014076, 21)],
    },
    RefEvent {
        ticker: "ACN",
        date: "2017-10-10",
        alpha: 3.594672325834339e-06,
        beta: 0.9490381084684392,
        sigma: 0.008555053252211144,
        n_est: 221,
        est_missing: 0,
        ars: &[(-1, 0.007140152359136572), (0, 0.001661337008405002), (1, -0.006151002368263757), (2, 0.01832346870647046), (3, -0.0008369518907742579), (4, -0.0024554831992363788), (5, -0.0038053685368062804), (6, 2.0099265837397436e-05), (7, 0.00841760156751543), (8, 0.0014165893577279941), (9, 0.002619249589165904), (10, -0.004553430453583247), (11, 0.020619246318097115), (12, 0.004528547561532206), (13, 0.0015620028899415378), (14, 0.0030960051590724277), (15, -0.007390217192905138), (16, 0.0027000488411575768), (17, 0.003103638707124682), (18, 0.0013101989773589991), (19, -0.0019737409692308703), (20, -0.0028116767182296003)],
        windows: &[("[-1,+1]", 0.0026504869992778173, 0.17887198798220683, 0.17766888417670182, 3), ("[0,+5]", 0.006735999719794791, 0.32144281152902554, 0.3171449357076275, 6), ("[0,+20]", 0.039400162620377197, 1.0049990465870593, 0.9603007084225246, 21)],
    },
    RefEvent {
        ticker: "VZ",
        date: "2017-07-12",
        alpha: -0.0010428683706103586,
        beta: 0.701060072756903,
        sigma: 0.008921060015884627,
        n_est: 221,
        est_missing: 0,
        ars: &[(-1, -0.005584105110711338), (0, 0.0036151139175303743), (1, 0.005975899086145417), (2, -0.0006239967025882744), (3, 0.0033756693902483974), (4, -0.0062476085055094025), (5, -0.000647989437710739), (6, 0.018872241035118337), (7, 0.001526797035877298), (8, -0.009968092620308577), (9, 0.0051705476176232435), (10, 0.010394455026291457), (11, 0.0785267249818154), (12, 0.004702050519986583), (13, 0.011148743844344878), (14, 0.009449796372196017), (15, -0.013211363340986836), (16, 0.010871031576970239), (17, 0.005889945697856129), (18, -0.001134126118994229), (19, -0.0025859154196111126), (20, -0.006520997099443761)],
        windows: &[("[-1,+1]", 0.004006907892964453, 0.2593177656581053, 0.25724102669778026, 3), ("[0,+5]", 0.005447087748115773, 0.24927130377055376, 0.24502259487985056, 6), ("[0,+20]", 0.12857892685685085, 3.1451668408855196, 3.0047566074248313, 21)],
    },
    RefEvent {
        ticker: "CSCO",
        date: "2020-01-06",
        alpha: -0.0007845965477049263,
        beta: 1.282358728617809,
        sigma: 0.011933683052283072,
        n_est: 221,
        est_missing: 0,
        ars: &[(-1, -0.006477629634279104), (0, -0.00017731420027867649), (1, -0.0021059508328641124), (2, -0.004870418469350413), (3, -0.011958607633063799), (4, 0.0004307731022265924)],
        windows: &[("[-1,+1]", -0.008760894667421894, -0.4238511172466831, -0.42056628753344705, 3), ("[0,+5]", -0.01868151803333041, -0.7000880459519698, -0.6921816920377438, 5), ("[0,+20]", -0.01868151803333041, -0.7000880459519698, -0.6921816920377438, 5)],
    },
];
const SKIPPED: &[&str] = &["AAPL", "NVDA"];
/// (window, CAAR, BMP t, two-sided p, N)
const CAAR: &[(&str, f64, f64, f64, usize)] = &[
    ("[-1,+1]", -0.02250727636568377, -1.9957343222445736, 0.08615963270376495, 8),
    ("[0,+5]", -0.030432712420707386, -1.5704902510375656, 0.16029348562199114, 8),
    ("[0,+20]", -0.0011236549257924895, 0.022627252239479364, 0.982579101570878, 8),
];
// reference-table end: market_event_study

/// Relative difference with a floor of 1e-12 on the scale.
fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-12)
}

fn real_study() -> Option<Study> {
    let dir = spyglass_testkit::shared_data("market/prices")?;
    let idx = spyglass_testkit::shared_data("market/sp500_index_daily_2000_2020.csv")?;
    let prices = prices::read_dir(&dir).unwrap();
    let market = prices::read_csv(&idx, "^GSPC").unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/events.csv");
    let events = read_events(&path, &std::fs::read_to_string(&path).unwrap()).unwrap();
    Some(run(&events, &prices, &market, &Config::default()).unwrap())
}

/// Market-model parameters, every AR, CAR, t, SCAR, CAAR, BMP t and p equal the statsmodels
/// computation to 1e-9 relative.
#[test]
fn equals_statsmodels_reference() {
    let Some(study) = real_study() else { return };
    assert_eq!(study.events.len(), EVENTS.len());
    let skipped: Vec<&str> = study.skipped.iter().map(|s| s.ticker.as_str()).collect();
    assert_eq!(skipped, SKIPPED);
    let mut worst = 0.0f64;
    let mut check = |what: String, got: f64, want: f64| {
        let r = rel(got, want);
        worst = worst.max(r);
        assert!(r < 1e-9, "{what}: {got} vs statsmodels {want} (rel {r:e})");
    };
    for (e, r) in study.events.iter().zip(EVENTS) {
        assert_eq!((e.ticker.as_str(), e.date.to_string().as_str()), (r.ticker, r.date));
        assert_eq!((e.n_est, e.est_missing), (r.n_est, r.est_missing), "{}", r.ticker);
        check(format!("{} alpha", r.ticker), e.alpha, r.alpha);
        check(format!("{} beta", r.ticker), e.beta, r.beta);
        check(format!("{} sigma", r.ticker), e.sigma, r.sigma);
        let got: Vec<(i32, f64)> = e.ars.iter().filter_map(|a| Some((a.day, a.ar?))).collect();
        assert_eq!(got.len(), r.ars.len(), "{} AR days", r.ticker);
        for ((gd, g), (wd, w)) in got.iter().zip(r.ars) {
            assert_eq!(gd, wd);
            check(format!("{} AR day {gd}", r.ticker), *g, *w);
        }
        for (w, (label, car, t, scar, l)) in e.windows.iter().zip(r.windows) {
            assert_eq!((w.window.as_str(), w.days), (*label, *l));
            check(format!("{} CAR {label}", r.ticker), w.car.unwrap(), *car);
            check(format!("{} t {label}", r.ticker), w.t.unwrap(), *t);
            check(format!("{} SCAR {label}", r.ticker), w.scar.unwrap(), *scar);
        }
    }
    for (c, (label, caar, t, p, n)) in study.caar.iter().zip(CAAR) {
        assert_eq!((c.window.as_str(), c.n), (*label, *n));
        check(format!("CAAR {label}"), c.caar.unwrap(), *caar);
        check(format!("t_bmp {label}"), c.t_bmp.unwrap(), *t);
        check(format!("p {label}"), c.p_value.unwrap(), *p);
    }
    println!("event study: {} events, largest relative difference from statsmodels {worst:e}", EVENTS.len());
}

#[test]
fn edge_cases_reported() {
    let Some(study) = real_study() else { return };
    let fb = study.events.iter().find(|e| e.id.as_deref().is_some_and(|i| i.contains("Saturday"))).unwrap();
    assert_eq!(fb.day0.to_string(), "2018-03-19");
    let csco = study.events.iter().find(|e| e.ticker == "CSCO").unwrap();
    let w = &csco.windows[2];
    assert_eq!(w.days, 5, "days 0 … +4 (2020-01-06 … 2020-01-10) have returns");
    assert_eq!(w.missing.len(), 16);
    assert_eq!(w.missing[0], "+5 2020-01-13: no stock return");
    let reasons: Vec<&str> = study.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert!(reasons[0].starts_with("3 stock returns in the estimation window [-250,-30] (day 0 2015-03-02), at least 100 needed"), "{reasons:?}");
    assert_eq!(reasons[1], "no trading day on or after 2020-06-01 in the market data");
}

fn series(ticker: &str, start: NaiveDate, closes: &[Option<f64>]) -> PriceSeries {
    let mut s = PriceSeries { ticker: ticker.into(), closes: BTreeMap::new(), missing: vec![] };
    for (i, c) in closes.iter().enumerate() {
        let d = start + chrono::Days::new(i as u64);
        match c {
            Some(v) => {
                s.closes.insert(d, *v);
            }
            None => s.missing.push((d, "test".into())),
        }
    }
    s
}

/// A missing price removes the returns of its day and the next, in the estimation window and in
/// the event window, and the event window lists them.
#[test]
fn missing_price_removes_two_returns() {
    let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let n = 300;
    let mkt: Vec<Option<f64>> = (0..n).map(|i| Some(100.0 * (1.0 + 0.01 * ((i * 7 % 11) as f64 - 5.0) / 5.0).powi(1) + i as f64)).collect();
    let mut stock: Vec<Option<f64>> = (0..n).map(|i| Some(50.0 + (i * 13 % 17) as f64 + 0.5 * i as f64)).collect();
    stock[200] = None; // estimation window
    stock[281] = None; // day +1 of an event at 280
    let market = series("M", start, &mkt);
    let prices: BTreeMap<String, PriceSeries> = [("S".to_string(), series("S", start, &stock))].into();
    let ev = Event { ticker: "S".into(), date: start + chrono::Days::new(280), id: None };
    let cfg = Config { windows: vec![Window { a: -1, b: 1 }, Window { a: 0, b: 5 }], ..Config::default() };
    let s = run(&[ev], &prices, &market, &cfg).unwrap();
    let e = &s.events[0];
    // Days -250..-30 = positions 30..250: 221 days, minus the returns of 200 and 201.
    assert_eq!((e.n_est, e.est_missing), (219, 2));
    // Days -1 and 0 have returns; +1 (no price) and +2 (no price the day before) do not.
    assert_eq!(e.windows[0].days, 2);
    assert_eq!(e.windows[0].missing.len(), 1);
    assert!(e.windows[0].missing[0].starts_with("+1 "), "{:?}", e.windows[0].missing);
    assert_eq!(e.windows[1].days, 4);
    assert_eq!(e.windows[1].missing.len(), 2);
}

#[test]
fn windows_parse_and_label() {
    assert_eq!(Window::parse("[-1,+1]").unwrap(), Window { a: -1, b: 1 });
    assert_eq!(Window::parse("0:20").unwrap().label(), "[0,+20]");
    assert!(Window::parse("5,1").is_err());
    let cfg = Config { windows: vec![Window { a: -40, b: 1 }], ..Config::default() };
    let m = PriceSeries { ticker: "M".into(), closes: BTreeMap::new(), missing: vec![] };
    assert!(run(&[], &BTreeMap::new(), &m, &cfg).is_err());
}
