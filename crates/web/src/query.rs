//! Query strings, typed: `Query<T>` reads the request's query string into a
//! struct (serde), and a parameter of the wrong type or shape answers with
//! the rule broken and the parameter's name — 422 problem+json in the API,
//! the translated error page elsewhere — never a silent default or a plain
//! text 400. Use it instead of axum's `Query` (clippy forbids that one).
//!
//! `param(raw, name)` reads one value of a raw query string, for the few
//! handlers that pass the whole string on (list filters with repeated
//! keys).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

/// The query string as `T`.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parse(parts.uri.query().unwrap_or(""))
            .map(Query)
            .map_err(|field| {
                if parts.uri.path().starts_with("/api/") {
                    crate::api_error::ApiError::from(msohub_service::Error::field(
                        &field,
                        "parameter-invalid",
                    ))
                    .into_response()
                } else {
                    crate::error::error_marker_with(
                        axum::http::StatusCode::BAD_REQUEST,
                        "parameter-invalid",
                    )
                }
            })
    }
}

/// Parses a query string; `Err` names the parameter at fault (or `query`
/// when serde cannot say). A key given more than once fills a list
/// (`kind=mso&kind=welfare`); for a single value the first one counts.
pub fn parse<T: DeserializeOwned>(raw: &str) -> Result<T, String> {
    let mut pairs: Vec<(String, Vec<String>)> = Vec::new();
    for (k, v) in form_urlencoded::parse(raw.as_bytes()) {
        match pairs.iter_mut().find(|(key, _)| *key == k) {
            Some((_, values)) => values.push(v.into_owned()),
            None => pairs.push((k.into_owned(), vec![v.into_owned()])),
        }
    }
    let deserializer = de::Pairs(pairs);
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let path = e.path().to_string();
        if path.is_empty() || path == "." {
            // serde names a missing field in the message only.
            e.inner()
                .to_string()
                .split('`')
                .nth(1)
                .map_or_else(|| "query".to_owned(), str::to_owned)
        } else {
            path.split('[').next().unwrap_or(&path).to_owned()
        }
    })
}

/// The deserializer behind [`parse`]: a map of names to their values, each
/// value text that becomes the number, flag, choice or list the field asks
/// for.
mod de {
    use serde::de::value::{Error, MapDeserializer, SeqDeserializer};
    use serde::de::{self, Deserializer, IntoDeserializer, Visitor};

    pub struct Pairs(pub Vec<(String, Vec<String>)>);

    impl<'de> Deserializer<'de> for Pairs {
        type Error = Error;

        fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            let map = MapDeserializer::new(self.0.into_iter().map(|(k, v)| (k, Values(v))));
            visitor.visit_map(map)
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map struct enum identifier ignored_any
        }
    }

    /// Every value given for one name.
    struct Values(Vec<String>);

    impl<'de> IntoDeserializer<'de, Error> for Values {
        type Deserializer = Self;
        fn into_deserializer(self) -> Self {
            self
        }
    }

    impl Values {
        /// The one value of a parameter that takes one; given twice, it is
        /// refused rather than half read.
        fn one(self) -> Result<Text, Error> {
            if self.0.len() > 1 {
                return Err(de::Error::custom("one value expected, got several"));
            }
            Ok(Text(self.0.into_iter().next().unwrap_or_default()))
        }
    }

    macro_rules! one {
        ($($method:ident)*) => {$(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                self.one()?.$method(visitor)
            }
        )*};
    }

    impl<'de> Deserializer<'de> for Values {
        type Error = Error;

        fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            if self.0.len() > 1 {
                self.deserialize_seq(visitor)
            } else {
                self.one()?.deserialize_any(visitor)
            }
        }

        fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_seq(SeqDeserializer::new(self.0.into_iter().map(Text)))
        }

        fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_some(self)
        }

        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            visitor: V,
        ) -> Result<V::Value, Error> {
            visitor.visit_newtype_struct(self)
        }

        fn deserialize_enum<V: Visitor<'de>>(
            self,
            name: &'static str,
            variants: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, Error> {
            self.one()?.deserialize_enum(name, variants, visitor)
        }

        one! {
            deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
            deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32
            deserialize_f64 deserialize_char deserialize_str deserialize_string
            deserialize_identifier deserialize_bytes deserialize_byte_buf deserialize_unit
        }

        fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_unit()
        }

        serde::forward_to_deserialize_any! {
            i128 u128 unit_struct tuple tuple_struct map struct
        }
    }

    /// One value as text.
    struct Text(String);

    impl<'de> IntoDeserializer<'de, Error> for Text {
        type Deserializer = Self;
        fn into_deserializer(self) -> Self {
            self
        }
    }

    macro_rules! parsed {
        ($($method:ident => $visit:ident,)*) => {$(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                match self.0.trim().parse() {
                    Ok(v) => visitor.$visit(v),
                    Err(_) => Err(de::Error::invalid_value(de::Unexpected::Str(&self.0), &visitor)),
                }
            }
        )*};
    }

    impl<'de> Deserializer<'de> for Text {
        type Error = Error;

        fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_string(self.0)
        }

        fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_some(self)
        }

        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            visitor: V,
        ) -> Result<V::Value, Error> {
            visitor.visit_newtype_struct(self)
        }

        fn deserialize_enum<V: Visitor<'de>>(
            self,
            _name: &'static str,
            _variants: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, Error> {
            visitor.visit_enum(self.0.into_deserializer())
        }

        fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_seq(SeqDeserializer::new(std::iter::once(self)))
        }

        fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match super::flag(&self.0) {
                Some(value) => visitor.visit_bool(value.unwrap_or(false)),
                None => Err(de::Error::invalid_value(
                    de::Unexpected::Str(&self.0),
                    &visitor,
                )),
            }
        }

        parsed! {
            deserialize_i8 => visit_i8,
            deserialize_i16 => visit_i16,
            deserialize_i32 => visit_i32,
            deserialize_i64 => visit_i64,
            deserialize_u8 => visit_u8,
            deserialize_u16 => visit_u16,
            deserialize_u32 => visit_u32,
            deserialize_u64 => visit_u64,
            deserialize_f32 => visit_f32,
            deserialize_f64 => visit_f64,
        }

        serde::forward_to_deserialize_any! {
            i128 u128 char str string bytes byte_buf unit unit_struct tuple
            tuple_struct map struct identifier ignored_any
        }
    }
}

/// One parameter of a raw query string (the first, decoded); `None` when
/// absent.
pub fn param(raw: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// A yes/no query value: true, 1 or on; false or 0; empty (a form's
/// "any") is `Some(None)`; anything else `None`. Spaces, tabs and line breaks around it are dropped
/// (ASCII ones only: the document's pattern says the same).
pub fn flag(raw: &str) -> Option<Option<bool>> {
    match raw.trim_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']) {
        "" => Some(None),
        "true" | "1" | "on" => Some(Some(true)),
        "false" | "0" => Some(Some(false)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    struct P {
        page: Option<u64>,
        name: String,
    }

    #[test]
    fn wrong_types_name_their_parameter() {
        let p: P = parse("page=2&name=x").unwrap();
        assert_eq!((p.page, p.name.as_str()), (Some(2), "x"));
        assert_eq!(parse::<P>("page=zwei&name=x").unwrap_err(), "page");
        assert_eq!(parse::<P>("page=-1&name=x").unwrap_err(), "page");
        assert_eq!(parse::<P>("page=2").unwrap_err(), "name");
        assert_eq!(param(Some("a=1&b=%C3%BC"), "b").as_deref(), Some("ü"));
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Mso,
        Welfare,
    }

    #[derive(serde::Deserialize, Debug, Default)]
    #[serde(default)]
    struct L {
        kind: Vec<Kind>,
        topic: Vec<String>,
        deleted: Option<bool>,
        limit: Option<u32>,
        q: Option<String>,
        id: Option<uuid::Uuid>,
    }

    #[test]
    fn repeated_keys_fill_lists_and_values_are_typed() {
        let l: L = parse("kind=mso&kind=welfare&topic=a&deleted=true&q=x").unwrap();
        assert_eq!(l.kind, vec![Kind::Mso, Kind::Welfare]);
        assert_eq!(l.topic, vec!["a".to_owned()]);
        assert_eq!((l.deleted, l.q.as_deref()), (Some(true), Some("x")));
        // A parameter that takes one value, given twice, is refused.
        assert_eq!(parse::<L>("q=x&q=y").unwrap_err(), "q");
        let l: L = parse("").unwrap();
        assert!(l.kind.is_empty() && l.limit.is_none());
        assert_eq!(parse::<L>("kind=club").unwrap_err(), "kind");
        assert_eq!(parse::<L>("deleted=maybe").unwrap_err(), "deleted");
        assert_eq!(parse::<L>("limit=5000000000").unwrap_err(), "limit");
        assert_eq!(parse::<L>("id=not-a-uuid").unwrap_err(), "id");
        let l: L = parse("id=67e55044-10b1-426f-9247-bb680e5fe0c8&unknown=1").unwrap();
        assert!(l.id.is_some());
    }
}
