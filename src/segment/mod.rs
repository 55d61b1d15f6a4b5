//! Stage 3: clean extracted text and cut it into meeting details and agenda items.

use crate::model::{Item, Meeting};

/// Meeting details and items of one set of minutes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Segmented {
    pub meeting: Meeting,
    /// Items with number, title, text, resolutions, pages and truncated set;
    /// topics and procedural are left for the classifier.
    pub items: Vec<Item>,
    /// Things a reader should know (e.g. "no agenda items found").
    pub warnings: Vec<String>,
}

/// `pages` holds one string per PDF page, or a single string for a text file;
/// `paginated` says whether item page numbers are meaningful.
pub fn segment(pages: &[String], paginated: bool) -> Segmented {
    let _ = (pages, paginated);
    todo!("segment::segment")
}
