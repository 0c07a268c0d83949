//! An in-memory, offline [`World`] for the Typst compiler.
//!
//! Everything the compiler can reach is decided here: the standard library
//! (built once), the embedded DejaVu Sans fonts (parsed once), the main source
//! and the virtual files handed to [`crate::pdf`]. There is no file system,
//! no system font lookup and no package download.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{Datelike, Duration as ChronoDuration, NaiveDate, Utc};
use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook, FontFamily, FontList, TextElem};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The family name of the embedded default font.
pub const FONT_FAMILY: &str = "DejaVu Sans";

/// The embedded fonts: DejaVu Sans in its four styles.
pub(crate) static FONT_DATA: [&[u8]; 4] = [
    include_bytes!("../fonts/DejaVuSans.ttf"),
    include_bytes!("../fonts/DejaVuSans-Bold.ttf"),
    include_bytes!("../fonts/DejaVuSans-Oblique.ttf"),
    include_bytes!("../fonts/DejaVuSans-BoldOblique.ttf"),
];

/// The parsed fonts and the font book describing them, built once.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONT_DATA
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect();
    let book = LazyHash::new(FontBook::from_fonts(&fonts));
    Fonts { book, fonts }
});

/// The standard library with DejaVu Sans as the default text font, built once.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| {
    let mut library = Library::default();
    library
        .styles
        .set(TextElem::font, FontList(vec![FontFamily::new(FONT_FAMILY)]));
    LazyHash::new(library)
});

/// The path of the main source file inside the virtual project.
const MAIN_PATH: &str = "main.typ";

/// Interns a path of the virtual project as a file id.
pub(crate) fn project_file_id(path: &str) -> Result<FileId, String> {
    let vpath =
        VirtualPath::new(path).map_err(|err| format!("invalid file path {path:?}: {err}"))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// One compilation's world: the main markup plus the extra virtual files.
pub(crate) struct MemoryWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
}

impl MemoryWorld {
    pub(crate) fn new(source: &str, files: &[(&str, &[u8])]) -> Result<Self, String> {
        let main_id = project_file_id(MAIN_PATH)?;
        let mut map = HashMap::with_capacity(files.len());
        for (path, data) in files {
            let id = project_file_id(path)?;
            if id == main_id {
                return Err(format!("the virtual file name {path:?} is reserved"));
            }
            map.insert(id, Bytes::new(data.to_vec()));
        }
        Ok(Self {
            main: Source::new(main_id, source.to_owned()),
            files: map,
        })
    }

    /// The main source, for mapping diagnostics back to line and column.
    pub(crate) fn main_source(&self) -> &Source {
        &self.main
    }
}

/// The error for anything that lives in a package: there is no package
/// manager here, and nothing is ever downloaded.
fn package_error(id: FileId) -> Option<FileError> {
    match id.root() {
        VirtualRoot::Project => None,
        VirtualRoot::Package(spec) => Some(FileError::Package(PackageError::Other(Some(
            typst::ecow::eco_format!(
                "package {spec} is not available: packages cannot be imported, \
                 the PDF renderer works offline with Typst's built-in functions only"
            ),
        )))),
    }
}

impl World for MemoryWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        if let Some(err) = package_error(id) {
            return Err(err);
        }
        let bytes = self.file(id)?;
        let text = std::str::from_utf8(&bytes)?;
        Ok(Source::new(id, text.to_owned()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        if let Some(err) = package_error(id) {
            return Err(err);
        }
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.vpath().get_without_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, offset: Option<Duration>) -> Option<Datetime> {
        let now = Utc::now().naive_utc();
        let local = match offset {
            // Whole seconds are plenty for a date.
            Some(offset) => now + ChronoDuration::seconds(offset.seconds() as i64),
            None => now + ChronoDuration::hours(berlin_utc_offset_hours(now)),
        };
        Datetime::from_ymd(
            local.year(),
            u8::try_from(local.month()).ok()?,
            u8::try_from(local.day()).ok()?,
        )
    }
}

/// The UTC offset of Europe/Berlin at the given UTC time: +2 during EU summer
/// time (last Sunday of March 01:00 UTC until last Sunday of October 01:00
/// UTC), +1 otherwise. Enough for "today" without a time zone database.
fn berlin_utc_offset_hours(utc: chrono::NaiveDateTime) -> i64 {
    let year = utc.year();
    let switch = |month: u32| {
        last_sunday(year, month)
            .and_then(|day| day.and_hms_opt(1, 0, 0))
            .unwrap_or(utc)
    };
    if utc >= switch(3) && utc < switch(10) {
        2
    } else {
        1
    }
}

/// The last Sunday of a month (not December).
fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let last = NaiveDate::from_ymd_opt(year, month + 1, 1)?.pred_opt()?;
    let back = last.weekday().num_days_from_sunday();
    last.checked_sub_signed(ChronoDuration::days(i64::from(back)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn berlin_offsets() {
        let at = |s: &str| {
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("valid date")
        };
        assert_eq!(berlin_utc_offset_hours(at("2025-01-15 12:00")), 1);
        assert_eq!(berlin_utc_offset_hours(at("2025-03-30 00:59")), 1);
        assert_eq!(berlin_utc_offset_hours(at("2025-03-30 01:00")), 2);
        assert_eq!(berlin_utc_offset_hours(at("2025-07-01 12:00")), 2);
        assert_eq!(berlin_utc_offset_hours(at("2025-10-26 00:59")), 2);
        assert_eq!(berlin_utc_offset_hours(at("2025-10-26 01:00")), 1);
    }

    #[test]
    fn font_book_has_dejavu_sans_in_four_styles() {
        assert_eq!(FONTS.fonts.len(), 4);
        assert_eq!(
            FONTS
                .book
                .select_family(&FONT_FAMILY.to_lowercase())
                .count(),
            4
        );
    }
}
