//! The words of the registration receipt and of takeover requests (`/overtagelser`), in Danish
//! and English.

use super::Lang;
use sikkerby_store::cases::TakeoverStatus;

/// The strings of the receipt and the takeover page.
#[derive(Debug)]
pub struct TakeoverTexts {
    /// The receipt after a registration that did not lead to a citizen of the user's centres:
    /// the same words whatever the registration came to.
    pub received: &'static str,
    pub title: &'static str,
    pub nav: &'static str,
    pub intro: &'static str,
    pub incoming_heading: &'static str,
    pub incoming_caption: &'static str,
    pub incoming_none: &'static str,
    pub outgoing_heading: &'static str,
    pub outgoing_caption: &'static str,
    pub outgoing_none: &'static str,
    pub col_request: &'static str,
    pub col_requested: &'static str,
    pub col_citizen: &'static str,
    pub col_from_centre: &'static str,
    pub col_holders: &'static str,
    pub col_typed_name: &'static str,
    pub col_status: &'static str,
    pub col_decide: &'static str,
    pub held_by_none: &'static str,
    pub grant: &'static str,
    pub refuse: &'static str,
    pub decided: &'static str,
    pub status_pending: &'static str,
    pub status_granted: &'static str,
    pub status_refused: &'static str,
}

const DA: TakeoverTexts = TakeoverTexts {
    received: "Registreringen er modtaget. Var CPR-nummeret ikke registreret, er borgeren oprettet i \
               dit center – find borgeren under «Find borger». Er nummeret registreret i forvejen \
               uden for dit center, er der sendt en anmodning om overtagelse til det center, der har \
               borgeren, eller til en leder; se «Overtagelser». En borger, der var registreret i \
               forvejen, er ikke ændret.",
    title: "Overtagelser",
    nav: "Overtagelser",
    intro: "Anmodninger om at overtage en borger til et andet center. Det center, der har borgeren, \
            eller en leder imødekommer eller afviser; begge dele revideres.",
    incoming_heading: "Anmodninger til dig",
    incoming_caption: "Ventende anmodninger om borgere, som du kan afgøre, ældste først",
    incoming_none: "Ingen ventende anmodninger.",
    outgoing_heading: "Dine anmodninger",
    outgoing_caption: "Anmodninger, du har sendt, nyeste først",
    outgoing_none: "Du har ikke sendt nogen anmodninger.",
    col_request: "Anmodning",
    col_requested: "Sendt",
    col_citizen: "Borger",
    col_from_centre: "Til center",
    col_holders: "Har borgeren nu",
    col_typed_name: "Navn, du skrev",
    col_status: "Status",
    col_decide: "Afgørelse",
    held_by_none: "intet center",
    grant: "Imødekom",
    refuse: "Afvis",
    decided: "Anmodningen er afgjort.",
    status_pending: "Afventer",
    status_granted: "Imødekommet",
    status_refused: "Afvist",
};

const EN: TakeoverTexts = TakeoverTexts {
    received: "The registration has been received. If the CPR number was not registered, the \
               citizen has been created in your centre – find them under “Find a citizen”. If the \
               number is registered already outside your centre, a takeover request has been sent \
               to the centre that holds the citizen, or to a manager; see “Takeovers”. A citizen \
               registered already has not been changed.",
    title: "Takeovers",
    nav: "Takeovers",
    intro: "Requests to move a citizen to another centre. The centre that holds the citizen, or a \
            manager, grants or refuses; both are audited.",
    incoming_heading: "Requests to you",
    incoming_caption: "Pending requests for citizens you may decide, oldest first",
    incoming_none: "No pending requests.",
    outgoing_heading: "Your requests",
    outgoing_caption: "Requests you have sent, newest first",
    outgoing_none: "You have not sent any requests.",
    col_request: "Request",
    col_requested: "Sent",
    col_citizen: "Citizen",
    col_from_centre: "To centre",
    col_holders: "Held now by",
    col_typed_name: "Name you typed",
    col_status: "Status",
    col_decide: "Decision",
    held_by_none: "no centre",
    grant: "Grant",
    refuse: "Refuse",
    decided: "The request has been decided.",
    status_pending: "Pending",
    status_granted: "Granted",
    status_refused: "Refused",
};

impl Lang {
    /// The strings of the registration receipt and takeover requests.
    pub fn takeover(self) -> &'static TakeoverTexts {
        match self {
            Lang::Da => &DA,
            Lang::En => &EN,
        }
    }
}

impl TakeoverTexts {
    /// A request's status in words.
    pub fn status(&self, status: TakeoverStatus) -> &'static str {
        match status {
            TakeoverStatus::Pending => self.status_pending,
            TakeoverStatus::Granted => self.status_granted,
            TakeoverStatus::Refused => self.status_refused,
        }
    }
}
