//! The forms of the citizen page: record a follow-up, enroll, add or end an offer, end an
//! enrollment, record a life event or a leisure job. Field names are the store's (and the CSV
//! columns'), so an error the store reports lands beside the right field.

use super::forms::{code_options, FormView, Problems, Submitted};
use super::timeline::{enrollment_option, follow_up_option, offer_option, Labels};
use chrono::NaiveDate;
use sikkerby_domain::codes::EventKind;
use sikkerby_domain::portfolio::DataSource;
use sikkerby_store::cases::Timeline;

/// The forms of the citizen page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FormKind {
    FollowUp,
    Enroll,
    Offer,
    EndOffer,
    EndEnrollment,
    Event,
    Placement,
}

impl FormKind {
    const ALL: [FormKind; 7] = [
        FormKind::FollowUp,
        FormKind::Enroll,
        FormKind::Offer,
        FormKind::EndOffer,
        FormKind::EndEnrollment,
        FormKind::Event,
        FormKind::Placement,
    ];

    /// The field a "does not exist" from the store is reported beside.
    pub(super) fn key_field(self) -> &'static str {
        match self {
            FormKind::FollowUp => "opfoelgning_id",
            FormKind::Offer | FormKind::EndEnrollment => "forloeb_id",
            FormKind::EndOffer => "tilbud_id",
            FormKind::Enroll | FormKind::Event | FormKind::Placement => "start",
        }
    }

    /// The form's id on the page and the last part of its action.
    fn ids(self) -> (&'static str, &'static str) {
        match self {
            FormKind::FollowUp => ("opfoelgning", "opfoelgninger"),
            FormKind::Enroll => ("forloeb", "forloeb"),
            FormKind::Offer => ("tilbud", "tilbud"),
            FormKind::EndOffer => ("afslut-tilbud", "tilbud/afslut"),
            FormKind::EndEnrollment => ("afslut-forloeb", "forloeb/afslut"),
            FormKind::Event => ("haendelse", "haendelser"),
            FormKind::Placement => ("fritidsjob", "fritidsjob"),
        }
    }
}

/// A form that came back: what the user sent and what is wrong with it.
#[derive(Debug, Clone)]
pub(super) struct Failed {
    pub kind: FormKind,
    pub input: Submitted,
    pub problems: Problems,
}

/// Everything the forms offer choices from.
pub(super) struct FormContext<'a> {
    pub timeline: &'a Timeline,
    pub labels: &'a Labels<'a>,
    pub today: NaiveDate,
}

/// All forms of the page; the one that failed (if any) keeps the input and shows the problems.
pub(super) fn citizen_forms(c: &FormContext, failed: Option<&Failed>) -> Vec<FormView> {
    FormKind::ALL
        .into_iter()
        .map(|kind| {
            let came_back = failed.filter(|f| f.kind == kind);
            let (id, action) = kind.ids();
            let t = c.labels.lang.texts().case;
            let action = format!("/borgere/{}/{action}", c.timeline.citizen.id);
            let form = FormView::new(id, action, legend(kind, c), t).with_input(came_back.map(|f| &f.input));
            let form = fields(kind, form, c);
            match came_back {
                Some(f) if kind == FormKind::Enroll => {
                    form.problems(&f.problems, Some(("bekraeft", t.confirm_age)))
                }
                Some(f) => form.problems(&f.problems, None),
                None => form,
            }
        })
        .collect()
}

fn legend(kind: FormKind, c: &FormContext) -> &'static str {
    let t = c.labels.lang.texts().case;
    match kind {
        FormKind::FollowUp => t.f_follow_up,
        FormKind::Enroll => t.f_enroll,
        FormKind::Offer => t.f_offer,
        FormKind::EndOffer => t.f_end_offer,
        FormKind::EndEnrollment => t.f_end_enrollment,
        FormKind::Event => t.f_event,
        FormKind::Placement => t.f_placement,
    }
}

fn fields(kind: FormKind, form: FormView, c: &FormContext) -> FormView {
    let t = c.labels.lang.texts().case;
    let (codes, lang) = (c.labels.codes, c.labels.lang);
    match kind {
        FormKind::FollowUp => {
            let form = pick(form, "opfoelgning_id", t.fld_follow_up, follow_up_choices(c), c);
            let form = day(form, "udfoert", t.fld_done, &c.today.to_string(), c);
            let form = pick(form, "status", t.fld_status, code_options(&codes.follow_up_status, lang), c);
            form.text("udfoert_af", t.fld_done_by, "").required()
        }
        FormKind::Enroll => {
            let form = pick(form, "indsats", t.fld_initiative, initiative_choices(c), c);
            day(form, "start", t.fld_start, "", c)
                .text("tovholder", t.fld_lead, "BIF")
                .required()
                .hint(t.lead_hint)
                .text("sagsbehandlerkode", t.fld_caseworker, "")
                .text("center", t.fld_centre, "")
        }
        FormKind::Offer => {
            let form = pick(form, "forloeb_id", t.fld_enrollment, enrollment_choices(c), c);
            let form = pick(form, "tilbudstype", t.fld_offer_type, code_options(&codes.offer_type, lang), c);
            day(form, "start", t.fld_start, "", c)
        }
        FormKind::EndOffer => end_fields(pick(form, "tilbud_id", t.fld_offer, offer_choices(c), c), c),
        FormKind::EndEnrollment => {
            end_fields(pick(form, "forloeb_id", t.fld_enrollment, enrollment_choices(c), c), c)
        }
        FormKind::Event => {
            let form = pick(form, "haendelse", t.fld_event_kind, event_choices(c), c);
            day(form, "dato", t.fld_date, "", c).text("vaerdi", t.fld_value, "").hint(t.value_hint)
        }
        FormKind::Placement => {
            let form = day(form.text("arbejdsgiver", t.fld_employer, ""), "start", t.fld_start, "", c);
            form.text("slut", t.fld_end, "").hint(t.date_hint)
        }
    }
}

/// A required select with an empty "choose" option first.
fn pick(
    form: FormView,
    name: &'static str,
    label: &str,
    options: Vec<(String, String)>,
    c: &FormContext,
) -> FormView {
    form.select(name, label, Some(c.labels.lang.texts().case.choose), options, "").required()
}

/// A required date, typed, with the accepted forms as the hint.
fn day(form: FormView, name: &'static str, label: &str, default: &str, c: &FormContext) -> FormView {
    form.text(name, label, default).required().hint(c.labels.lang.texts().case.date_hint)
}

/// The end date and reason, after the select of what ends.
fn end_fields(form: FormView, c: &FormContext) -> FormView {
    let t = c.labels.lang.texts().case;
    let reasons = code_options(&c.labels.codes.end_reason, c.labels.lang);
    pick(day(form, "slut", t.fld_end, "", c), "afslutningsaarsag", t.fld_reason, reasons, c)
}

/// The open follow-ups, oldest first (done ones are corrected through the import).
fn follow_up_choices(c: &FormContext) -> Vec<(String, String)> {
    c.timeline
        .follow_ups
        .iter()
        .filter(|f| f.done.is_none())
        .map(|f| (f.id.clone(), follow_up_option(f, c.labels, c.today)))
        .collect()
}

/// The initiatives recorded in the case system (OPERA).
fn initiative_choices(c: &FormContext) -> Vec<(String, String)> {
    c.labels
        .portfolio
        .initiatives
        .iter()
        .filter(|i| i.data_source == DataSource::Opera)
        .map(|i| (i.code.to_string(), format!("{} ({})", i.name, i.code)))
        .collect()
}

fn enrollment_choices(c: &FormContext) -> Vec<(String, String)> {
    c.timeline.enrollments.iter().map(|e| (e.id.clone(), enrollment_option(e, c.labels))).collect()
}

fn offer_choices(c: &FormContext) -> Vec<(String, String)> {
    c.timeline.offers.iter().map(|o| (o.id.clone(), offer_option(o, c.labels))).collect()
}

fn event_choices(c: &FormContext) -> Vec<(String, String)> {
    let t = c.labels.lang.texts().case;
    EventKind::ALL.into_iter().map(|k| (k.code().to_owned(), t.event_kind(k).to_owned())).collect()
}
