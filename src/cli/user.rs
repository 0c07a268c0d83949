//! `msohub user add|list`: manage accounts from the command line (the
//! operator acts with admin rights; every change is in the audit log as
//! "cli").

use clap::Subcommand;
use msohub_service::accounts::NewUser;
use msohub_service::{Actor, DatabaseUrl, Services};

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. Without --password a one-time password is printed,
    /// which must be changed at the first sign-in.
    Add {
        /// E-mail address (the sign-in name).
        email: String,
        /// admin, staff, representative or auditor.
        #[arg(long)]
        role: String,
        /// Display name (default: the part of the address before the @).
        #[arg(long)]
        name: Option<String>,
        /// Initial password (at least 12 characters).
        #[arg(long, env = "MSOHUB_USER_PASSWORD")]
        password: Option<String>,
    },
    /// List all accounts.
    List,
}

pub async fn run(database_url: &str, command: UserCommand) -> anyhow::Result<()> {
    let services = Services::open(&DatabaseUrl::parse(database_url)?, true).await?;
    let cli = Actor::cli();
    match command {
        UserCommand::Add {
            email,
            role,
            name,
            password,
        } => {
            let display_name =
                name.unwrap_or_else(|| email.split('@').next().unwrap_or(&email).to_owned());
            let (user, one_time) = services
                .create_user(
                    &cli,
                    NewUser {
                        email,
                        display_name,
                        role,
                        organisation_id: None,
                        password,
                        form_of_address: String::new(),
                    },
                )
                .await
                .map_err(super::describe)?;
            println!("created {} ({}), id {}", user.email, user.role, user.id);
            if let Some(p) = one_time {
                println!("one-time password (must be changed at first sign-in): {p}");
            }
        }
        UserCommand::List => {
            for u in services.list_users(&cli).await.map_err(super::describe)? {
                let status = if u.disabled { "disabled" } else { "active" };
                let last = u
                    .last_login_at
                    .map_or_else(|| "never".to_owned(), |t| t.to_rfc3339());
                println!(
                    "{}\t{}\t{}\t{status}\tlast sign-in {last}",
                    u.id, u.email, u.role
                );
            }
        }
    }
    services.close().await;
    Ok(())
}
