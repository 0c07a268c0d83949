//! The public registry and its offers in the Human Services Data
//! Specification (HSDS 3.0, Open Referral): organisations with their
//! locations, and services with schedules, languages and costs. Only what
//! is public goes out: organisations listed in the directory with the parts
//! they chose to show (description, address, contact, languages), and their
//! public offers. No contact persons (they would need consent checks).

use crate::publication::{Published, offer_online_link};
use crate::{Error, Services};
use serde::Serialize;
use uuid::Uuid;

/// A page in the HSDS API's shape.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HsdsOrganizationPage {
    pub total_items: u64,
    pub total_pages: u64,
    pub page_number: u64,
    pub size: u64,
    pub first_page: bool,
    pub last_page: bool,
    pub empty: bool,
    pub contents: Vec<HsdsOrganization>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HsdsServicePage {
    pub total_items: u64,
    pub total_pages: u64,
    pub page_number: u64,
    pub size: u64,
    pub first_page: bool,
    pub last_page: bool,
    pub empty: bool,
    pub contents: Vec<HsdsService>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HsdsOrganization {
    pub id: Uuid,
    pub name: String,
    pub alternate_name: Option<String>,
    pub description: String,
    pub email: Option<String>,
    pub website: Option<String>,
    pub year_incorporated: Option<i32>,
    pub legal_status: Option<String>,
    pub phones: Vec<HsdsPhone>,
    pub locations: Vec<HsdsLocation>,
    pub languages: Vec<HsdsLanguage>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HsdsPhone {
    pub id: String,
    pub number: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HsdsLocation {
    pub id: String,
    /// physical or virtual
    pub location_type: String,
    pub name: String,
    pub url: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub addresses: Vec<HsdsAddress>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HsdsAddress {
    pub id: String,
    pub address_1: String,
    pub city: String,
    pub region: Option<String>,
    pub state_province: String,
    pub postal_code: String,
    pub country: String,
    pub address_type: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HsdsLanguage {
    pub id: String,
    pub name: String,
    pub code: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HsdsSchedule {
    pub id: String,
    pub service_id: Uuid,
    pub valid_from: Option<chrono::NaiveDate>,
    pub valid_to: Option<chrono::NaiveDate>,
    /// WEEKLY or MONTHLY
    pub freq: Option<String>,
    pub interval: Option<u32>,
    pub byday: Option<String>,
    pub bymonthday: Option<String>,
    pub until: Option<String>,
    pub count: Option<u32>,
    pub opens_at: Option<String>,
    pub closes_at: Option<String>,
    /// The iCalendar rule as entered.
    pub schedule_link: Option<String>,
    pub timezone: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HsdsCostOption {
    pub id: String,
    /// "free", or the fee as entered
    pub option: String,
    pub currency: Option<String>,
    pub amount_description: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HsdsService {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    pub description: String,
    pub url: Option<String>,
    /// active, inactive, defunct
    pub status: String,
    pub application_process: String,
    pub fees_description: String,
    pub accessibility: String,
    pub minimum_age: Option<i32>,
    pub maximum_age: Option<i32>,
    /// The category (an `offer_category` code) and target groups.
    pub attributes: Vec<HsdsAttribute>,
    pub languages: Vec<HsdsLanguage>,
    pub schedules: Vec<HsdsSchedule>,
    pub cost_options: Vec<HsdsCostOption>,
    pub service_at_locations: Vec<HsdsLocation>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HsdsAttribute {
    /// offer_category or target_group
    pub taxonomy: String,
    pub code: String,
}

fn language(code: &str) -> HsdsLanguage {
    let name = msohub_domain::offers::OFFER_LANGUAGES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map_or(code, |(_, _, en)| en);
    HsdsLanguage {
        id: format!("lang-{code}"),
        name: name.to_owned(),
        code: code.to_owned(),
    }
}

fn page_of(page: u64, per_page: u64, total: u64) -> (u64, u64, bool, bool) {
    let pages = total.div_ceil(per_page).max(1);
    (pages, page, page <= 1, page >= pages)
}

/// The page and page size asked for: page from 1 (at most 1,000,000, so
/// the offset cannot overflow), 1–500 per page.
pub fn paging(page: Option<u64>, per_page: Option<u64>) -> (u64, u64) {
    (
        page.unwrap_or(1).clamp(1, 1_000_000),
        per_page.unwrap_or(100).clamp(1, 500),
    )
}

impl Services {
    /// Public organisations, by name.
    pub async fn hsds_organizations(
        &self,
        page: u64,
        per_page: u64,
    ) -> Result<HsdsOrganizationPage, Error> {
        let filter = msohub_store::organisations::OrgFilter {
            public_only: true,
            ..Default::default()
        };
        let (rows, total) = msohub_store::organisations::list(
            self.store.conn(),
            &filter,
            Default::default(),
            (page - 1) * per_page,
            per_page,
        )
        .await?;
        let contents: Vec<HsdsOrganization> = rows
            .into_iter()
            .filter_map(|r| Published::of_row(&r))
            .map(|r| {
                let mut locations = Vec::new();
                if let Some(city) = r.city.clone() {
                    locations.push(HsdsLocation {
                        id: format!("loc-{}", r.id),
                        location_type: "physical".into(),
                        name: r.name.clone(),
                        url: None,
                        latitude: r.position.map(|p| p.0),
                        longitude: r.position.map(|p| p.1),
                        addresses: vec![HsdsAddress {
                            id: format!("addr-{}", r.id),
                            address_1: r.street.clone().unwrap_or_default(),
                            city,
                            region: r.district.clone(),
                            state_province: String::new(),
                            postal_code: r.postcode.clone().unwrap_or_default(),
                            country: "DE".into(),
                            address_type: "physical".into(),
                        }],
                    });
                }
                HsdsOrganization {
                    id: r.id,
                    alternate_name: r.alternate_names.first().cloned(),
                    description: r.description.clone(),
                    email: r.email.clone(),
                    website: r.website.clone(),
                    year_incorporated: r.founding_year,
                    legal_status: r.legal_status.clone(),
                    phones: r
                        .phone
                        .clone()
                        .map(|n| {
                            vec![HsdsPhone {
                                id: format!("phone-{}", r.id),
                                number: n,
                            }]
                        })
                        .unwrap_or_default(),
                    languages: r.languages.iter().map(|l| language(l)).collect(),
                    locations,
                    name: r.name,
                }
            })
            .collect();
        let (total_pages, page_number, first_page, last_page) = page_of(page, per_page, total);
        Ok(HsdsOrganizationPage {
            total_items: total,
            total_pages,
            page_number,
            size: contents.len() as u64,
            first_page,
            last_page,
            empty: contents.is_empty(),
            contents,
        })
    }

    /// Public offers of public organisations, as HSDS services.
    pub async fn hsds_services(&self, page: u64, per_page: u64) -> Result<HsdsServicePage, Error> {
        let filter = crate::publication::published_offers();
        let (rows, total) = msohub_store::offers::list_offers(
            self.store.conn(),
            &filter,
            (page - 1) * per_page,
            per_page,
        )
        .await?;
        let offers = self.assemble_offers(rows).await?;
        let contents = offers
            .into_iter()
            .map(|o| {
                let rule = parse_rule(&o.schedule_rrule);
                let mut locations = Vec::new();
                match o.location_kind.as_str() {
                    "online" => locations.push(HsdsLocation {
                        id: format!("loc-{}", o.id),
                        location_type: "virtual".into(),
                        name: o.title.clone(),
                        url: offer_online_link(&o),
                        latitude: None,
                        longitude: None,
                        addresses: Vec::new(),
                    }),
                    "other" => locations.push(HsdsLocation {
                        id: format!("loc-{}", o.id),
                        location_type: "physical".into(),
                        name: o.title.clone(),
                        url: None,
                        latitude: None,
                        longitude: None,
                        addresses: vec![HsdsAddress {
                            id: format!("addr-{}", o.id),
                            address_1: o.street.clone(),
                            city: o.city.clone(),
                            region: None,
                            state_province: String::new(),
                            postal_code: o.postcode.clone(),
                            country: "DE".into(),
                            address_type: "physical".into(),
                        }],
                    }),
                    // At the organisation's address: its location.
                    _ => {}
                }
                let mut attributes = Vec::new();
                if !o.category.is_empty() {
                    attributes.push(HsdsAttribute {
                        taxonomy: "offer_category".into(),
                        code: o.category.clone(),
                    });
                }
                for t in &o.target_groups {
                    attributes.push(HsdsAttribute {
                        taxonomy: "target_group".into(),
                        code: t.clone(),
                    });
                }
                HsdsService {
                    id: o.id,
                    organization_id: o.organisation.id,
                    name: o.title.clone(),
                    description: o.description.clone(),
                    url: offer_online_link(&o),
                    status: match o.status.as_str() {
                        "active" => "active",
                        "paused" => "inactive",
                        _ => "defunct",
                    }
                    .into(),
                    application_process: if o.registration_required {
                        o.registration_how.clone()
                    } else {
                        String::new()
                    },
                    fees_description: o.cost_text.clone(),
                    accessibility: o.accessibility.clone(),
                    minimum_age: o.age_min,
                    maximum_age: o.age_max,
                    attributes,
                    languages: o.languages.iter().map(|l| language(l)).collect(),
                    schedules: if o.schedule_rrule.is_empty() && o.schedule_text.is_empty() {
                        Vec::new()
                    } else {
                        vec![HsdsSchedule {
                            id: format!("sched-{}", o.id),
                            service_id: o.id,
                            valid_from: o.valid_from,
                            valid_to: o.valid_to,
                            freq: rule.get("FREQ").cloned(),
                            interval: rule.get("INTERVAL").and_then(|v| v.parse().ok()),
                            byday: rule.get("BYDAY").cloned(),
                            bymonthday: rule.get("BYMONTHDAY").cloned(),
                            until: rule.get("UNTIL").cloned(),
                            count: rule.get("COUNT").and_then(|v| v.parse().ok()),
                            opens_at: o.starts_time.clone(),
                            closes_at: o.ends_time.clone(),
                            schedule_link: Some(o.schedule_rrule.clone()).filter(|r| !r.is_empty()),
                            timezone: "Europe/Berlin".into(),
                            description: o.schedule_text.clone(),
                        }]
                    },
                    cost_options: vec![HsdsCostOption {
                        id: format!("cost-{}", o.id),
                        option: o.cost_kind.clone(),
                        currency: (o.cost_kind == "amount").then(|| "EUR".to_owned()),
                        amount_description: o.cost_text.clone(),
                    }],
                    service_at_locations: locations,
                }
            })
            .collect::<Vec<_>>();
        let (total_pages, page_number, first_page, last_page) = page_of(page, per_page, total);
        Ok(HsdsServicePage {
            total_items: total,
            total_pages,
            page_number,
            size: contents.len() as u64,
            first_page,
            last_page,
            empty: contents.is_empty(),
            contents,
        })
    }
}

/// `FREQ=WEEKLY;BYDAY=TU` → its parts.
fn parse_rule(rule: &str) -> std::collections::BTreeMap<String, String> {
    rule.split(';')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.trim().to_uppercase(), v.trim().to_owned()))
        .collect()
}
