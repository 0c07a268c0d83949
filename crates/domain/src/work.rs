//! The work log's closed vocabularies and rules: kinds, modes and statuses
//! of interactions, why a planned one was cancelled, where a need came from
//! and how far it got, what a task can be linked to.

use crate::Error;
use serde::{Deserialize, Serialize};

code_enum!(
    /// How the office was in touch.
    InteractionKind, "kind" {
        Visit = "visit",
        Phone = "phone",
        Email = "email",
        Video = "video",
        MeetingAtOffice = "meeting_at_office",
        Other = "other",
    }
);

code_enum!(
    /// In person, digital or both.
    Mode, "mode" {
        InPerson = "in_person",
        Digital = "digital",
        Hybrid = "hybrid",
    }
);

code_enum!(
    /// Planned, then held or cancelled.
    InteractionStatus, "status" {
        Planned = "planned",
        Held = "held",
        Cancelled = "cancelled",
    }
);

code_enum!(
    /// Why a planned interaction did not take place.
    CancelReason, "cancel_reason" {
        ContactRestrictions = "contact_restrictions",
        Illness = "illness",
        OrganisationDeclined = "organisation_declined",
        Scheduling = "scheduling",
        Other = "other",
    }
);

code_enum!(
    /// Where the office learnt of a need.
    NeedSource, "source" {
        Interaction = "interaction",
        Meeting = "meeting",
        Survey = "survey",
        Portal = "portal",
        Other = "other",
    }
);

code_enum!(
    /// How soon a need should be met, as the organisation sees it.
    NeedUrgency, "urgency" {
        Low = "low",
        Normal = "normal",
        High = "high",
    }
);

code_enum!(
    /// How far a need got.
    NeedStatus, "status" {
        Open = "open",
        InProgress = "in_progress",
        Addressed = "addressed",
        CannotBeMet = "cannot_be_met",
    }
);

code_enum!(
    /// What a task can follow up.
    LinkType, "link_type" {
        Organisation = "organisation",
        Interaction = "interaction",
        Need = "need",
        Person = "person",
        Meeting = "meeting",
        Idea = "idea",
    }
);

code_enum!(
    /// How far an idea or joint project got.
    IdeaStatus, "status" {
        Proposed = "proposed",
        UnderDiscussion = "under_discussion",
        InProgress = "in_progress",
        Realised = "realised",
        NotPursued = "not_pursued",
    }
);

impl InteractionStatus {
    /// Whether a record in status `self` may be changed to `next`. A held
    /// interaction is history; a cancelled one may be planned again, not
    /// turned into a held one (that would hide the cancellation).
    pub fn may_become(self, next: InteractionStatus) -> bool {
        use InteractionStatus::*;
        matches!(
            (self, next),
            (Planned, _) | (Held, Held) | (Cancelled, Cancelled) | (Cancelled, Planned)
        )
    }
}

/// The longest interaction recorded: a whole day.
pub const MAX_DURATION_MINUTES: i32 = 24 * 60;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_move_forward_only() {
        use InteractionStatus::*;
        assert!(Planned.may_become(Held));
        assert!(Planned.may_become(Cancelled));
        assert!(Cancelled.may_become(Planned));
        assert!(!Held.may_become(Planned));
        assert!(!Held.may_become(Cancelled));
        assert!(!Cancelled.may_become(Held));
    }

    #[test]
    fn codes_round_trip() {
        for k in InteractionKind::ALL {
            assert_eq!(InteractionKind::parse(k.code()), Ok(*k));
        }
        assert_eq!(CancelReason::parse("illness"), Ok(CancelReason::Illness));
        assert_eq!(
            NeedStatus::parse("done").unwrap_err().rule,
            "choice-unknown"
        );
    }
}
