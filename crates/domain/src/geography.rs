//! Districts (bydele) and areas (områder): the 12 districts of Copenhagen and the areas the memo
//! names, with the fixed ids of docs/formats.md. Further areas arrive with the area data.

use serde::{Deserialize, Serialize};

/// One of the 12 districts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct District {
    pub id: String,
    pub name: String,
}

/// A local area, housing estate or hotspot area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    pub id: String,
    pub name: String,
    /// The district id the area lies in.
    pub district: String,
    /// The memo's words that name the area, verbatim.
    #[serde(default)]
    pub memo_wording: String,
}

/// Districts and areas together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Geography {
    pub districts: Vec<District>,
    pub areas: Vec<Area>,
}

impl Geography {
    /// An area's name for a reader; an id no area has (data older than the geography) is shown
    /// as it is, so nothing disappears.
    pub fn area_name(&self, id: &str) -> String {
        self.areas.iter().find(|a| a.id == id).map_or_else(|| id.to_owned(), |a| a.name.clone())
    }
}
