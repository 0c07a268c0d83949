//! The rules a target must keep: metric and its parameters, thresholds,
//! body and organisation references, substitutes.

use super::*;

impl Services {
    pub(super) async fn validate_target(
        &self,
        input: &TargetInput,
        current: Option<&TargetRow>,
    ) -> Result<(TargetRow, Vec<(String, Uuid)>), Error> {
        let mut errors = Vec::new();
        let conn = self.store.conn();
        let period = match input.period_id.trim().parse::<Uuid>() {
            Ok(id) if store::find_period(conn, id).await?.is_some() => Some(id),
            _ => {
                errors.push(FieldError::new("period_id", "period-unknown"));
                None
            }
        };
        let project = match input.project_id.trim() {
            "" => Some(self.default_project().await?),
            raw => match raw.parse::<Uuid>() {
                Ok(id)
                    if msohub_store::projects::find_project(conn, id)
                        .await?
                        .is_some() =>
                {
                    Some(id)
                }
                _ => {
                    errors.push(FieldError::new("project_id", "project-unknown"));
                    None
                }
            },
        };
        let number = match input.number.trim().parse::<i32>() {
            Ok(n) if (1..=99).contains(&n) => Some(n),
            _ => {
                errors.push(FieldError::new("number", "number-invalid"));
                None
            }
        };
        let title = input.title.trim().to_owned();
        if title.is_empty() {
            errors.push(FieldError::new("title", "required"));
        } else if title.chars().count() > 300 {
            errors.push(FieldError::new("title", "too-long"));
        }
        if !METRICS.contains(&input.metric.as_str()) {
            errors.push(FieldError::new("metric", "choice-unknown"));
        }
        let wanted = num(&input.wanted, "wanted", &mut errors);
        if wanted.is_none() && !errors.iter().any(|e| e.field == "wanted") {
            errors.push(FieldError::new("wanted", "required"));
        }
        let manual = num(&input.manual_value, "manual_value", &mut errors);
        let met_at = num(&input.met_at, "met_at", &mut errors).unwrap_or(100.0) / 100.0;
        let partly_at = num(&input.partly_at, "partly_at", &mut errors).unwrap_or(50.0) / 100.0;
        for (name, v) in [("met_at", met_at), ("partly_at", partly_at)] {
            if v > 1.0 {
                errors.push(FieldError::new(name, "percent-invalid"));
            }
        }
        if partly_at > met_at {
            errors.push(FieldError::new("partly_at", "threshold-order"));
        }
        let body_id = match input.body_id.trim() {
            "" => None,
            raw => match raw.parse::<Uuid>() {
                Ok(b)
                    if msohub_store::bodies::find_body(conn, b)
                        .await?
                        .is_some_and(|x| x.deleted_at.is_none()) =>
                {
                    Some(b)
                }
                _ => {
                    errors.push(FieldError::new("body_id", "body-unknown"));
                    None
                }
            },
        };
        if matches!(
            input.metric.as_str(),
            "staff_attendance_rate" | "meetings_held" | "organisations_represented"
        ) && body_id.is_none()
            && !errors.iter().any(|e| e.field == "body_id")
        {
            errors.push(FieldError::new("body_id", "required"));
        }
        let override_status = match input.override_status.trim() {
            "" => None,
            s if STATUSES.contains(&s) => Some(s.to_owned()),
            _ => {
                errors.push(FieldError::new("override_status", "choice-unknown"));
                None
            }
        };
        if override_status.is_some() && input.override_reason.trim().is_empty() {
            errors.push(FieldError::new(
                "override_reason",
                "override-reason-required",
            ));
        }
        for (name, value) in [
            ("description", &input.description),
            ("deviation_reason", &input.deviation_reason),
            ("substitute_measures", &input.substitute_measures),
            ("override_reason", &input.override_reason),
        ] {
            if value.chars().count() > 20_000 {
                errors.push(FieldError::new(name, "too-long"));
            }
        }
        let mut links = Vec::new();
        for raw in input
            .substitutes
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            let link = raw
                .split_once(':')
                .and_then(|(t, id)| Some((t.to_owned(), id.parse::<Uuid>().ok()?)));
            let exists = match &link {
                Some((t, id)) if t == "body" => msohub_store::bodies::find_body(conn, *id)
                    .await?
                    .is_some_and(|x| x.deleted_at.is_none()),
                Some((t, id)) if t == "meeting" => msohub_store::bodies::find_meeting(conn, *id)
                    .await?
                    .is_some_and(|x| x.deleted_at.is_none()),
                Some((t, id)) if t == "event" => msohub_store::events::find_event(conn, *id)
                    .await?
                    .is_some_and(|x| x.deleted_at.is_none()),
                Some((t, id)) if t == "interaction" => {
                    msohub_store::work::find_interaction(conn, *id)
                        .await?
                        .is_some_and(|x| x.deleted_at.is_none())
                }
                _ => false,
            };
            match link {
                Some(l) if exists => {
                    if !links.contains(&l) {
                        links.push(l);
                    }
                }
                _ => {
                    errors.push(FieldError::new("substitutes", "record-unknown"));
                    break;
                }
            }
        }
        let known_categories: Vec<String> = self
            .terms("need_category")
            .await?
            .into_iter()
            .map(|t| t.code)
            .collect();
        let categories: Vec<String> = input
            .categories
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect();
        if categories.iter().any(|c| !known_categories.contains(c)) {
            errors.push(FieldError::new("categories", "term-unknown"));
        }
        let sources: Vec<String> = input
            .sources
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect();
        if sources
            .iter()
            .any(|s| msohub_domain::work::NeedSource::parse(s).is_err())
        {
            errors.push(FieldError::new("sources", "choice-unknown"));
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let (Some(period_id), Some(number), Some(wanted)) = (period, number, wanted) else {
            return Err(Error::field("wanted", "required"));
        };
        let params = MetricParams {
            kinds: input
                .kinds
                .iter()
                .filter(|k| !k.is_empty())
                .cloned()
                .collect(),
            statuses: input
                .statuses
                .iter()
                .filter(|k| !k.is_empty())
                .cloned()
                .collect(),
            organisation_kinds: input
                .organisation_kinds
                .iter()
                .filter(|k| !k.is_empty())
                .cloned()
                .collect(),
            body_id,
            categories,
            sources,
        };
        let now = Utc::now();
        Ok((
            TargetRow {
                id: current.map_or_else(Uuid::now_v7, |c| c.id),
                period_id,
                project_id: project,
                number,
                title,
                description: input.description.trim().to_owned(),
                metric: input.metric.clone(),
                params: serde_json::to_string(&params).unwrap_or_else(|_| "{}".into()),
                wanted,
                manual_value: manual,
                met_at,
                partly_at,
                override_status,
                override_reason: input.override_reason.trim().to_owned(),
                deviation_reason: input.deviation_reason.trim().to_owned(),
                substitute_measures: input.substitute_measures.trim().to_owned(),
                version: current.map_or(1, |c| c.version),
                created_at: current.map_or(now, |c| c.created_at),
                updated_at: now,
            },
            links,
        ))
    }
}
