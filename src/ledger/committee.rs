//! Which committee a set of minutes belongs to.
//!
//! Requests are tracked per committee, and the same committee is written
//! many ways across a council's minutes ("Children & Families Overview and
//! Scrutiny Committee", "CHILDREN AND FAMILIES OVERVIEW & SCRUTINY COMMITTEE",
//! "Children’s ..." with a curly apostrophe). The key ignores case,
//! punctuation and `&` versus "and".

use crate::model::Document;

/// Stable identity of the committee whose minutes `doc` holds. When the
/// minutes do not name the committee, the inbox folder stands in for it,
/// because officers keep one folder per committee. Unnamed minutes dropped in
/// the inbox itself belong to no known committee: they stand alone rather
/// than have one council's agenda "answer" another council's requests.
pub(super) fn committee_key(doc: &Document) -> String {
    if let Some(name) = doc.meeting.committee.as_deref().map(normalise_name) {
        if !name.is_empty() {
            return format!("committee:{name}");
        }
    }
    let folder = doc.source.folder.trim_matches('/');
    if folder.is_empty() {
        format!("document:{}", doc.source.sha256)
    } else {
        format!("folder:{folder}")
    }
}

/// Lower-case words separated by single spaces; apostrophes vanish so that
/// "Children's", "Children’s" and "Childrens" agree.
pub(super) fn normalise_name(name: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    for ch in name.chars() {
        match ch {
            '\'' | '’' | '‘' | '`' => {}
            '&' | '+' => {
                flush(&mut current, &mut words);
                words.push("and".to_string());
            }
            c if c.is_alphanumeric() => current.extend(c.to_lowercase()),
            _ => flush(&mut current, &mut words),
        }
    }
    flush(&mut current, &mut words);
    if words.first().is_some_and(|w| w == "the") {
        words.remove(0);
    }
    words.join(" ")
}

fn flush(current: &mut String, words: &mut Vec<String>) {
    if !current.is_empty() {
        words.push(std::mem::take(current));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_committee_share_a_key() {
        let forms = [
            "Children and Families Overview and Scrutiny Committee",
            "CHILDREN & FAMILIES OVERVIEW & SCRUTINY COMMITTEE",
            "Children and Families Overview & Scrutiny Committee.",
            "The Children and Families  Overview and Scrutiny Committee",
        ];
        let keys: Vec<String> = forms.iter().map(|f| normalise_name(f)).collect();
        assert!(keys.iter().all(|k| k == &keys[0]), "{keys:?}");
    }

    #[test]
    fn apostrophe_forms_agree() {
        assert_eq!(
            normalise_name("Children's Services Scrutiny Panel"),
            normalise_name("Children’s Services Scrutiny Panel")
        );
        assert_eq!(
            normalise_name("Children's Services Scrutiny Panel"),
            normalise_name("Childrens Services Scrutiny Panel")
        );
    }

    #[test]
    fn different_committees_differ() {
        assert_ne!(
            normalise_name("Children and Families Overview and Scrutiny Committee"),
            normalise_name("Adults and Communities Overview and Scrutiny Committee")
        );
    }
}
