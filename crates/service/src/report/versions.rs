//! Finalised versions of the report: frozen in both languages, numbered,
//! listed and read back, and paired for comparison.

use super::*;

impl Services {
    /// Freezes the report as it is now (figures and text, in German and
    /// English) as the period's next numbered version.
    pub async fn finalise_report(
        &self,
        actor: &Actor,
        period_id: Uuid,
        note: &str,
    ) -> Result<ReportVersion, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let note = note.trim();
        if note.chars().count() > 500 {
            return Err(Error::field("note", "too-long"));
        }
        let mut de = self.report(actor, period_id, Lang::De, None).await?;
        let mut en = self.report(actor, period_id, Lang::En, None).await?;
        let conn = self.store.conn();
        let number = store::report_versions(conn, period_id)
            .await?
            .first()
            .map_or(1, |v| v.number + 1);
        let now = Utc::now();
        for r in [&mut de, &mut en] {
            r.frozen_version = Some(number);
            r.frozen_at = Some(now);
            r.missing.clear();
        }
        let snapshot = serde_json::to_string(&Snapshot { de, en })
            .map_err(|e| Error::Internal(Box::new(e)))?;
        let tx = self.store.begin().await?;
        let row = store::insert_report_version(
            &tx,
            store::ReportVersionRow {
                id: Uuid::now_v7(),
                period_id,
                number,
                note: note.to_owned(),
                snapshot,
                created_at: now,
                created_by: actor.user_id,
            },
        )
        .await
        .map_err(|e| match e {
            msohub_store::Error::Taken(_) => {
                Error::Conflict("someone else finalised the report at the same moment".to_owned())
            }
            e => e.into(),
        })?;
        audit::record(
            &tx,
            actor,
            "report",
            period_id,
            "finalise",
            None,
            Some(serde_json::json!({"number": number, "note": note})),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(ReportVersion {
            number: row.number,
            note: row.note,
            created_at: row.created_at,
            created_by: Some(actor.display_name.clone()),
        })
    }

    /// The period's finalised versions, newest first.
    pub async fn report_versions(
        &self,
        actor: &Actor,
        period_id: Uuid,
    ) -> Result<Vec<ReportVersion>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let conn = self.store.conn();
        store::find_period(conn, period_id)
            .await?
            .ok_or(Error::NotFound)?;
        let mut out = Vec::new();
        for v in store::report_versions(conn, period_id).await? {
            let created_by = match v.created_by {
                Some(u) => msohub_store::users::find_user(conn, u)
                    .await?
                    .map(|u| u.display_name),
                None => None,
            };
            out.push(ReportVersion {
                number: v.number,
                note: v.note,
                created_at: v.created_at,
                created_by,
            });
        }
        Ok(out)
    }

    /// A finalised version exactly as it was frozen.
    pub async fn report_version(
        &self,
        actor: &Actor,
        period_id: Uuid,
        number: i32,
        lang: Lang,
    ) -> Result<Report, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let row = store::report_version(self.store.conn(), period_id, number)
            .await?
            .ok_or(Error::NotFound)?;
        let mut value: serde_json::Value =
            serde_json::from_str(&row.snapshot).map_err(|e| Error::Internal(Box::new(e)))?;
        for lang in ["de", "en"] {
            if let Some(r) = value.get_mut(lang) {
                upgrade(r);
            }
        }
        let snapshot: Snapshot =
            serde_json::from_value(value).map_err(|e| Error::Internal(Box::new(e)))?;
        Ok(match lang {
            Lang::De => snapshot.de,
            Lang::En => snapshot.en,
        })
    }

    /// The two versions to compare (`to: None`: the report as it would be
    /// generated now); `msohub_docs::report::diff` compares them.
    pub async fn report_pair(
        &self,
        actor: &Actor,
        period_id: Uuid,
        from: i32,
        to: Option<i32>,
        lang: Lang,
    ) -> Result<(Report, Report), Error> {
        let old = self.report_version(actor, period_id, from, lang).await?;
        let new = match to {
            Some(n) => self.report_version(actor, period_id, n, lang).await?,
            None => self.report(actor, period_id, lang, None).await?,
        };
        Ok((old, new))
    }
}

/// A version frozen before projects existed (targets, beyond, contacts and
/// meetings at the top) as a report with one chapter, so old versions read
/// and compare as they were.
fn upgrade(r: &mut serde_json::Value) {
    use serde_json::{Value, json};
    let Some(obj) = r.as_object_mut() else {
        return;
    };
    if obj.contains_key("chapters") {
        return;
    }
    let take =
        |obj: &mut serde_json::Map<String, Value>, k: &str| obj.remove(k).unwrap_or(Value::Null);
    let targets = take(obj, "targets");
    let beyond = take(obj, "beyond");
    let per_month = take(obj, "contacts_per_month");
    let introduction = obj
        .insert("introduction".into(), json!(""))
        .unwrap_or(json!(""));
    let outlook = obj.insert("outlook".into(), json!("")).unwrap_or(json!(""));
    let meetings = obj.get("meetings").cloned().unwrap_or(json!([]));
    let chapter = json!({
        "project": {"id": Uuid::nil(), "name": "", "description": "", "chart_counts": ["contacts"], "position": 0, "version": 0},
        "introduction": introduction,
        "targets": if targets.is_null() { json!([]) } else { targets },
        "verdict": obj.get("verdict").cloned().unwrap_or(json!("none")),
        "verdict_text": obj.get("verdict_text").cloned().unwrap_or(json!("")),
        "beyond": if beyond.is_null() { json!([]) } else { beyond },
        "outlook": outlook,
        "chart_counts": ["contacts"],
        "per_month": if per_month.is_null() { json!([]) } else { per_month },
        "meetings": meetings,
    });
    obj.insert("chapters".into(), json!([chapter]));
}
