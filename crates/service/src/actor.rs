//! Who is acting: the user behind a request, a token, or the command line.
//! Every use case takes an [`Actor`] and asks it for the permission it needs.

use crate::Error;
use msohub_domain::{Permission, Role};
use uuid::Uuid;

/// How the actor was authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Session,
    Token,
    /// The operator at the command line (trusted: has the database anyway).
    Cli,
    /// A survey's personal link (answers that organisation's survey, and
    /// nothing else).
    Link,
}

#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<Uuid>,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub organisation_id: Option<Uuid>,
    pub must_change_password: bool,
    pub ip: Option<String>,
    pub via: Via,
    /// A representative's person record.
    pub person_id: Option<Uuid>,
    /// The account's language (portal pages and e-mails).
    pub language: String,
}

impl Actor {
    /// The command-line operator, with admin rights.
    pub fn cli() -> Actor {
        Actor {
            user_id: None,
            email: "cli".to_owned(),
            display_name: "Kommandozeile".to_owned(),
            role: Role::Admin,
            organisation_id: None,
            must_change_password: false,
            ip: None,
            via: Via::Cli,
            person_id: None,
            language: "de".to_owned(),
        }
    }

    /// Whoever holds a link (a survey's personal link, a mailing's
    /// unsubscribe link): named in the audit log by `label` and `name`,
    /// acting only through the one use case the link opens (which asks
    /// for no permission: the representative's role grants nothing here).
    pub(crate) fn by_link(
        label: String,
        name: String,
        organisation_id: Option<Uuid>,
        person_id: Option<Uuid>,
        ip: Option<String>,
    ) -> Actor {
        Actor {
            user_id: None,
            email: label,
            display_name: name,
            role: Role::Representative,
            organisation_id,
            must_change_password: false,
            ip,
            via: Via::Link,
            person_id,
            language: "de".to_owned(),
        }
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.role.can(permission)
    }

    /// `Err(Forbidden)` unless the actor has the permission. An account
    /// that must change its one-time password may do nothing else first,
    /// through any door (pages, API, tokens).
    pub fn require(&self, permission: Permission) -> Result<(), Error> {
        if self.can(permission) && !self.must_change_password {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// The signed-in user's id; `Forbidden` for the command line.
    pub fn user(&self) -> Result<Uuid, Error> {
        self.user_id.ok_or(Error::Forbidden)
    }
}
