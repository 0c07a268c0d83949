//! The rules an offer keeps: organisation, title, category, times, place or
//! online link, costs, translations; every field checked at once.

use super::*;

/// A single-line text of at most `max` characters (`required` if asked).
pub(super) fn line(
    field: &str,
    raw: &str,
    max: usize,
    required: bool,
    errors: &mut Vec<FieldError>,
) -> String {
    let s = collapse(raw);
    if required && s.is_empty() {
        errors.push(FieldError::new(field, "required"));
    } else if s.chars().count() > max {
        errors.push(FieldError::new(field, "too-long"));
    }
    s
}

/// A multi-line text of at most `max` characters.
pub(super) fn block(field: &str, raw: &str, max: usize, errors: &mut Vec<FieldError>) -> String {
    let s = raw.trim().replace("\r\n", "\n");
    if s.chars().count() > max {
        errors.push(FieldError::new(field, "too-long"));
    }
    s
}

pub(super) fn date(raw: &str, field: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    if raw.trim().is_empty() {
        return None;
    }
    let d = time::parse_date(raw);
    if d.is_none() {
        errors.push(FieldError::new(field, "date-invalid"));
    }
    d
}

/// An https address with a host name.
pub(super) fn online_link(raw: &str) -> Option<String> {
    let s = raw.trim();
    let rest = s.strip_prefix("https://")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let ok = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.' || c == ':')
        && s.len() <= 500
        && !s.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then(|| s.to_owned())
}

pub(super) fn rule<T>(
    r: Result<T, msohub_domain::Error>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    r.map_err(|e| errors.push(FieldError::new(e.field, e.rule)))
        .ok()
}

/// The text the title filter searches: the folded title and translated titles.
pub(super) fn search_text(title: &str, translations: &BTreeMap<String, Translation>) -> String {
    std::iter::once(title)
        .chain(translations.values().map(|t| t.title.as_str()))
        .map(fold)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" | ")
}

impl Services {
    pub(crate) async fn validate_offer(
        &self,
        input: &OfferInput,
        current: Option<&OfferRow>,
    ) -> Result<OfferRow, Error> {
        let conn = self.store.conn();
        let mut errors = Vec::new();
        let organisation = match input.organisation_id.trim() {
            "" => {
                errors.push(FieldError::new("organisation_id", "organisation-required"));
                None
            }
            raw => match raw.parse::<Uuid>() {
                Ok(id) => match msohub_store::organisations::find(conn, id).await? {
                    Some(o) if o.deleted_at.is_none() => Some(id),
                    _ => {
                        errors.push(FieldError::new("organisation_id", "organisation-unknown"));
                        None
                    }
                },
                Err(_) => {
                    errors.push(FieldError::new("organisation_id", "organisation-unknown"));
                    None
                }
            },
        };
        let title = line("title", &input.title, 300, true, &mut errors);
        let description = block("description", &input.description, 20_000, &mut errors);
        let category = input.category.trim().to_owned();
        if category.is_empty() {
            errors.push(FieldError::new("category", "required"));
        } else if !self.terms("offer_category").await?.iter().any(|t| {
            t.code == category && (!t.retired || current.is_some_and(|c| c.category == category))
        }) {
            errors.push(FieldError::new("category", "term-unknown"));
        }
        let groups = self.terms("target_group").await?;
        let mut target_groups: Vec<String> = Vec::new();
        for g in &input.target_groups {
            let g = g.trim();
            if g.is_empty() || target_groups.iter().any(|x| x == g) {
                continue;
            }
            if groups.iter().any(|t| t.code == g) {
                target_groups.push(g.to_owned());
            } else {
                errors.push(FieldError::new("target_groups", "term-unknown"));
                break;
            }
        }
        let age_min = rule(rules::parse_age("age_min", &input.age_min), &mut errors).flatten();
        let age_max = rule(rules::parse_age("age_max", &input.age_max), &mut errors).flatten();
        if let (Some(lo), Some(hi)) = (age_min, age_max)
            && hi < lo
        {
            errors.push(FieldError::new("age_max", "age-order"));
        }
        let languages =
            rule(rules::parse_offer_languages(&input.languages), &mut errors).unwrap_or_default();
        let cost_kind = match input.cost_kind.trim() {
            "" => Some(CostKind::Free),
            raw => rule(CostKind::parse(raw), &mut errors),
        };
        let cost_text = line("cost_text", &input.cost_text, 300, false, &mut errors);
        if cost_kind == Some(CostKind::Amount) && cost_text.is_empty() {
            errors.push(FieldError::new("cost_text", "required"));
        }
        let registration_how = block(
            "registration_how",
            &input.registration_how,
            2_000,
            &mut errors,
        );
        let accessibility = block("accessibility", &input.accessibility, 2_000, &mut errors);
        let location_kind = match input.location_kind.trim() {
            "" => Some(LocationKind::Organisation),
            raw => rule(LocationKind::parse(raw), &mut errors),
        };
        let elsewhere = location_kind == Some(LocationKind::Other);
        let street = line("street", &input.street, 200, elsewhere, &mut errors);
        let postcode = match parse_postcode(&input.postcode) {
            Ok(Some(p)) => p,
            Ok(None) => {
                if elsewhere {
                    errors.push(FieldError::new("postcode", "required"));
                }
                String::new()
            }
            Err(e) => {
                errors.push(FieldError::new("postcode", e.rule));
                String::new()
            }
        };
        let city = line("city", &input.city, 100, elsewhere, &mut errors);
        let link = match input.online_link.trim() {
            "" => {
                if location_kind == Some(LocationKind::Online) {
                    errors.push(FieldError::new("online_link", "required"));
                }
                String::new()
            }
            raw => online_link(raw).unwrap_or_else(|| {
                errors.push(FieldError::new("online_link", "online-link-invalid"));
                String::new()
            }),
        };
        let rrule = rule(rules::parse_rrule(&input.schedule_rrule), &mut errors)
            .flatten()
            .unwrap_or_default();
        let schedule_text = line(
            "schedule_text",
            &input.schedule_text,
            500,
            false,
            &mut errors,
        );
        let starts_time = rule(
            rules::parse_time_of_day("starts_time", &input.starts_time),
            &mut errors,
        )
        .flatten();
        let ends_time = rule(
            rules::parse_time_of_day("ends_time", &input.ends_time),
            &mut errors,
        )
        .flatten();
        if let (Some(s), Some(e)) = (&starts_time, &ends_time)
            && e < s
        {
            errors.push(FieldError::new("ends_time", "end-before-start"));
        }
        let valid_from = date(&input.valid_from, "valid_from", &mut errors);
        let valid_to = date(&input.valid_to, "valid_to", &mut errors);
        if let (Some(f), Some(t)) = (valid_from, valid_to)
            && t < f
        {
            errors.push(FieldError::new("valid_to", "date-order"));
        }
        let status = match input.status.trim() {
            "" => Some(OfferStatus::Active),
            raw => rule(OfferStatus::parse(raw), &mut errors),
        };
        let contact_person = match input.contact_person_id.trim() {
            "" => None,
            raw => match raw.parse::<Uuid>() {
                Ok(id)
                    if msohub_store::people::find_person(conn, id)
                        .await?
                        .is_some_and(|p| p.deleted_at.is_none()) =>
                {
                    Some(id)
                }
                _ => {
                    errors.push(FieldError::new("contact_person_id", "person-unknown"));
                    None
                }
            },
        };
        let mut translations = BTreeMap::new();
        for (lang, t) in &input.translations {
            let lang = lang.trim().to_lowercase();
            if !rules::TRANSLATION_LANGUAGES.contains(&lang.as_str()) {
                errors.push(FieldError::new("translations", "language-unknown"));
                break;
            }
            let title = collapse(&t.title);
            let description = t.description.trim().replace("\r\n", "\n");
            if title.chars().count() > 300 || description.chars().count() > 20_000 {
                errors.push(FieldError::new("translations", "too-long"));
                break;
            }
            if !title.is_empty() || !description.is_empty() {
                translations.insert(lang, Translation { title, description });
            }
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let (Some(organisation_id), Some(cost_kind), Some(location_kind), Some(status)) =
            (organisation, cost_kind, location_kind, status)
        else {
            return Err(Error::field("organisation_id", "required"));
        };
        let now = Utc::now();
        Ok(OfferRow {
            id: current.map_or_else(Uuid::now_v7, |c| c.id),
            organisation_id,
            search_text: search_text(&title, &translations),
            title,
            description,
            category,
            target_groups: to_json(&target_groups),
            age_min,
            age_max,
            languages: to_json(&languages),
            cost_kind: cost_kind.code().to_owned(),
            cost_text,
            registration_required: input.registration_required,
            registration_how,
            accessibility,
            location_kind: location_kind.code().to_owned(),
            street,
            postcode,
            city,
            online_link: link,
            schedule_rrule: rrule,
            schedule_text,
            starts_time,
            ends_time,
            valid_from,
            valid_to,
            status: status.code().to_owned(),
            contact_person_id: contact_person,
            is_public: input.is_public,
            translations: to_json(&translations),
            version: current.map_or(1, |c| c.version),
            deleted_at: current.and_then(|c| c.deleted_at),
            created_at: current.map_or(now, |c| c.created_at),
            updated_at: now,
        })
    }
}
