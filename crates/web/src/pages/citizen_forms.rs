//! The forms of the citizen page: record a follow-up, enroll, add or end an offer, end an
//! enrollment, record a life event or a leisure job, and correct a recorded end, follow-up or
//! event date. Field names are the store's (and the CSV columns'), so an error the store reports
//! lands beside the right field. A form is shown only when it can be used now: "end" lists only
//! what is open, "record a follow-up" only what is open, a correction only what was recorded.

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
    CorrectEnd,
    CorrectFollowUp,
    CorrectEvent,
}

impl FormKind {
    const ALL: [FormKind; 10] = [
        FormKind::FollowUp,
        FormKind::Enroll,
        FormKind::Offer,
        FormKind::EndOffer,
        FormKind::EndEnrollment,
        FormKind::Event,
        FormKind::Placement,
        FormKind::CorrectEnd,
        FormKind::CorrectFollowUp,
        FormKind::CorrectEvent,
    ];

    /// The field a "does not exist" from the store is reported beside.
    pub(super) fn key_field(self) -> &'static str {
        match self {
            FormKind::FollowUp | FormKind::CorrectFollowUp => "opfoelgning_id",
            FormKind::Offer | FormKind::EndEnrollment => "forloeb_id",
            FormKind::CorrectEnd => "post",
            FormKind::CorrectEvent => "haendelse_id",
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
            FormKind::CorrectEnd => ("ret-afslutning", "rettelser/afslutning"),
            FormKind::CorrectFollowUp => ("ret-opfoelgning", "rettelser/opfoelgning"),
            FormKind::CorrectEvent => ("ret-haendelse", "rettelser/haendelse"),
        }
    }

    /// Whether the form can be used now: there is something for it to act on.
    fn usable(self, c: &FormContext) -> bool {
        let t = c.timeline;
        match self {
            FormKind::FollowUp => t.follow_ups.iter().any(|f| f.done.is_none()),
            FormKind::Offer => !t.enrollments.is_empty(),
            FormKind::EndOffer => t.offers.iter().any(|o| o.end.is_none()),
            FormKind::EndEnrollment => t.enrollments.iter().any(|e| e.end.is_none()),
            FormKind::CorrectEnd => {
                t.enrollments.iter().any(|e| e.end.is_some()) || t.offers.iter().any(|o| o.end.is_some())
            }
            FormKind::CorrectFollowUp => t.follow_ups.iter().any(|f| f.done.is_some()),
            FormKind::CorrectEvent => !t.events.is_empty(),
            FormKind::Enroll | FormKind::Event | FormKind::Placement => true,
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

/// The usable forms of the page; the one that failed (if any) keeps the input and shows the
/// problems (and is shown even if it is no longer usable, so that the user sees why).
pub(super) fn citizen_forms(c: &FormContext, failed: Option<&Failed>) -> Vec<FormView> {
    FormKind::ALL
        .into_iter()
        .filter(|kind| kind.usable(c) || failed.is_some_and(|f| f.kind == *kind))
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
        FormKind::CorrectEnd => c.labels.lang.records().f_correct_end,
        FormKind::CorrectFollowUp => c.labels.lang.records().f_correct_follow_up,
        FormKind::CorrectEvent => c.labels.lang.records().f_correct_event,
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
        FormKind::EndOffer => end_fields(pick(form, "tilbud_id", t.fld_offer, open_offer_choices(c), c), c),
        FormKind::EndEnrollment => {
            end_fields(pick(form, "forloeb_id", t.fld_enrollment, open_enrollment_choices(c), c), c)
        }
        FormKind::CorrectEnd => {
            let r = lang.records();
            reason(end_fields(pick(form, "post", r.fld_record, ended_choices(c), c), c), c)
        }
        FormKind::CorrectFollowUp => {
            let form = pick(form, "opfoelgning_id", t.fld_follow_up, done_follow_up_choices(c), c);
            let form = day(form, "udfoert", t.fld_done, "", c);
            reason(pick(form, "status", t.fld_status, code_options(&codes.follow_up_status, lang), c), c)
        }
        FormKind::CorrectEvent => {
            let form = pick(form, "haendelse_id", lang.records().fld_event, recorded_event_choices(c), c);
            reason(day(form, "dato", t.fld_date, "", c), c)
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

/// The required reason of a correction.
fn reason(form: FormView, c: &FormContext) -> FormView {
    let r = c.labels.lang.records();
    form.text("begrundelse", r.fld_correction_reason, "").required().hint(r.correction_reason_hint)
}

/// The open follow-ups, oldest first (done ones are corrected with "correct a follow-up").
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

/// The enrollments still open: only those can be ended.
fn open_enrollment_choices(c: &FormContext) -> Vec<(String, String)> {
    let open = c.timeline.enrollments.iter().filter(|e| e.end.is_none());
    open.map(|e| (e.id.clone(), enrollment_option(e, c.labels))).collect()
}

/// The offers still open: only those can be ended.
fn open_offer_choices(c: &FormContext) -> Vec<(String, String)> {
    let open = c.timeline.offers.iter().filter(|o| o.end.is_none());
    open.map(|o| (o.id.clone(), offer_option(o, c.labels))).collect()
}

/// The ended enrollments and offers, whose end can be corrected: `forloeb:ID`, `tilbud:ID`.
fn ended_choices(c: &FormContext) -> Vec<(String, String)> {
    let t = c.timeline;
    let enrollments = t.enrollments.iter().filter(|e| e.end.is_some());
    let enrollments = enrollments.map(|e| (format!("forloeb:{}", e.id), enrollment_option(e, c.labels)));
    let offers = t.offers.iter().filter(|o| o.end.is_some());
    enrollments.chain(offers.map(|o| (format!("tilbud:{}", o.id), offer_option(o, c.labels)))).collect()
}

/// The recorded follow-ups, whose outcome can be corrected.
fn done_follow_up_choices(c: &FormContext) -> Vec<(String, String)> {
    let done = c.timeline.follow_ups.iter().filter(|f| f.done.is_some());
    done.map(|f| (f.id.clone(), follow_up_option(f, c.labels, c.today))).collect()
}

/// The life events, whose date can be corrected.
fn recorded_event_choices(c: &FormContext) -> Vec<(String, String)> {
    let t = c.labels.lang.texts().case;
    let events = c.timeline.events.iter();
    events
        .map(|e| (e.id.clone(), format!("{} – {}", event_label(&e.kind, t), c.labels.date(e.date))))
        .collect()
}

fn event_label(kind: &str, t: &crate::i18n::CaseTexts) -> String {
    EventKind::parse(kind).map_or_else(|| kind.to_owned(), |k| t.event_kind(k).to_owned())
}

fn event_choices(c: &FormContext) -> Vec<(String, String)> {
    let t = c.labels.lang.texts().case;
    EventKind::ALL.into_iter().map(|k| (k.code().to_owned(), t.event_kind(k).to_owned())).collect()
}
