//! Stage 5: find the follow-up requests the committee made.

use crate::model::{FollowUp, Item, Meeting};

/// Distinct follow-up requests in a meeting's items, in order of first statement.
pub fn detect(meeting: &Meeting, items: &[Item]) -> Vec<FollowUp> {
    let _ = (meeting, items);
    todo!("followups::detect")
}
