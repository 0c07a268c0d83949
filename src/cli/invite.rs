//! `msohub invite PERSON --organisation ORG`: invites a contact person
//! (by id or e-mail address) into the MSO portal for one of their
//! organisations. Without a mail server the link is printed (once), as the
//! last line, to be passed on by hand; with one, the e-mail goes out.

use clap::Args;
use msohub_service::{Actor, DatabaseUrl, Services};
use uuid::Uuid;

#[derive(Debug, Args)]
pub struct InviteArgs {
    /// The person: their id, or their e-mail address.
    person: String,
    /// The organisation they act for (its id); they must currently belong
    /// to it.
    #[arg(long)]
    organisation: Uuid,
}

pub async fn run(database_url: &str, args: InviteArgs) -> anyhow::Result<()> {
    let services = Services::open(&DatabaseUrl::parse(database_url)?, true).await?;
    let cli = Actor::cli();
    let person = match args.person.parse::<Uuid>() {
        Ok(id) => id,
        Err(_) => {
            let wanted = args.person.trim().to_lowercase();
            let page = services
                .list_persons(&cli, &wanted, None, 50)
                .await
                .map_err(super::describe)?;
            let found: Vec<_> = page
                .items
                .iter()
                .filter(|p| p.email.as_deref().map(str::to_lowercase) == Some(wanted.clone()))
                .collect();
            match found.as_slice() {
                [one] => one.id,
                [] => anyhow::bail!("no person with the e-mail address {wanted}"),
                _ => anyhow::bail!(
                    "several persons have the e-mail address {wanted}: name one by its id"
                ),
            }
        }
    };
    let outcome = services
        .invite_representative(&cli, person, args.organisation)
        .await
        .map_err(super::describe)?;
    let i = &outcome.invitation;
    println!(
        "invitation {} for {} ({}) of {}, valid until {}",
        i.id,
        i.person.name,
        i.email,
        i.organisation.name,
        i.expires_at.format("%Y-%m-%d %H:%M UTC")
    );
    match outcome.link {
        Some(link) => {
            println!("no mail server is set up; the link, shown once:");
            println!("{link}");
        }
        None => println!("sent by e-mail to {}", i.email),
    }
    services.close().await;
    Ok(())
}
