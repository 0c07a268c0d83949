//! `msohub token create|revoke`: personal API tokens for scripts. `create`
//! prints the token as the last line of its output, so scripts can take it
//! with `tail -n 1`.

use clap::Subcommand;
use msohub_service::{Actor, DatabaseUrl, Services};
use uuid::Uuid;

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token for the account with this e-mail address.
    Create {
        email: String,
        /// What the token is for (shown in the account's token list).
        #[arg(long, default_value = "Kommandozeile")]
        name: String,
    },
    /// Revoke a token, given its id (see GET /api/v1/tokens) or the token itself.
    Revoke { token: String },
}

pub async fn run(database_url: &str, command: TokenCommand) -> anyhow::Result<()> {
    let services = Services::open(&DatabaseUrl::parse(database_url)?, true).await?;
    let cli = Actor::cli();
    match command {
        TokenCommand::Create { email, name } => {
            let user = services
                .find_user_by_email(&cli, &email)
                .await
                .map_err(super::describe)?;
            let created = services
                .create_token(&cli, user.id, &name)
                .await
                .map_err(super::describe)?;
            println!(
                "token {} for {} (id {}); shown once:",
                created.token.name, user.email, created.token.id
            );
            println!("{}", created.secret);
        }
        TokenCommand::Revoke { token } => {
            let id = match token.parse::<Uuid>() {
                Ok(id) => {
                    services
                        .revoke_token(&cli, id)
                        .await
                        .map_err(super::describe)?;
                    id
                }
                Err(_) => services
                    .revoke_token_by_secret(&cli, &token)
                    .await
                    .map_err(super::describe)?,
            };
            println!("token {id} revoked");
        }
    }
    services.close().await;
    Ok(())
}
