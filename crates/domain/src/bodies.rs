//! Bodies, memberships, meetings and attendance: their closed vocabularies.

use crate::Error;
use serde::{Deserialize, Serialize};

code_enum!(
    /// What kind of body.
    BodyKind, "kind" {
        WorkingGroup = "working_group",
        IntegrationCouncil = "integration_council",
        AdvisoryGroup = "advisory_group",
        ExternalBody = "external_body",
        Other = "other",
    }
);

code_enum!(
    /// A member's role in a body.
    MemberRole, "role" {
        Chair = "chair",
        Member = "member",
        Deputy = "deputy",
        Guest = "guest",
        OfficeRepresentative = "office_representative",
    }
);

code_enum!(
    /// Where a meeting stands.
    MeetingStatus, "status" {
        Planned = "planned",
        Invited = "invited",
        Held = "held",
        Cancelled = "cancelled",
    }
);

code_enum!(
    /// Whether someone attended.
    AttendanceStatus, "status" {
        Present = "present",
        Excused = "excused",
        Absent = "absent",
        Guest = "guest",
    }
);

code_enum!(
    /// How someone attended.
    AttendanceMode, "mode" {
        InPerson = "in_person",
        Online = "online",
    }
);

impl AttendanceStatus {
    /// Present in the room or online (members and guests).
    pub fn attended(self) -> bool {
        matches!(self, AttendanceStatus::Present | AttendanceStatus::Guest)
    }
}
