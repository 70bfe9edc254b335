//! The knobs of the synthetic case data: one row per OPERA initiative with the volumes the memo
//! reports for Copenhagen (at 5,000 citizens, the demo scale) and the shape of its enrollments.
//! Volumes are enrollment starts per year; they are turned into a per-citizen, per-year start
//! probability in [`crate::plan`], so that the expected yearly volume is `volume × citizens /
//! 5,000` whatever the number of years. Figures marked "tuned" were calibrated so that the
//! memo's own measures (docs/domain.md §7) come out near the memo's numbers.

/// What happens around an enrollment besides its offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Story {
    /// Remand, conviction and release; the enrollment starts "behind the wall" and the release
    /// falls inside it (DOMTE).
    Custody,
    /// An SSP category 3 or 4 assessment just before the start (SSP+).
    SspCase,
    /// Nothing else.
    Plain,
    /// A leisure-job placement drives the enrollment (FRITIDSJOB); never started on its own.
    Placement,
}

/// One OPERA initiative's synthetic behaviour.
#[derive(Debug)]
pub(crate) struct Programme {
    pub code: &'static str,
    pub story: Story,
    /// Enrollment starts per year at 5,000 citizens (placements for FRITIDSJOB).
    pub starts_per_year: f64,
    /// Capacity-managed: this many places at 5,000 citizens, filled one enrollment after
    /// another (see [`crate::places`]) instead of `starts_per_year`.
    pub places: f64,
    /// Age band in months `[min, max)` when the seed gives none.
    pub assumed_band: (u32, u32),
    /// Planned length of an enrollment in days (from release for [`Story::Custody`]).
    pub duration_days: (i64, i64),
    pub p_no_offer: f64,
    pub max_offers: u32,
    pub offer_types: &'static [(&'static str, u32)],
    pub offer_days: (i64, i64),
    /// Chance that the enrollment ends in job or education (a positive end reason).
    pub p_success: f64,
    /// Chance that a recorded follow-up has a positive status (raised after a positive end).
    pub p_follow_up_positive: f64,
    /// Share of enrollments where BIF holds the case; the rest go to `other_leads`.
    pub p_bif_lead: f64,
    pub other_leads: &'static [&'static str],
    /// Served by the five 18+ centres rather than the JKU centres.
    pub youth_centre: bool,
}

const LAB_HEAVY: &[(&str, u32)] = &[
    ("vejledning_opkvalificering", 30),
    ("virksomhedspraktik", 25),
    ("loentilskud_privat", 8),
    ("loentilskud_offentlig", 6),
    ("nytteindsats", 8),
    ("jobrotation", 2),
    ("mentorstoette", 12),
    ("uddannelsesrettet", 6),
    ("andet_kommunalt", 3),
];

const MIXED: &[(&str, u32)] = &[
    ("vejledning_opkvalificering", 25),
    ("virksomhedspraktik", 15),
    ("loentilskud_privat", 4),
    ("loentilskud_offentlig", 4),
    ("nytteindsats", 6),
    ("mentorstoette", 20),
    ("uddannelsesrettet", 16),
    ("andet_kommunalt", 10),
];

/// The OPERA initiatives (data source `opera` in the seed), in a fixed order.
pub(crate) const PROGRAMMES: &[Programme] = &[
    Programme {
        code: "KRIMITEAM",
        story: Story::Plain,
        starts_per_year: 520.0, // memo: 496 started in 2012
        places: 0.0,
        assumed_band: (180, 360),
        duration_days: (20, 190),
        p_no_offer: 0.55,
        max_offers: 2,
        offer_types: MIXED,
        offer_days: (14, 120),
        p_success: 0.3,
        p_follow_up_positive: 0.45,
        p_bif_lead: 1.0,
        other_leads: &[],
        youth_centre: false,
    },
    Programme {
        code: "SSPPLUS",
        story: Story::SspCase,
        starts_per_year: 115.0, // tuned: ≈ 100 youths with offers a year (C1)
        places: 0.0,
        assumed_band: (210, 300),
        duration_days: (120, 540),
        p_no_offer: 0.08,
        max_offers: 3,
        offer_types: MIXED,
        offer_days: (30, 180),
        p_success: 0.5,
        p_follow_up_positive: 0.5,
        p_bif_lead: 0.85,
        other_leads: &["Socialforvaltningen", "SSP København", "BUF"],
        youth_centre: false,
    },
    Programme {
        code: "DOMTE",
        story: Story::Custody,
        starts_per_year: 620.0, // tuned: ≈ 600 youths with offers a year (C3)
        places: 0.0,
        assumed_band: (216, 360),
        duration_days: (30, 200),
        p_no_offer: 0.07,
        max_offers: 3,
        offer_types: LAB_HEAVY,
        offer_days: (21, 150),
        p_success: 0.3,
        p_follow_up_positive: 0.48,
        p_bif_lead: 0.95,
        other_leads: &["Kriminalforsorgen", "Socialforvaltningen"],
        youth_centre: false,
    },
    Programme {
        code: "FRITIDSJOB",
        story: Story::Placement,
        starts_per_year: 230.0, // memo: at least 200 placed a year (C5)
        places: 0.0,
        assumed_band: (156, 216),
        duration_days: (0, 0),
        p_no_offer: 1.0,
        max_offers: 0,
        offer_types: MIXED,
        offer_days: (0, 0),
        p_success: 0.1,
        p_follow_up_positive: 0.6,
        p_bif_lead: 1.0,
        other_leads: &[],
        youth_centre: false,
    },
    Programme {
        code: "EXIT",
        story: Story::Plain,
        starts_per_year: 0.0,
        places: 28.0, // 25 full-year places; with the gaps between enrollments ≈ 26 active (C7)
        assumed_band: (216, 312),
        duration_days: (240, 480),
        p_no_offer: 0.35,
        max_offers: 2,
        offer_types: LAB_HEAVY,
        offer_days: (30, 150),
        p_success: 0.35,
        p_follow_up_positive: 0.5,
        p_bif_lead: 1.0,
        other_leads: &[],
        youth_centre: false,
    },
    Programme {
        code: "UDGAAENDE",
        story: Story::Plain,
        starts_per_year: 300.0,
        places: 0.0,
        assumed_band: (216, 360),
        duration_days: (45, 300),
        p_no_offer: 0.12,
        max_offers: 2,
        offer_types: LAB_HEAVY,
        offer_days: (14, 120),
        p_success: 0.35,
        p_follow_up_positive: 0.58,
        p_bif_lead: 0.9,
        other_leads: &["Socialforvaltningen", "Hotspot Nørrebro"],
        youth_centre: true,
    },
];

/// Index of FRITIDSJOB in [`PROGRAMMES`]: its enrollments only come with placements.
pub(crate) const FRITIDSJOB: usize = 3;

/// End reasons of an enrollment that did not end in job or education, with weights.
pub(crate) const NEGATIVE_ENDS: &[(&str, u32)] = &[
    ("planmaessigt_afsluttet", 30),
    ("frafald_udeblivelse", 22),
    ("overgang_andet_tilbud", 12),
    ("selvforsoergelse_anden", 8),
    ("frihedsberoevelse", 10),
    ("sygdom", 6),
    ("flytning_ud_af_kommunen", 7),
    ("andet", 4),
    ("doedsfald", 1),
];

/// End reasons of an offer.
pub(crate) const OFFER_ENDS: &[(&str, u32)] = &[
    ("planmaessigt_afsluttet", 60),
    ("frafald_udeblivelse", 15),
    ("overgang_andet_tilbud", 10),
    ("ordinaer_beskaeftigelse", 5),
    ("uddannelse_paabegyndt", 5),
    ("sygdom", 5),
];

pub(crate) const POSITIVE_STATUSES: &[(&str, u32)] =
    &[("beskaeftiget", 35), ("i_uddannelse", 30), ("positiv_kontakt", 35)];

pub(crate) const NEGATIVE_STATUSES: &[(&str, u32)] =
    &[("ingen_kontakt", 50), ("frihedsberoevet", 18), ("fraflyttet", 10), ("ukendt", 22)];

/// Out-of-band ages: a start up to this many months outside the band is still possible …
pub(crate) const NEAR_BAND_MONTHS: i32 = 24;
/// … with this chance relative to an in-band start (real data has a few such cases).
pub(crate) const P_NEAR_BAND: f64 = 0.04;
/// Chance that an end date is the last day of its month.
pub(crate) const P_MONTH_END: f64 = 0.12;
/// Chance per citizen that one ended enrollment gets a corrected end date in `opera_rettelser/`.
pub(crate) const P_CORRECTION: f64 = 0.005;
/// Share of leisure-job placements that also have a FRITIDSJOB enrollment in OPERA.
pub(crate) const P_PLACEMENT_ENROLLMENT: f64 = 0.25;
/// Share of citizens with a home area in `borgere.csv`.
pub(crate) const P_KNOWN_AREA: f64 = 0.9;
/// Share of male citizens: the memo's target groups are mostly young men.
pub(crate) const P_MALE: f64 = 0.72;
