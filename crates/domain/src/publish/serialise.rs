//! The JSON of published figures (docs/formats.md, "Results"): a withheld figure is `null`, its
//! field is named in `suppressed`, and `withheld` says why (`small`: `<5`; `protects`: `·`).

use super::{Cell, Field, Mark, Published, PublishedFigure, PublishedGroup, PublishedResult};
use serde::ser::{SerializeMap, SerializeStruct, Serializer};
use serde::Serialize;

impl<T: Serialize> Serialize for Cell<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Shown(v) => v.serialize(s),
            _ => s.serialize_none(),
        }
    }
}

/// The withheld fields with their marks, in field order.
struct Withheld(Vec<(Field, Mark)>);

impl Withheld {
    fn of(fields: &[(Field, Option<Mark>)]) -> Self {
        Self(fields.iter().filter_map(|&(f, m)| m.map(|m| (f, m))).collect())
    }

    fn names(&self) -> Vec<&'static str> {
        self.0.iter().map(|(f, _)| f.code()).collect()
    }
}

impl Serialize for Withheld {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (field, mark) in &self.0 {
            map.serialize_entry(field.code(), mark.code())?;
        }
        map.end()
    }
}

impl PublishedGroup {
    /// The fields withheld, with their marks.
    pub fn withheld(&self) -> Vec<(Field, Mark)> {
        Withheld::of(&[
            (Field::Value, self.value.mark()),
            (Field::Numerator, self.numerator.mark()),
            (Field::Denominator, self.denominator.mark()),
            (Field::Unknown, self.unknown.mark()),
            (Field::Interval, self.interval.mark()),
        ])
        .0
    }
}

impl PublishedResult {
    /// The fields withheld, with their marks.
    pub fn withheld(&self) -> Vec<(Field, Mark)> {
        Withheld::of(&[
            (Field::Value, self.value.mark()),
            (Field::Numerator, self.numerator.mark()),
            (Field::Denominator, self.denominator.mark()),
            (Field::Unknown, self.unknown.mark()),
            (Field::PendingMembers, self.pending_members.mark()),
            (Field::Interval, self.interval.mark()),
            (Field::Projection, self.projection.mark()),
        ])
        .0
    }
}

impl Serialize for PublishedGroup {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let withheld = Withheld(self.withheld());
        let mut st = s.serialize_struct("Group", 8)?;
        st.serialize_field("group", &self.group)?;
        st.serialize_field("value", &self.value)?;
        st.serialize_field("numerator", &self.numerator)?;
        st.serialize_field("denominator", &self.denominator)?;
        st.serialize_field("unknown", &self.unknown)?;
        st.serialize_field("interval", &self.interval)?;
        st.serialize_field("suppressed", &withheld.names())?;
        st.serialize_field("withheld", &withheld)?;
        st.end()
    }
}

impl Serialize for PublishedResult {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let withheld = Withheld(self.withheld());
        let mut st = s.serialize_struct("Result", 18)?;
        st.serialize_field("criterion", &self.criterion)?;
        st.serialize_field("initiative", &self.initiative)?;
        st.serialize_field("kind", &self.kind)?;
        st.serialize_field("status", &self.status)?;
        st.serialize_field("value", &self.value)?;
        st.serialize_field("numerator", &self.numerator)?;
        st.serialize_field("denominator", &self.denominator)?;
        st.serialize_field("unknown", &self.unknown)?;
        st.serialize_field("target", &self.target)?;
        st.serialize_field("interval", &self.interval)?;
        st.serialize_field("text", &self.text)?;
        if self.projection != Cell::Absent {
            st.serialize_field("projection", &self.projection)?;
        }
        st.serialize_field("pending_members", &self.pending_members)?;
        if let Some(by) = &self.by {
            st.serialize_field("by", by)?;
        }
        if !self.breakdown.is_empty() {
            st.serialize_field("breakdown", &self.breakdown)?;
        }
        if self.breakdown_withheld {
            st.serialize_field("breakdown_withheld", &true)?;
        }
        st.serialize_field("suppressed", &withheld.names())?;
        st.serialize_field("withheld", &withheld)?;
        st.end()
    }
}

impl Serialize for PublishedFigure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Figure", 5)?;
        st.serialize_field("initiative", &self.initiative)?;
        st.serialize_field("figure", &self.figure)?;
        st.serialize_field("value", &self.value)?;
        st.serialize_field("text", &self.text)?;
        if let Some(mark) = self.value.mark() {
            st.serialize_field("withheld", mark.code())?;
        }
        st.end()
    }
}

impl Serialize for Published {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Results", 7)?;
        st.serialize_field("period", &self.period)?;
        st.serialize_field("as_of", &self.as_of)?;
        if let Some(asked) = &self.asked_as_of {
            st.serialize_field("asked_as_of", asked)?;
        }
        st.serialize_field("results", &self.results)?;
        if !self.descriptive.is_empty() {
            st.serialize_field("descriptive", &self.descriptive)?;
        }
        st.serialize_field("threshold", &self.threshold)?;
        st.serialize_field("raw", &self.raw)?;
        st.end()
    }
}
