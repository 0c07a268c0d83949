//! Instance settings that admins change in the UI: the office's name and
//! city, the geocoder, the map, mail, outbound requests and the search's
//! synonyms. Each change is in the audit log.

use crate::mail::{SMTP_KEY, SmtpSettings};
use crate::office::Office;
use crate::{Actor, Error, FieldError, Services, audit};
use msohub_domain::Permission;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

const GEOCODER_KEY: &str = "geocoder";

/// Where addresses are turned into coordinates: a Nominatim-compatible
/// search endpoint (`…/search`). Empty: off (the default), coordinates are
/// entered by hand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GeocoderSettings {
    pub url: String,
}

const MAP_KEY: &str = "map";
const OUTBOUND_KEY: &str = "outbound";

/// Internal hosts and networks the server may fetch from anyway (see
/// [`crate::outbound`]); one entry per line or comma-separated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct OutboundSettings {
    pub allow: String,
}

/// The public directory's map: where its background tiles come from (an
/// XYZ template such as `https://tiles.example/{z}/{x}/{y}.png`) and the
/// attribution the tile provider asks for. Empty: no tiles; the map shows
/// its markers on a plain background, and no visitor's browser contacts a
/// third party.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MapSettings {
    pub tile_url: String,
    pub attribution: String,
}

impl MapSettings {
    /// The tile server's origin (`https://host[:port]`), for the page's
    /// Content-Security-Policy; `None` without tiles.
    pub fn tile_origin(&self) -> Option<String> {
        let probe = self
            .tile_url
            .replace("{s}", "a")
            .replace("{z}", "1")
            .replace("{x}", "1")
            .replace("{y}", "1")
            .replace("{r}", "");
        let u = url::Url::parse(&probe).ok()?;
        let origin = Some(u.origin().ascii_serialization()).filter(|o| o != "null")?;
        // `{s}` stands for subdomains (a, b, c): allow them all.
        let host = self.tile_url.split("://").nth(1)?.split('/').next()?;
        if host.starts_with("{s}.") {
            return Some(origin.replacen("://a.", "://*.", 1));
        }
        Some(origin)
    }
}

/// Checks a tile URL template: empty, or http(s) with a host and the
/// `{z}`, `{x}` and `{y}` placeholders.
fn check_tile_url(raw: &str) -> Result<String, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(String::new());
    }
    let settings = MapSettings {
        tile_url: raw.to_owned(),
        attribution: String::new(),
    };
    let placeholders = ["{z}", "{x}", "{y}"].iter().all(|p| raw.contains(p));
    match settings.tile_origin() {
        Some(o) if placeholders && (o.starts_with("https://") || o.starts_with("http://")) => {
            Ok(raw.to_owned())
        }
        _ => Err(FieldError::new("map_tile_url", "tile-url-invalid")),
    }
}

/// Everything the settings page edits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct InstanceSettings {
    pub office_name: String,
    pub office_city: String,
    /// The month school years begin with, 1–12 (default 8, August).
    pub school_year_first_month: String,
    pub geocoder_url: String,
    /// The public map's tile URL template (see [`MapSettings`]).
    pub map_tile_url: String,
    pub map_attribution: String,
    /// The mail server for invitations; empty: no e-mail is sent.
    pub smtp_host: String,
    pub smtp_port: String,
    /// none, starttls, tls
    pub smtp_security: String,
    pub smtp_username: String,
    /// Write-only: never returned; empty keeps the stored one.
    pub smtp_password: String,
    /// The sender, e.g. "KI Lindenau <ki@lindenau.example>".
    pub smtp_from: String,
    /// Whether a password is stored (read-only; ignored when sent).
    #[schema(read_only)]
    pub smtp_password_set: bool,
    /// Internal hosts or networks (e.g. `ris.intern.example`,
    /// `10.1.0.0/16`) that the OParl import and the geocoder may reach
    /// although they are not on the public internet; one per line or
    /// comma-separated. Empty: only public addresses.
    pub outbound_allow: String,
    /// Words that mean the same in a search (directory and staff area):
    /// one group per line, members separated by commas, a member one or
    /// more words. A query word (or words) of a group also finds the
    /// group's other members, once (a member of two groups finds both
    /// groups, not their other groups). Empty: none. At most 500 groups of
    /// 2 to 20 different members, each at most 100 characters; a list with
    /// a broken line is refused whole, each broken line named in its rule
    /// as `<rule>@<line>` (`synonym-entry-empty`, `synonym-group-single`,
    /// `synonym-entry-too-long`, `synonym-group-too-large`; the list:
    /// `synonym-too-many-groups`). Returned normalised; an office starts
    /// with a short list of common German ones.
    #[schema(example = "Deutschkurs, Sprachkurs, Integrationskurs\nNachhilfe, Hausaufgabenhilfe")]
    pub search_synonyms: String,
    /// The organisation record that stands for the office ("our office":
    /// its name and logo head the report, its events count as the
    /// office's). Read: its id, or null when none is set. Write: an
    /// organisation's id (any other loses the mark, in the same change);
    /// `""` clears it; null or left out keeps it. An unknown or deleted
    /// organisation is refused with `organisation-unknown`.
    pub office_organisation_id: Option<String>,
    /// The scheduled backup: the time of day (Berlin, `HH:MM`) the server
    /// writes an archive; empty: off (the default).
    #[schema(example = "02:30")]
    pub backup_time: String,
    /// How many scheduled archives to keep, 1–365 (default 7); older ones
    /// are removed.
    pub backup_keep: String,
    /// The folder under the server's data directory the archives go to
    /// (default `backups`); letters, digits, `-`, `_`, `.`, `/`, no `..`.
    pub backup_folder: String,
    /// How the scheduled backups went (read-only; ignored when sent).
    #[serde(
        deserialize_with = "crate::backup::schedule::ignored",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(read_only)]
    pub backup_status: Option<crate::backup::schedule::BackupStatus>,
}

/// Checks a geocoder URL: empty, or http(s) with a host.
fn check_url(raw: &str) -> Result<String, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(String::new());
    }
    match url::Url::parse(raw) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(u.to_string()),
        _ => Err(FieldError {
            field: "geocoder_url".into(),
            rule: "url-invalid".into(),
        }),
    }
}

impl Services {
    pub async fn geocoder(&self) -> Result<GeocoderSettings, Error> {
        Ok(self
            .store
            .get_setting(GEOCODER_KEY)
            .await?
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default())
    }

    /// The public map's settings (anyone may read them: they are in every
    /// map page).
    pub async fn map_settings(&self) -> Result<MapSettings, Error> {
        Ok(self
            .store
            .get_setting(MAP_KEY)
            .await?
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default())
    }

    /// The settings as the page shows them (admins).
    pub async fn instance_settings(&self, actor: &Actor) -> Result<InstanceSettings, Error> {
        actor.require(Permission::ManageUsers)?;
        let office = self.office().await?;
        let smtp = self.stored_smtp().await?;
        let map = self.map_settings().await?;
        let backup = self.backup_schedule().await?;
        Ok(InstanceSettings {
            office_name: office.name,
            office_city: office.city,
            school_year_first_month: office.school_year_first_month.to_string(),
            geocoder_url: self.geocoder().await?.url,
            map_tile_url: map.tile_url,
            map_attribution: map.attribution,
            smtp_host: smtp.host,
            smtp_port: if smtp.port == 0 {
                String::new()
            } else {
                smtp.port.to_string()
            },
            smtp_security: if smtp.security.is_empty() {
                "starttls".into()
            } else {
                smtp.security
            },
            smtp_username: smtp.username,
            smtp_password: String::new(),
            smtp_from: smtp.from,
            smtp_password_set: !smtp.password.is_empty(),
            outbound_allow: self.outbound_settings().await?.allow,
            search_synonyms: self.synonyms_text().await?,
            office_organisation_id: msohub_store::organisations::own_office(self.store.conn())
                .await?
                .first()
                .map(|o| o.id.to_string()),
            backup_time: backup.time,
            backup_keep: backup.keep.to_string(),
            backup_folder: backup.folder,
            backup_status: Some(self.backup_status().await?),
        })
    }

    /// Which organisation the `office_organisation_id` of a change names:
    /// `None` keeps the current one, `Some(None)` clears it.
    async fn office_choice(
        &self,
        raw: Option<&str>,
        errors: &mut Vec<FieldError>,
    ) -> Result<Option<Option<Uuid>>, Error> {
        let Some(raw) = raw.map(str::trim) else {
            return Ok(None);
        };
        if raw.is_empty() {
            return Ok(Some(None));
        }
        let found = match raw.parse::<Uuid>() {
            Ok(id) => msohub_store::organisations::find(self.store.conn(), id)
                .await?
                .filter(|o| o.deleted_at.is_none()),
            Err(_) => None,
        };
        match found {
            Some(o) => Ok(Some(Some(o.id))),
            None => {
                errors.push(FieldError::new(
                    "office_organisation_id",
                    "organisation-unknown",
                ));
                Ok(None)
            }
        }
    }

    /// Marks `id` as "our office" and clears the mark on every other
    /// organisation, in the caller's transaction; each organisation that
    /// changes gets its audit entry. `None`: no organisation is the office.
    async fn mark_own_office(
        &self,
        tx: &impl msohub_store::sea_orm_connection::ConnectionTrait,
        actor: &Actor,
        id: Option<Uuid>,
    ) -> Result<(), Error> {
        use msohub_store::organisations as orgs;
        let mut changed = Vec::new();
        for mut row in orgs::own_office(tx).await? {
            if Some(row.id) != id {
                row.is_own_office = false;
                changed.push(orgs::update(tx, row).await?);
            }
        }
        if let Some(id) = id {
            let mut row = orgs::find(tx, id)
                .await?
                .filter(|o| o.deleted_at.is_none())
                .ok_or_else(|| Error::field("office_organisation_id", "organisation-unknown"))?;
            if !row.is_own_office {
                row.is_own_office = true;
                changed.push(orgs::update(tx, row).await?);
            }
        }
        for row in changed {
            audit::record(
                tx,
                actor,
                "organisation",
                row.id,
                "update",
                Some(serde_json::json!({ "is_own_office": !row.is_own_office })),
                Some(serde_json::json!({ "is_own_office": row.is_own_office })),
            )
            .await?;
        }
        Ok(())
    }

    /// Makes an organisation "our office" (admins): the one the report's
    /// letterhead shows; any other loses the mark in the same transaction.
    pub async fn set_office_organisation(&self, actor: &Actor, id: Uuid) -> Result<(), Error> {
        actor.require(Permission::ManageUsers)?;
        let tx = self.store.begin().await?;
        self.mark_own_office(&tx, actor, Some(id)).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(())
    }

    async fn outbound_settings(&self) -> Result<OutboundSettings, Error> {
        Ok(self
            .store
            .get_setting(OUTBOUND_KEY)
            .await?
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default())
    }

    /// A client for requests to other machines, allowed to reach public
    /// addresses and those of the allow-list (flag and setting).
    pub(crate) async fn outbound(
        &self,
        limits: crate::outbound::Limits,
        purpose: &str,
    ) -> Result<crate::outbound::Outbound, Error> {
        let stored = crate::outbound::AllowList::parse(&self.outbound_settings().await?.allow)
            .unwrap_or_else(|bad| {
                tracing::warn!(entries = ?bad, "stored outbound allow-list entries ignored");
                crate::outbound::AllowList::default()
            });
        crate::outbound::Outbound::guarded(stored.merged(&self.outbound_allow), limits, purpose)
            .map_err(|e| Error::Internal(e.into()))
    }

    async fn stored_smtp(&self) -> Result<SmtpSettings, Error> {
        Ok(self
            .store
            .get_setting(SMTP_KEY)
            .await?
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default())
    }

    /// Replaces the settings; every field is checked first, nothing is
    /// written when one is wrong.
    pub async fn change_settings(
        &self,
        actor: &Actor,
        input: &InstanceSettings,
    ) -> Result<InstanceSettings, Error> {
        actor.require(Permission::ManageUsers)?;
        let mut errors = Vec::new();
        let name = input.office_name.trim().to_owned();
        if name.is_empty() {
            errors.push(FieldError {
                field: "office_name".into(),
                rule: "required".into(),
            });
        } else if name.chars().count() > 200 {
            errors.push(FieldError {
                field: "office_name".into(),
                rule: "too-long".into(),
            });
        }
        let city = input.office_city.trim().to_owned();
        if city.chars().count() > 100 {
            errors.push(FieldError {
                field: "office_city".into(),
                rule: "too-long".into(),
            });
        }
        let first_month = match input.school_year_first_month.trim() {
            "" => 8,
            raw => match raw.parse::<u32>() {
                Ok(m) if (1..=12).contains(&m) => m,
                _ => {
                    errors.push(FieldError::new("school_year_first_month", "month-invalid"));
                    8
                }
            },
        };
        let url = check_url(&input.geocoder_url)
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let tile_url = check_tile_url(&input.map_tile_url)
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let attribution = input.map_attribution.trim().to_owned();
        if attribution.chars().count() > 300 {
            errors.push(FieldError::new("map_attribution", "too-long"));
        }
        let stored = self.stored_smtp().await?;
        let port = match input.smtp_port.trim() {
            "" => 587,
            p => p.parse::<u16>().unwrap_or(0),
        };
        let smtp = SmtpSettings {
            host: input.smtp_host.trim().to_owned(),
            port,
            security: if input.smtp_security.trim().is_empty() {
                "starttls".into()
            } else {
                input.smtp_security.trim().to_owned()
            },
            username: input.smtp_username.trim().to_owned(),
            password: if input.smtp_password.is_empty() {
                stored.password.clone()
            } else {
                input.smtp_password.clone()
            },
            from: input.smtp_from.trim().to_owned(),
        };
        smtp.check(&mut errors);
        if !smtp.host.is_empty()
            && smtp.from.is_empty()
            && !errors.iter().any(|e| e.field == "smtp_from")
        {
            errors.push(FieldError::new("smtp_from", "required"));
        }
        let outbound_allow = input
            .outbound_allow
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        if crate::outbound::AllowList::parse(&outbound_allow).is_err() {
            errors.push(FieldError::new("outbound_allow", "allow-list-invalid"));
        }
        let synonyms = crate::search_words::check_synonyms(&input.search_synonyms, &mut errors);
        let office_choice = self
            .office_choice(input.office_organisation_id.as_deref(), &mut errors)
            .await?;
        let backup = crate::backup::schedule::check(
            &input.backup_time,
            &input.backup_keep,
            &input.backup_folder,
            &mut errors,
        );
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let mut before = self.instance_settings(actor).await?;
        // The audit entry records settings, not how the backups went.
        before.backup_status = None;
        let after = InstanceSettings {
            office_name: name.clone(),
            office_city: city.clone(),
            school_year_first_month: first_month.to_string(),
            geocoder_url: url.clone(),
            map_tile_url: tile_url.clone(),
            map_attribution: attribution.clone(),
            smtp_host: smtp.host.clone(),
            smtp_port: smtp.port.to_string(),
            smtp_security: smtp.security.clone(),
            smtp_username: smtp.username.clone(),
            smtp_password: String::new(),
            smtp_from: smtp.from.clone(),
            smtp_password_set: !smtp.password.is_empty(),
            outbound_allow: outbound_allow.clone(),
            search_synonyms: synonyms
                .as_ref()
                .map(msohub_search::Synonyms::to_text)
                .unwrap_or_default(),
            office_organisation_id: match office_choice {
                Some(choice) => choice.map(|id| id.to_string()),
                None => before.office_organisation_id.clone(),
            },
            backup_time: backup.time.clone(),
            backup_keep: backup.keep.to_string(),
            backup_folder: backup.folder.clone(),
            backup_status: None,
        };
        let tx = self.store.begin().await?;
        if let Some(synonyms) = &synonyms {
            self.put_synonyms(&tx, synonyms).await?;
        }
        if let Some(choice) = office_choice
            && after.office_organisation_id != before.office_organisation_id
        {
            self.mark_own_office(&tx, actor, choice).await?;
        }
        msohub_store::settings::put(
            &tx,
            "office",
            &serde_json::json!(Office {
                name,
                city,
                school_year_first_month: first_month,
            }),
        )
        .await?;
        msohub_store::settings::put(
            &tx,
            GEOCODER_KEY,
            &serde_json::json!(GeocoderSettings { url }),
        )
        .await?;
        msohub_store::settings::put(&tx, SMTP_KEY, &serde_json::json!(smtp)).await?;
        msohub_store::settings::put(
            &tx,
            MAP_KEY,
            &serde_json::json!(MapSettings {
                tile_url,
                attribution,
            }),
        )
        .await?;
        msohub_store::settings::put(
            &tx,
            OUTBOUND_KEY,
            &serde_json::json!(OutboundSettings {
                allow: outbound_allow
            }),
        )
        .await?;
        self.put_backup_schedule(&tx, &backup).await?;
        audit::record(
            &tx,
            actor,
            "settings",
            "instance",
            "update",
            Some(serde_json::json!(before)),
            Some(serde_json::json!(after)),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        // This node searches with the new synonyms at once; the others when
        // their change feed brings the entry above.
        self.refresh_search_words().await?;
        Ok(InstanceSettings {
            backup_status: Some(self.backup_status().await?),
            ..after
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{check_tile_url, check_url};

    #[test]
    fn tile_urls_need_http_a_host_and_the_placeholders() {
        assert_eq!(check_tile_url("").unwrap(), "");
        let osm = "https://{s}.tile.example.org/{z}/{x}/{y}.png";
        assert_eq!(check_tile_url(osm).unwrap(), osm);
        assert!(check_tile_url("https://tile.example.org/{z}/{x}.png").is_err());
        assert!(check_tile_url("javascript:{z}{x}{y}").is_err());
        assert!(check_tile_url("tiles/{z}/{x}/{y}.png").is_err());
        let settings = super::MapSettings {
            tile_url: osm.to_owned(),
            attribution: String::new(),
        };
        assert_eq!(
            settings.tile_origin().unwrap(),
            "https://*.tile.example.org"
        );
        let plain = super::MapSettings {
            tile_url: "https://tiles.example.org:8443/{z}/{x}/{y}.png".to_owned(),
            attribution: String::new(),
        };
        assert_eq!(
            plain.tile_origin().unwrap(),
            "https://tiles.example.org:8443"
        );
    }

    #[test]
    fn geocoder_urls_are_http_with_a_host_or_empty() {
        assert_eq!(check_url("  ").unwrap(), "");
        assert_eq!(
            check_url("https://nominatim.example/search").unwrap(),
            "https://nominatim.example/search"
        );
        assert!(check_url("ftp://x/search").is_err());
        assert!(check_url("javascript:alert(1)").is_err());
        assert!(check_url("nominatim").is_err());
    }
}
