//! SeaORM entities, one module per table. Only this crate sees them.

pub mod setting;
