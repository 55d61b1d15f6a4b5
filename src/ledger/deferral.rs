//! A committee putting a request back: "the update on the Ofsted action plan
//! had been deferred to the March meeting", "postponed until June 2021".
//!
//! The follow-up detector deliberately ignores such sentences (they ask for
//! nothing new), but the ledger must move the due month, or a request the
//! committee itself re-timed would be reported overdue.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use super::matching::{sentence_names, ItemView, MatchTerms};
use crate::model::Due;

static DEFERRED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        (?-u:\b)(?:deferred|postponed|put\s+back|rescheduled|re-scheduled|moved|carried\s+forward|slipped)(?-u:\b)
        [^.;]*?
        (?-u:\b)(?:to|until|till)\s+
        (?P<due>(?:the\s+)?
            (?P<month>january|february|march|april|may|june|july|august|september|october|november|december)
            (?:\s+(?P<year>(?:19|20)\d{2}))?
            (?:\s+meeting)?)(?-u:\b)",
    )
    .expect("static deferral pattern compiles")
});

/// Whether `text` may put business back to a month: the sentences whose
/// content words [`ItemView`] keeps for [`deferrals_in`].
pub(super) fn may_defer(text: &str) -> bool {
    DEFERRED.is_match(text)
}

/// Deferrals stated in one item: the content words of each deferring
/// sentence with the due it sets. Without a year the month is the next one of
/// that name after the meeting.
pub(super) fn deferrals_in(item: &ItemView, meeting_date: Option<&str>) -> Vec<Deferral> {
    item.deferring
        .iter()
        .filter(|(text, _)| !text.contains('?'))
        .filter_map(|(text, terms)| {
            let caps = DEFERRED.captures(text)?;
            let month = month_number(caps.name("month")?.as_str())?;
            let year = match caps.name("year") {
                Some(y) => y.as_str().parse().ok()?,
                None => {
                    let (y, m) = crate::followups::parse_meeting_month(meeting_date?)?;
                    if month > m {
                        y
                    } else {
                        y + 1
                    }
                }
            };
            Some(Deferral {
                about: terms.clone(),
                due: Due {
                    text: caps.name("due")?.as_str().to_string(),
                    date: Some(format!("{year:04}-{month:02}")),
                },
            })
        })
        .collect()
}

/// A sentence putting business back to a month.
pub(super) struct Deferral {
    about: BTreeSet<String>,
    pub(super) due: Due,
}

impl Deferral {
    /// Whether the deferred business is `request`.
    pub(super) fn concerns(&self, request: &MatchTerms) -> bool {
        sentence_names(request, &self.about)
    }
}

fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let lower = name.to_lowercase();
    MONTHS
        .iter()
        .position(|m| *m == lower)
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FollowUp, FollowUpKind, Item};

    fn deferred_to(request: &MatchTerms, item: &Item, meeting_date: Option<&str>) -> Option<Due> {
        deferrals_in(&ItemView::new(item), meeting_date)
            .into_iter()
            .find(|d| d.concerns(request))
            .map(|d| d.due)
    }

    fn terms(subject: &str) -> MatchTerms {
        let fu = FollowUp {
            id: "x".into(),
            text: subject.into(),
            kind: FollowUpKind::Update,
            subject: subject.into(),
            owner: None,
            due: None,
            items: vec![],
        };
        MatchTerms::for_request(&fu, &[])
    }

    fn arising(text: &str) -> Item {
        Item {
            number: "2".into(),
            title: "Matters Arising".into(),
            text: text.into(),
            ..Item::default()
        }
    }

    #[test]
    fn deferral_to_a_named_month_and_year() {
        let due = deferred_to(
            &terms("the Ofsted action plan"),
            &arising("The update on the Ofsted action plan had been deferred to the January 2021 meeting."),
            Some("2020-10-06"),
        );
        assert_eq!(
            due,
            Some(Due {
                text: "the January 2021 meeting".into(),
                date: Some("2021-01".into()),
            })
        );
    }

    #[test]
    fn month_without_year_is_the_next_one_after_the_meeting() {
        let t = terms("recruitment of foster carers");
        let item = arising("The report on recruitment of foster carers was postponed until March.");
        let due = |date| deferred_to(&t, &item, Some(date)).and_then(|d| d.date);
        assert_eq!(due("2020-11-10").as_deref(), Some("2021-03"));
        assert_eq!(due("2021-01-19").as_deref(), Some("2021-03"));
        assert_eq!(due("2021-03-02").as_deref(), Some("2022-03"));
        assert_eq!(
            deferred_to(&t, &item, None),
            None,
            "no meeting date, no year"
        );
    }

    #[test]
    fn other_business_deferred_does_not_move_the_request() {
        let due = deferred_to(
            &terms("the Ofsted action plan"),
            &arising("The budget item was deferred to the March meeting."),
            Some("2020-10-06"),
        );
        assert_eq!(due, None);
    }

    #[test]
    fn questions_about_deferral_are_not_deferrals() {
        let due = deferred_to(
            &terms("the Ofsted action plan"),
            &arising("Had the Ofsted action plan update been deferred to March?"),
            Some("2020-10-06"),
        );
        assert_eq!(due, None);
    }
}
