//! Dated versions of one list (the snapshots `lists update` keeps), each read only when a record
//! needs it, and the choice of the version in force on a record's date.
//!
//! A snapshot is known by the day its list was generated (`dateGenerated`); its entries are read
//! by a loader the caller gives (the library opens no file), at most once, on first use.

use std::fmt;
use std::sync::OnceLock;

use chrono::NaiveDate;

use super::ListCatalog;

/// Reads a snapshot's entries: the catalog, or why it cannot be used
pub type Loader = Box<dyn Fn() -> Result<ListCatalog, String> + Send + Sync>;

/// One dated version of a list, read on first use
pub struct Snapshot {
    /// The list's `dateGenerated`, as written
    pub generated: String,
    /// The day it was generated: the first day it is in force
    pub day: NaiveDate,
    load: Loader,
    catalog: OnceLock<Result<ListCatalog, String>>,
}

impl fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Snapshot")
            .field("generated", &self.generated)
            .field("day", &self.day)
            .field("loaded", &self.is_loaded())
            .finish_non_exhaustive()
    }
}

impl Snapshot {
    /// A snapshot generated at `generated` (its day is `day`), read by `load` on first use
    pub fn new(generated: impl Into<String>, day: NaiveDate, load: Loader) -> Self {
        Snapshot {
            generated: generated.into(),
            day,
            load,
            catalog: OnceLock::new(),
        }
    }

    /// A snapshot whose entries are already read
    pub fn loaded(generated: impl Into<String>, day: NaiveDate, catalog: ListCatalog) -> Self {
        let snapshot = Snapshot::new(
            generated,
            day,
            Box::new(|| Err("already loaded".to_string())),
        );
        let _ = snapshot.catalog.set(Ok(catalog));
        snapshot
    }

    /// Its entries, read now if they were not yet; the error says why they cannot be used
    pub fn catalog(&self) -> Result<&ListCatalog, &str> {
        self.catalog
            .get_or_init(|| (self.load)())
            .as_ref()
            .map_err(String::as_str)
    }

    /// Whether its entries have been read (successfully or not)
    pub fn is_loaded(&self) -> bool {
        self.catalog.get().is_some()
    }
}

/// The position of the snapshot in force on `day` among snapshots sorted oldest first: the
/// newest generated on or before `day` where there is one, else the newest; `None` when there
/// are no snapshots. The `bool` is whether it is in force on that day (false: the fallback).
pub fn in_force(days: &[NaiveDate], day: NaiveDate) -> Option<(usize, bool)> {
    let newest = days.len().checked_sub(1)?;
    match days.iter().rposition(|d| *d <= day) {
        Some(i) => Some((i, true)),
        None => Some((newest, false)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn the_newest_generated_on_or_before_the_day_else_the_newest() {
        let days = [day("2025-08-02"), day("2026-02-27"), day("2026-05-08")];
        assert_eq!(in_force(&days, day("2026-02-26")), Some((0, true)));
        assert_eq!(in_force(&days, day("2026-02-27")), Some((1, true)));
        assert_eq!(in_force(&days, day("2026-05-07")), Some((1, true)));
        assert_eq!(in_force(&days, day("2030-01-01")), Some((2, true)));
        assert_eq!(in_force(&days, day("2025-08-01")), Some((2, false)));
        assert_eq!(in_force(&[], day("2025-08-01")), None);
    }

    #[test]
    fn a_snapshot_is_read_once_on_first_use() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&calls);
        let s = Snapshot::new(
            "2026-01-01T00:00:00Z",
            day("2026-01-01"),
            Box::new(move || {
                counter.fetch_add(1, Ordering::SeqCst);
                Err("broken".to_string())
            }),
        );
        assert!(!s.is_loaded());
        assert_eq!(s.catalog().err(), Some("broken"));
        assert_eq!(s.catalog().err(), Some("broken"));
        assert!(s.is_loaded());
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
