//! Small word lists that make the synthetic extract look like a Copenhagen one: Danish first and
//! last names (the youth population of the memo's areas, so names of several backgrounds),
//! leisure-job employers, and the job centre's centres with their caseworker-code prefixes
//! (the memo's "særtræk … via sagsbehandlerkoder" needs codes that map to a centre).

use rand::Rng;

pub(crate) const MALE_FIRST: &[&str] = &[
    "Mads",
    "Mikkel",
    "Jonas",
    "Frederik",
    "Emil",
    "Mathias",
    "Oliver",
    "Lucas",
    "Magnus",
    "Rasmus",
    "Kasper",
    "Nikolaj",
    "Ahmed",
    "Mohammad",
    "Ali",
    "Omar",
    "Hassan",
    "Yusuf",
    "Bilal",
    "Mustafa",
    "Adam",
    "Tobias",
    "Christian",
    "Jakob",
    "Daniel",
    "Marcus",
    "Sebastian",
    "Ibrahim",
    "Kevin",
    "Patrick",
];

pub(crate) const FEMALE_FIRST: &[&str] = &[
    "Emma", "Ida", "Sofie", "Freja", "Anna", "Laura", "Mathilde", "Julie", "Cecilie", "Maja", "Sara",
    "Amalie", "Fatima", "Aisha", "Maryam", "Yasmin", "Leila", "Nour", "Zainab", "Camilla", "Louise", "Nanna",
    "Katrine", "Line", "Josefine", "Clara",
];

pub(crate) const LAST: &[&str] = &[
    "Nielsen",
    "Jensen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
    "Karlsen",
    "Hussein",
    "Ahmed",
    "Ali",
    "Khan",
    "Yilmaz",
    "Öztürk",
    "Hassan",
    "Mahmoud",
    "Abdi",
    "Nowak",
];

pub(crate) const EMPLOYERS: &[&str] = &[
    "Netto Nørrebrogade",
    "Føtex Amagerbro",
    "Bilka Ishøj",
    "McDonald's Rådhuspladsen",
    "Burger King Valby",
    "Rema 1000 Tingbjerg",
    "Lidl Bispebjerg",
    "7-Eleven Hovedbanegården",
    "Tivoli",
    "Københavns Kommune, Park og Natur",
    "Bageriet på Blågårds Plads",
    "BK Skjold (klubhus)",
    "Fakta Husum",
    "Salling Group lager",
    "Cafe Nørrebro Bryghus",
];

/// The job centre's youth centres (JKU) and the five "18+" centres of the memo, with the
/// district ids each serves and the prefix of its caseworker codes.
pub(crate) struct Centre {
    pub name: &'static str,
    pub code_prefix: &'static str,
    pub districts: &'static [&'static str],
}

pub(crate) const JKU_CENTRES: &[Centre] = &[
    Centre {
        name: "JKU Nord",
        code_prefix: "JKU-A",
        districts: &["noerrebro", "bispebjerg", "broenshoej_husum", "vanloese"],
    },
    Centre {
        name: "JKU Syd",
        code_prefix: "JKU-B",
        districts: &["amager_oest", "amager_vest", "christianshavn"],
    },
    Centre { name: "JKU Vest", code_prefix: "JKU-C", districts: &["valby", "vesterbro", "kongens_enghave"] },
    Centre { name: "JKU City", code_prefix: "JKU-D", districts: &["indre_by", "oesterbro"] },
];

pub(crate) const YOUTH_CENTRES_18: &[Centre] = &[
    Centre {
        name: "18+ Nørrebro", code_prefix: "U18-N", districts: &["noerrebro", "oesterbro", "indre_by"]
    },
    Centre {
        name: "18+ Bispebjerg",
        code_prefix: "U18-B",
        districts: &["bispebjerg", "broenshoej_husum", "vanloese"],
    },
    Centre {
        name: "18+ Amager",
        code_prefix: "U18-A",
        districts: &["amager_oest", "amager_vest", "christianshavn"],
    },
    Centre { name: "18+ Valby", code_prefix: "U18-V", districts: &["valby", "kongens_enghave"] },
    Centre { name: "18+ Vesterbro", code_prefix: "U18-S", districts: &["vesterbro"] },
];

/// The centre serving `district`, or a random one for citizens without a known area.
pub(crate) fn centre_for<'a, R: Rng>(
    rng: &mut R,
    centres: &'a [Centre],
    district: Option<&str>,
) -> &'a Centre {
    district
        .and_then(|d| centres.iter().find(|c| c.districts.contains(&d)))
        .unwrap_or_else(|| &centres[rng.gen_range(0..centres.len())])
}

/// Picks one entry of a non-empty list.
pub(crate) fn pick<'a, R: Rng>(rng: &mut R, list: &[&'a str]) -> &'a str {
    list[rng.gen_range(0..list.len())]
}

/// Picks a code by integer weights; the list is non-empty with a positive total.
pub(crate) fn weighted<'a, R: Rng>(rng: &mut R, list: &[(&'a str, u32)]) -> &'a str {
    let total: u32 = list.iter().map(|(_, w)| w).sum();
    let mut roll = rng.gen_range(0..total.max(1));
    for (code, weight) in list {
        if roll < *weight {
            return code;
        }
        roll -= weight;
    }
    list[list.len() - 1].0
}
