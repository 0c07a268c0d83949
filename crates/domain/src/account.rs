//! Who may do what: roles, permissions, and the values an account is made of.
//!
//! Authorisation is decided by [`Role::can`] and nowhere else; the service
//! layer asks it for every use case, so the UI, the API and the CLI obey the
//! same rules. E-mail addresses and passwords are parsed into newtypes: once
//! a value has the type, it is valid.

use crate::Error;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The role of a user account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Accounts, settings, taxonomies, and everything staff may do.
    Admin,
    /// All the work of the integration centre.
    Staff,
    /// Acts for exactly one organisation (self-service portal).
    Representative,
    /// Reads everything staff can read, changes nothing.
    Auditor,
}

/// Something a user may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Open the staff area and read its records (registry, contacts, …).
    ReadStaffArea,
    /// Create, change and delete the records of the staff area.
    WriteStaffArea,
    /// Create, disable and change user accounts; change settings and taxonomies.
    ManageUsers,
    /// Browse the audit log.
    ReadAuditLog,
    /// Keep one's own organisation's profile (self-service portal).
    ActForOwnOrganisation,
}

impl Role {
    pub const ALL: &'static [Role] = &[
        Role::Admin,
        Role::Staff,
        Role::Representative,
        Role::Auditor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::Representative => "representative",
            Role::Auditor => "auditor",
        }
    }

    /// The one place where roles are mapped to permissions.
    pub fn can(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => matches!(
                permission,
                ReadStaffArea | WriteStaffArea | ManageUsers | ReadAuditLog
            ),
            Role::Staff => matches!(permission, ReadStaffArea | WriteStaffArea),
            Role::Auditor => matches!(permission, ReadStaffArea | ReadAuditLog),
            Role::Representative => matches!(permission, ActForOwnOrganisation),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .iter()
            .copied()
            .find(|r| r.as_str() == s.trim())
            .ok_or(Error::new("role", "role-unknown"))
    }
}

/// A syntactically valid e-mail address, normalised to lower case.
///
/// Lower-casing the whole address is a deliberate simplification: local parts
/// are case-sensitive in theory, never in practice, and a login must not fail
/// because someone typed a capital letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(input: &str) -> Result<EmailAddress, Error> {
        let s = input.trim().to_lowercase();
        let err = |rule| Error::new("email", rule);
        if s.is_empty() {
            return Err(err("required"));
        }
        if s.len() > 254 {
            return Err(err("too-long"));
        }
        let (local, domain) = s.rsplit_once('@').ok_or(err("email-invalid"))?;
        let valid_local = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        let valid_domain = !domain.is_empty()
            && domain.len() <= 253
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if valid_local && valid_domain {
            Ok(EmailAddress(s))
        } else {
            Err(err("email-invalid"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = Error;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        EmailAddress::parse(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(value: EmailAddress) -> Self {
        value.0
    }
}

/// A new password that meets the policy: at least 12 characters (NIST
/// 800-63B: length over composition rules), at most 256 (hashing cost).
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 256;

    pub fn parse(input: &str) -> Result<NewPassword, Error> {
        let n = input.chars().count();
        if n < Self::MIN_CHARS {
            return Err(Error::new("password", "password-too-short"));
        }
        if n > Self::MAX_CHARS {
            return Err(Error::new("password", "too-long"));
        }
        if input
            .chars()
            .all(|c| c == input.chars().next().unwrap_or(' '))
        {
            return Err(Error::new("password", "password-too-weak"));
        }
        Ok(NewPassword(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Never prints the password itself.
impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_map_to_permissions() {
        use Permission::*;
        assert!(Role::Admin.can(ManageUsers));
        assert!(Role::Admin.can(WriteStaffArea));
        assert!(Role::Staff.can(WriteStaffArea));
        assert!(!Role::Staff.can(ManageUsers));
        assert!(!Role::Staff.can(ReadAuditLog));
        assert!(Role::Auditor.can(ReadStaffArea));
        assert!(Role::Auditor.can(ReadAuditLog));
        assert!(!Role::Auditor.can(WriteStaffArea));
        assert!(!Role::Representative.can(ReadStaffArea));
        assert!(Role::Representative.can(ActForOwnOrganisation));
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), *role);
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn email_addresses_are_normalised_and_checked() {
        assert_eq!(
            EmailAddress::parse(" Anna.Schmidt@Lindenau.DE ")
                .unwrap()
                .as_str(),
            "anna.schmidt@lindenau.de"
        );
        assert!(EmailAddress::parse("ümit@örtlich.de").is_ok());
        for bad in [
            "",
            "anna",
            "@x.de",
            "anna@",
            "a..b@x.de",
            "anna@x..de",
            "anna@-x.de",
            "a b@x.de",
            "anna@x_y.de",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
        let long = format!("{}@x.de", "a".repeat(65));
        assert!(EmailAddress::parse(&long).is_err());
    }

    #[test]
    fn password_policy() {
        assert!(NewPassword::parse("kurz").is_err());
        assert!(NewPassword::parse("aaaaaaaaaaaaaaaa").is_err());
        assert!(NewPassword::parse(&"x".repeat(300)).is_err());
        assert!(NewPassword::parse("correct horse battery").is_ok());
        assert_eq!(
            format!("{:?}", NewPassword::parse("correct horse battery").unwrap()),
            "NewPassword(***)"
        );
    }
}
