//! The msohub binary's library half: command-line interface and start-up.
//!
//! `main.rs` only parses the command line and reports errors; everything it
//! runs lives here so the integration tests can start the very same
//! application on port 0 ([`startup::Application`]).

pub mod cli;
pub mod startup;
