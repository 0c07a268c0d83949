//! JSON merge for PATCH: the fields a body names replace the current ones;
//! `version` (the one the change is based on) is required.

use crate::{Error, FieldError};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub fn merge<T: Serialize + DeserializeOwned>(
    current: &T,
    patch: &serde_json::Value,
) -> Result<T, Error> {
    let Some(fields) = patch.as_object() else {
        return Err(Error::field("body", "object-required"));
    };
    if !fields.contains_key("version") {
        return Err(Error::Validation(vec![FieldError::new(
            "version", "required",
        )]));
    }
    let mut merged = serde_json::to_value(current).map_err(|e| Error::Internal(Box::new(e)))?;
    for (k, v) in fields {
        if merged.get(k).is_none() {
            return Err(Error::field(k, "field-unknown"));
        }
        merged[k] = v.clone();
    }
    serde_json::from_value(merged).map_err(|e| Error::field("body", &format!("invalid: {e}")))
}
