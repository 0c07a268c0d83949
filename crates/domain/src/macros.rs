//! `code_enum!`: a closed set of values with stable codes (stored in the
//! database, sent through the API, keys of UI labels).

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident, $field:literal { $($variant:ident = $code:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            /// Every code, in order (the API document's `enum`).
            pub fn codes() -> Vec<&'static str> {
                $name::ALL.iter().map(|v| v.code()).collect()
            }

            /// The value of a code; nothing given is `required`, anything
            /// else not in the list `choice-unknown`.
            pub fn parse(input: &str) -> Result<$name, Error> {
                let s = input.trim();
                if s.is_empty() {
                    return Err(Error::new($field, "required"));
                }
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code() == s)
                    .ok_or(Error::new($field, "choice-unknown"))
            }
        }
    };
}
