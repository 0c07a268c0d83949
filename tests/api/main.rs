//! Integration tests: the real application on port 0 against a fresh
//! database, on SQLite and on PostgreSQL.
//!
//! Every test is an `async fn(TestApp)` (or `fn(TestDb)`) listed in a
//! `on_both_databases!` block, which makes a `sqlite` and a `postgres` test of
//! it. The PostgreSQL variant uses `MSOHUB_TEST_POSTGRES_URL`; when that is
//! set and the server cannot be reached, the test fails rather than skips.
//! All tests compile into this one binary (fast to link, one harness).

#![allow(clippy::unwrap_used, clippy::expect_used)]
// Tests talk to the app with their own HTTP client.
#![allow(clippy::disallowed_types)]

mod helpers;

mod access;
mod accounts;
mod api_accounts;
mod audit;
mod backup;
mod beyond;
mod bodies;
mod cli;
mod concurrent;
mod contract;
mod crash_backup;
mod dated_needs;
mod directory;
mod events;
mod export;
mod finder;
mod health;
mod hsds;
mod import;
mod index_folder;
mod logos;
mod mailings;
mod memberships;
mod offers;
mod oparl;
mod openapi;
mod organisations;
mod pages;
mod periods;
mod persons;
mod portal;
mod privacy;
mod projects;
mod query_params;
mod search;
mod security;
mod seed_report;
mod settings;
mod smtp;
mod survey_links;
mod surveys;
mod targets;
mod taxonomies;
mod work;
