//! Administration of user accounts (admins), and what users change about
//! their own account: password and second factor.

use super::User;
use super::login::{normalise_recovery, throttle_key};
use crate::secrets::{digest, hash_password, random_password, random_token, verify_password};
use crate::{Actor, Error, FieldError, Services, audit, totp};
use chrono::Utc;
use msohub_domain::{EmailAddress, NewPassword, Permission, Role};
use msohub_store::users::{self, UserRow};
use uuid::Uuid;

/// What an admin (or `msohub user add`) gives to create an account.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub organisation_id: Option<Uuid>,
    /// `None`: a one-time password is generated and must be changed at the
    /// first sign-in.
    pub password: Option<String>,
    /// [`FORMS_OF_ADDRESS`]: how an anonymous report names the person.
    pub form_of_address: String,
}

/// A staff account's form of address, as the report's anonymous wording
/// needs it: `f` ("eine Mitarbeiterin des KI"), `m` ("ein Mitarbeiter des
/// KI"), empty: none given ("eine Person aus dem KI-Team").
pub const FORMS_OF_ADDRESS: [&str; 3] = ["f", "m", ""];

/// A change to an account; fields left `None` stay as they are. `version` is
/// the version the change is based on (optimistic locking).
#[derive(Debug, Clone, Default)]
pub struct UserChange {
    pub display_name: Option<String>,
    pub role: Option<String>,
    pub organisation_id: Option<Option<Uuid>>,
    pub disabled: Option<bool>,
    /// [`FORMS_OF_ADDRESS`].
    pub form_of_address: Option<String>,
    pub version: i32,
}

/// What a user needs to add msohub to an authenticator app.
#[derive(Debug, Clone)]
pub struct TotpEnrolment {
    pub secret: String,
    pub uri: String,
    pub qr_svg: String,
}

fn field(field: &str, rule: &str) -> FieldError {
    FieldError {
        field: field.to_owned(),
        rule: rule.to_owned(),
    }
}

fn display_name(input: &str, errors: &mut Vec<FieldError>) -> String {
    let name = input.trim();
    if name.is_empty() {
        errors.push(field("display_name", "required"));
    } else if name.chars().count() > 200 {
        errors.push(field("display_name", "too-long"));
    }
    name.to_owned()
}

fn form_of_address(input: &str, errors: &mut Vec<FieldError>) -> String {
    let value = input.trim();
    if !FORMS_OF_ADDRESS.contains(&value) {
        errors.push(field("form_of_address", "choice-unknown"));
    }
    value.to_owned()
}

impl Services {
    pub async fn list_users(&self, actor: &Actor) -> Result<Vec<User>, Error> {
        actor.require(Permission::ManageUsers)?;
        let rows = users::list_users(self.store.conn()).await?;
        Ok(rows.iter().map(User::from).collect())
    }

    pub async fn get_user(&self, actor: &Actor, id: Uuid) -> Result<User, Error> {
        if actor.user_id != Some(id) {
            actor.require(Permission::ManageUsers)?;
        }
        let row = users::find_user(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        Ok(User::from(&row))
    }

    /// Finds an account by e-mail (admins; used by the CLI).
    pub async fn find_user_by_email(&self, actor: &Actor, email: &str) -> Result<User, Error> {
        actor.require(Permission::ManageUsers)?;
        let email = EmailAddress::parse(email)?;
        let row = users::find_user_by_email(self.store.conn(), email.as_str())
            .await?
            .ok_or(Error::NotFound)?;
        Ok(User::from(&row))
    }

    /// Creates an account; returns it and the one-time password if one was
    /// generated.
    pub async fn create_user(
        &self,
        actor: &Actor,
        new: NewUser,
    ) -> Result<(User, Option<String>), Error> {
        actor.require(Permission::ManageUsers)?;
        let mut errors = Vec::new();
        let email = EmailAddress::parse(&new.email)
            .map_err(|e| errors.push(field("email", e.rule)))
            .ok();
        let name = display_name(&new.display_name, &mut errors);
        let address = form_of_address(&new.form_of_address, &mut errors);
        let role = new
            .role
            .parse::<Role>()
            .map_err(|e| errors.push(field("role", e.rule)))
            .ok();
        let password = match &new.password {
            Some(p) => NewPassword::parse(p)
                .map_err(|e| errors.push(field("password", e.rule)))
                .ok(),
            None => None,
        };
        if role != Some(Role::Representative) && new.organisation_id.is_some() {
            errors.push(field("organisation_id", "only-for-representatives"));
        }
        let (Some(email), Some(role), true) = (email, role, errors.is_empty()) else {
            return Err(Error::Validation(errors));
        };
        let (plain, one_time) = match password {
            Some(p) => (p.expose().to_owned(), None),
            None => {
                let p = random_password(16);
                (p.clone(), Some(p))
            }
        };
        let now = Utc::now();
        let row = UserRow {
            id: Uuid::now_v7(),
            email: email.to_string(),
            display_name: name,
            role: role.as_str().to_owned(),
            organisation_id: new.organisation_id,
            password_hash: hash_password(plain).await?,
            must_change_password: one_time.is_some(),
            disabled_at: None,
            last_login_at: None,
            totp_secret: None,
            totp_enabled_at: None,
            version: 1,
            created_at: now,
            updated_at: now,
            person_id: None,
            language: "de".to_owned(),
            form_of_address: address,
        };
        let tx = self.store.begin().await?;
        let row = users::insert_user(&tx, row).await?;
        let user = User::from(&row);
        audit::record(
            &tx,
            actor,
            "user",
            user.id,
            "create",
            None,
            Some(user.audit_view()),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok((user, one_time))
    }

    /// Changes name, role, organisation or the disabled flag of an account.
    pub async fn update_user(
        &self,
        actor: &Actor,
        id: Uuid,
        change: UserChange,
    ) -> Result<User, Error> {
        actor.require(Permission::ManageUsers)?;
        let tx = self.store.begin().await?;
        let mut row = users::find_user(&tx, id).await?.ok_or(Error::NotFound)?;
        if row.version != change.version {
            return Err(Error::stale());
        }
        let before = User::from(&row);
        let mut errors = Vec::new();
        if let Some(name) = &change.display_name {
            row.display_name = display_name(name, &mut errors);
        }
        if let Some(role) = &change.role {
            match role.parse::<Role>() {
                Ok(r) => row.role = r.as_str().to_owned(),
                Err(e) => errors.push(field("role", e.rule)),
            }
        }
        if let Some(org) = change.organisation_id {
            row.organisation_id = org;
        }
        if let Some(address) = &change.form_of_address {
            row.form_of_address = form_of_address(address, &mut errors);
        }
        if row.role != "representative" && row.organisation_id.is_some() {
            errors.push(field("organisation_id", "only-for-representatives"));
        }
        match change.disabled {
            Some(true) if row.disabled_at.is_none() => {
                if actor.user_id == Some(id) {
                    errors.push(field("disabled", "cannot-disable-self"));
                }
                row.disabled_at = Some(Utc::now());
            }
            Some(false) => row.disabled_at = None,
            _ => {}
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let was_active_admin = before.role == Role::Admin && !before.disabled;
        let stays_active_admin = row.role == "admin" && row.disabled_at.is_none();
        if was_active_admin && !stays_active_admin && users::count_active_admins(&tx).await? <= 1 {
            return Err(Error::Validation(vec![field("role", "last-admin")]));
        }
        let row = users::update_user(&tx, row).await?;
        if row.disabled_at.is_some() {
            users::delete_sessions_of(&tx, id).await?;
        }
        let after = User::from(&row);
        let action = match (before.disabled, after.disabled) {
            (false, true) => "disable",
            (true, false) => "enable",
            _ => "update",
        };
        audit::record(
            &tx,
            actor,
            "user",
            id,
            action,
            Some(before.audit_view()),
            Some(after.audit_view()),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(after)
    }

    /// A member of staff sets their own form of address (for the report's
    /// anonymous wording).
    pub async fn change_own_form_of_address(
        &self,
        actor: &Actor,
        value: &str,
    ) -> Result<User, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let id = actor.user()?;
        let mut errors = Vec::new();
        let address = form_of_address(value, &mut errors);
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let tx = self.store.begin().await?;
        let mut row = users::find_user(&tx, id).await?.ok_or(Error::NotFound)?;
        if row.form_of_address == address {
            return Ok(User::from(&row));
        }
        let before = User::from(&row);
        row.form_of_address = address;
        let row = users::update_user(&tx, row).await?;
        let after = User::from(&row);
        audit::record(
            &tx,
            actor,
            "user",
            id,
            "update",
            Some(before.audit_view()),
            Some(after.audit_view()),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(after)
    }

    /// Sets a new one-time password (shown once to the admin), ends the
    /// account's sessions and lifts a lockout.
    pub async fn reset_password(&self, actor: &Actor, id: Uuid) -> Result<String, Error> {
        actor.require(Permission::ManageUsers)?;
        let one_time = random_password(16);
        let hash = hash_password(one_time.clone()).await?;
        let tx = self.store.begin().await?;
        let mut row = users::find_user(&tx, id).await?.ok_or(Error::NotFound)?;
        row.password_hash = hash;
        row.must_change_password = true;
        // A reset lifts every hold on the account.
        let now = Utc::now();
        for kind in ["password", "totp"] {
            msohub_store::throttle::clear(&tx, &throttle_key(kind, &id.to_string()), now).await?;
        }
        msohub_store::throttle::clear(&tx, &throttle_key("email", &row.email), now).await?;
        let row = users::update_user(&tx, row).await?;
        users::delete_sessions_of(&tx, id).await?;
        audit::record(
            &tx,
            actor,
            "user",
            id,
            "password_reset",
            None,
            Some(User::from(&row).audit_view()),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(one_time)
    }

    /// A user changes their own password; other sessions of theirs end.
    pub async fn change_own_password(
        &self,
        actor: &Actor,
        current: &str,
        new: &str,
        keep_session: Option<&str>,
    ) -> Result<(), Error> {
        let id = actor.user()?;
        let row = users::find_user(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        let mut errors = Vec::new();
        if !self
            .check_own_password(id, &row.password_hash, current)
            .await?
        {
            errors.push(field("current_password", "password-wrong"));
        }
        let new = NewPassword::parse(new)
            .map_err(|e| errors.push(field("new_password", e.rule)))
            .ok();
        if new.as_ref().is_some_and(|n| n.expose() == current) {
            errors.push(field("new_password", "password-unchanged"));
        }
        let (Some(new), true) = (new, errors.is_empty()) else {
            return Err(Error::Validation(errors));
        };
        let hash = hash_password(new.expose().to_owned()).await?;
        let tx = self.store.begin().await?;
        let mut row = users::find_user(&tx, id).await?.ok_or(Error::NotFound)?;
        row.password_hash = hash;
        row.must_change_password = false;
        users::update_user(&tx, row).await?;
        let kept = keep_session.map(digest);
        users::delete_sessions_of_except(&tx, id, kept.as_deref()).await?;
        audit::record(&tx, actor, "user", id, "password_change", None, None).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(())
    }

    /// Creates the first admin when no admin exists yet; returns the e-mail
    /// and one-time password to print, or `None`.
    pub async fn ensure_initial_admin(&self) -> Result<Option<(String, String)>, Error> {
        if users::count_active_admins(self.store.conn()).await? > 0
            || !users::list_users(self.store.conn()).await?.is_empty()
        {
            return Ok(None);
        }
        let (user, password) = self
            .create_user(
                &Actor::cli(),
                NewUser {
                    email: "admin@localhost".to_owned(),
                    display_name: "Administrator".to_owned(),
                    role: "admin".to_owned(),
                    organisation_id: None,
                    password: None,
                    form_of_address: String::new(),
                },
            )
            .await?;
        Ok(password.map(|p| (user.email, p)))
    }

    // --- second factor -----------------------------------------------------

    /// Starts TOTP enrolment: a new secret (not active until confirmed).
    pub async fn begin_totp(&self, actor: &Actor) -> Result<TotpEnrolment, Error> {
        let id = actor.user()?;
        let mut secret = [0u8; 20];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut secret);
        let secret = totp::base32_encode(&secret);
        let tx = self.store.begin().await?;
        let mut row = users::find_user(&tx, id).await?.ok_or(Error::NotFound)?;
        if row.totp_enabled_at.is_some() {
            return Err(Error::Conflict(
                "a second factor is already active".to_owned(),
            ));
        }
        row.totp_secret = Some(secret.clone());
        users::update_user(&tx, row).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        let uri = totp::otpauth_uri("msohub", &actor.email, &secret);
        let qr_svg = totp::qr_svg(&uri).unwrap_or_default();
        Ok(TotpEnrolment {
            secret,
            uri,
            qr_svg,
        })
    }

    /// The enrolment in progress, if any (to show the QR code again).
    pub async fn pending_totp(&self, actor: &Actor) -> Result<Option<TotpEnrolment>, Error> {
        let row = users::find_user(self.store.conn(), actor.user()?)
            .await?
            .ok_or(Error::NotFound)?;
        Ok(match (row.totp_secret, row.totp_enabled_at) {
            (Some(secret), None) => {
                let uri = totp::otpauth_uri("msohub", &actor.email, &secret);
                let qr_svg = totp::qr_svg(&uri).unwrap_or_default();
                Some(TotpEnrolment {
                    secret,
                    uri,
                    qr_svg,
                })
            }
            _ => None,
        })
    }

    /// Confirms enrolment with a code from the app; returns ten recovery
    /// codes, shown once.
    pub async fn confirm_totp(&self, actor: &Actor, code: &str) -> Result<Vec<String>, Error> {
        let id = actor.user()?;
        let tx = self.store.begin().await?;
        let mut row = users::find_user(&tx, id).await?.ok_or(Error::NotFound)?;
        let Some(secret) = row
            .totp_secret
            .clone()
            .filter(|_| row.totp_enabled_at.is_none())
        else {
            return Err(Error::Conflict("no enrolment in progress".to_owned()));
        };
        let now = Utc::now();
        let step = totp::matched_step(&secret, code, now.timestamp())
            .ok_or_else(|| Error::Validation(vec![field("code", "totp-wrong")]))?;
        // The enrolment's code counts as used: it cannot sign in again.
        msohub_store::throttle::use_step(&tx, &throttle_key("totp", &id.to_string()), step, now)
            .await?;
        row.totp_enabled_at = Some(Utc::now());
        let row = users::update_user(&tx, row).await?;
        let codes: Vec<String> = (0..10)
            .map(|_| {
                let raw: String = random_token(8)
                    .to_lowercase()
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .take(10)
                    .collect();
                format!("{}-{}", &raw[..5.min(raw.len())], &raw[5.min(raw.len())..])
            })
            .collect();
        let hashes: Vec<String> = codes
            .iter()
            .map(|c| digest(&normalise_recovery(c)))
            .collect();
        users::replace_recovery_codes(&tx, id, &hashes).await?;
        audit::record(
            &tx,
            actor,
            "user",
            id,
            "totp_enable",
            None,
            Some(User::from(&row).audit_view()),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(codes)
    }

    /// An admin turns off someone's second factor (lost phone and recovery
    /// codes); the account's sessions end and it signs in with the password
    /// alone until its owner enrols again.
    pub async fn reset_totp(&self, actor: &Actor, id: Uuid) -> Result<(), Error> {
        actor.require(Permission::ManageUsers)?;
        let tx = self.store.begin().await?;
        let mut row = users::find_user(&tx, id).await?.ok_or(Error::NotFound)?;
        let before = User::from(&row).audit_view();
        row.totp_secret = None;
        row.totp_enabled_at = None;
        let row = users::update_user(&tx, row).await?;
        users::replace_recovery_codes(&tx, id, &[]).await?;
        users::delete_sessions_of(&tx, id).await?;
        audit::record(
            &tx,
            actor,
            "user",
            id,
            "totp_reset",
            Some(before),
            Some(User::from(&row).audit_view()),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(())
    }

    /// Turns the second factor off (needs the password).
    pub async fn disable_totp(&self, actor: &Actor, password: &str) -> Result<(), Error> {
        let id = actor.user()?;
        let row = users::find_user(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        if !self
            .check_own_password(id, &row.password_hash, password)
            .await?
        {
            return Err(Error::Validation(vec![field("password", "password-wrong")]));
        }
        let tx = self.store.begin().await?;
        let mut row = users::find_user(&tx, id).await?.ok_or(Error::NotFound)?;
        row.totp_secret = None;
        row.totp_enabled_at = None;
        let row = users::update_user(&tx, row).await?;
        users::replace_recovery_codes(&tx, id, &[]).await?;
        audit::record(
            &tx,
            actor,
            "user",
            id,
            "totp_disable",
            None,
            Some(User::from(&row).audit_view()),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(())
    }

    /// Checks a signed-in user's own password before a change that needs
    /// it (new password, second factor off), throttled like signing in: a
    /// stolen session cannot be used to guess the password.
    async fn check_own_password(&self, id: Uuid, hash: &str, given: &str) -> Result<bool, Error> {
        let key = throttle_key("password", &id.to_string());
        let _turn = self.attempt_locks.lock(&key).await;
        self.refuse_if_held_back(&key).await?;
        let now = Utc::now();
        if verify_password(given.to_owned(), hash.to_owned()).await? {
            msohub_store::throttle::clear(self.store.conn(), &key, now).await?;
            Ok(true)
        } else {
            self.count_failure(self.store.conn(), &key, now).await?;
            Ok(false)
        }
    }

    /// Unused recovery codes left (shown on the account page).
    pub async fn recovery_codes_left(&self, actor: &Actor) -> Result<u64, Error> {
        Ok(users::count_unused_recovery_codes(self.store.conn(), actor.user()?).await?)
    }
}
