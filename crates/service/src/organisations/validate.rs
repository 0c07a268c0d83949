//! The rules an organisation's record keeps: every field checked at once, the
//! errors returned together, the row's values otherwise.

use super::*;

/// Checks every field; returns the row's values or all field errors.
pub(crate) fn validate(
    input: &OrganisationInput,
    topics: &[String],
    groups: &[String],
) -> Result<OrganisationRow, Error> {
    let mut errors: Vec<FieldError> = Vec::new();
    // A macro, not a closure: the results have different types.
    macro_rules! take {
        ($result:expr) => {
            match $result {
                Ok(v) => Some(v),
                Err(e) => {
                    errors.push(FieldError {
                        field: e.field.to_owned(),
                        rule: e.rule.to_owned(),
                    });
                    None
                }
            }
        };
    }
    let name = take!(rules::parse_name("name", &input.name, 200));
    let alternate_names = take!(rules::parse_list(
        "alternate_names",
        &input.alternate_names,
        10,
        200
    ));
    let kind = take!(OrganisationKind::parse(&input.kind).map(|k| k.code().to_owned()));
    let legal_status = if input.legal_status.trim().is_empty() {
        Some(None)
    } else {
        take!(LegalStatus::parse(&input.legal_status).map(|l| Some(l.code().to_owned())))
    };
    let register_court = take!(rules::parse_optional(
        "register_court",
        &input.register_court,
        100
    ));
    let register_number = take!(rules::parse_register_number(&input.register_number));
    let founding_year = take!(rules::parse_founding_year(
        &input.founding_year,
        Utc::now().year()
    ));
    let member_count = take!(rules::parse_member_count(&input.member_count));
    let origins = take!(rules::parse_list("origins", &input.origins, 20, 100));
    let languages = take!(rules::parse_languages(&input.languages));
    let street = take!(rules::parse_optional("street", &input.street, 200));
    let postcode = take!(rules::parse_postcode(&input.postcode));
    let city = take!(rules::parse_optional("city", &input.city, 100));
    let district = take!(rules::parse_optional("district", &input.district, 100));
    let coordinates = take!(rules::parse_coordinates(&input.latitude, &input.longitude));
    let website = take!(rules::parse_website(&input.website));
    let email = if input.email.trim().is_empty() {
        Some(None)
    } else {
        take!(msohub_domain::EmailAddress::parse(&input.email).map(|e| Some(e.to_string())))
    };
    let phone = take!(rules::parse_phone(&input.phone));
    let description = if input.description.chars().count() > 20_000 {
        errors.push(FieldError {
            field: "description".into(),
            rule: "too-long".into(),
        });
        None
    } else {
        Some(input.description.trim().to_owned())
    };
    let internal_notes = if input.internal_notes.chars().count() > 20_000 {
        errors.push(FieldError {
            field: "internal_notes".into(),
            rule: "too-long".into(),
        });
        None
    } else {
        Some(input.internal_notes.trim().to_owned())
    };
    let mut checked_terms = |field: &str, given: &[String], known: &[String]| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in given.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            if !known.iter().any(|k| k == t) {
                errors.push(FieldError {
                    field: field.to_owned(),
                    rule: "term-unknown".into(),
                });
                return Vec::new();
            }
            if !out.iter().any(|o| o == t) {
                out.push(t.to_owned());
            }
        }
        out
    };
    let topics = checked_terms("topics", &input.topics, topics);
    let target_groups = checked_terms("target_groups", &input.target_groups, groups);
    let mut public_parts: Vec<String> = Vec::new();
    for p in &input.public_parts {
        if !PUBLIC_PARTS.contains(&p.as_str()) {
            errors.push(FieldError {
                field: "public_parts".into(),
                rule: "choice-unknown".into(),
            });
        } else if !public_parts.contains(p) {
            public_parts.push(p.clone());
        }
    }
    let (
        Some(name),
        Some(alternate_names),
        Some(kind),
        Some(legal_status),
        Some(register_court),
        Some(register_number),
        Some(founding_year),
        Some(member_count),
        Some(origins),
        Some(languages),
        Some(street),
        Some(postcode),
        Some(city),
        Some(district),
        Some(coordinates),
        Some(website),
        Some(email),
        Some(phone),
        Some(description),
        Some(internal_notes),
        true,
    ) = (
        name,
        alternate_names,
        kind,
        legal_status,
        register_court,
        register_number,
        founding_year,
        member_count,
        origins,
        languages,
        street,
        postcode,
        city,
        district,
        coordinates,
        website,
        email,
        phone,
        description,
        internal_notes,
        errors.is_empty(),
    )
    else {
        return Err(Error::Validation(errors));
    };
    let json = |v: &Vec<String>| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
    let search_text = rules::fold(&format!(
        "{} {} {}",
        name,
        alternate_names.join(" "),
        city.clone().unwrap_or_default()
    ));
    let now = Utc::now();
    Ok(OrganisationRow {
        id: Uuid::now_v7(),
        name_sort: rules::fold(&name),
        name,
        alternate_names: json(&alternate_names),
        kind,
        legal_status,
        register_court,
        register_number,
        founding_year,
        member_count,
        origins: json(&origins),
        languages: json(&languages),
        topics: json(&topics),
        target_groups: json(&target_groups),
        street,
        postcode,
        city,
        district,
        latitude: coordinates.map(|c| c.0),
        longitude: coordinates.map(|c| c.1),
        website,
        email,
        phone,
        description,
        internal_notes,
        public_fields: json(&public_parts),
        is_public: input.is_public,
        is_own_office: false,
        assured_at: None,
        search_text,
        version: 1,
        deleted_at: None,
        merged_into: None,
        logo_file_id: None,
        created_at: now,
        updated_at: now,
    })
}

/// Inserts a checked row and records it in the audit log, inside the
/// caller's transaction.
pub(crate) async fn insert_in(
    tx: &msohub_store::Tx,
    actor: &Actor,
    row: OrganisationRow,
) -> Result<Organisation, Error> {
    let row = store::insert(tx, row).await?;
    let org = Organisation::from(&row);
    audit::record(
        tx,
        actor,
        "organisation",
        org.id,
        "create",
        None,
        Some(org.audit_view()),
    )
    .await?;
    Ok(org)
}

/// Replaces the editable fields of `current` by those of `fresh` (a checked
/// row) when `current` is still the stored version, and records the change.
pub(crate) async fn update_in(
    tx: &msohub_store::Tx,
    actor: &Actor,
    current: OrganisationRow,
    fresh: OrganisationRow,
) -> Result<Organisation, Error> {
    let before = Organisation::from(&current);
    let row = OrganisationRow {
        id: current.id,
        is_own_office: current.is_own_office,
        assured_at: current.assured_at,
        version: current.version,
        deleted_at: current.deleted_at,
        merged_into: current.merged_into,
        logo_file_id: current.logo_file_id,
        created_at: current.created_at,
        ..fresh
    };
    let row = store::update(tx, row).await?;
    let after = Organisation::from(&row);
    audit::record(
        tx,
        actor,
        "organisation",
        after.id,
        "update",
        Some(before.audit_view()),
        Some(after.audit_view()),
    )
    .await?;
    Ok(after)
}
