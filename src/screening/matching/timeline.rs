//! Lists kept in dated snapshots: which version of each list was in force on a record's date,
//! each snapshot indexed on first use, and the designations of a list used for what the other
//! lacks noted as such.

use std::sync::{Mutex, OnceLock};

use chrono::NaiveDate;

use super::Indexed;
use crate::model::Designation;
use crate::screening::index::{IdKind, normalize_id};
use crate::screening::lists::snapshot::{Snapshot, in_force};

/// A list kept in dated snapshots, each indexed on first use
#[derive(Debug)]
pub(super) struct Timeline<'a> {
    pub(super) label: String,
    pub(super) snapshots: &'a [Snapshot],
    pub(super) days: Vec<NaiveDate>,
    pub(super) indexed: Vec<OnceLock<Option<Indexed<'a>>>>,
    /// The first snapshot that could not be read, and why
    pub(super) failure: Mutex<Option<String>>,
}

impl<'a> Timeline<'a> {
    /// Snapshot `i`, indexed on first use; `None` when it cannot be read (the failure is kept)
    pub(super) fn indexed(&self, i: usize) -> Option<&Indexed<'a>> {
        let snapshot = self.snapshots.get(i)?;
        self.indexed
            .get(i)?
            .get_or_init(|| match snapshot.catalog() {
                // Inside the OnceLock: built on this thread (see `NameIndex::for_each_schema`)
                Ok(catalog) => Some(Indexed::new(self.label.clone(), catalog, false)),
                Err(why) => {
                    if let Ok(mut failure) = self.failure.lock() {
                        failure.get_or_insert_with(|| {
                            format!("{} of {}: {why}", self.label, snapshot.generated)
                        });
                    }
                    None
                }
            })
            .as_ref()
    }

    /// What to screen a record of `day` against: the snapshot in force on that day (the newest
    /// generated on or before it, else the newest); and, when that is not the newest, the newest
    /// for the entries it lacks (listed after the snapshot in force was generated, but on or
    /// before `day`: the listing date filter keeps the later ones out). With `noted`, each
    /// says which version it is in the reasons of its designations.
    pub(super) fn on(&self, day: NaiveDate, noted: bool) -> Vec<Use<'_, 'a>> {
        let Some((k, in_force)) = in_force(&self.days, day) else {
            return Vec::new();
        };
        let newest = self.snapshots.len().saturating_sub(1);
        let day_of = |i: usize| self.snapshots.get(i).map(|s| s.day).unwrap_or_default();
        let mut uses = Vec::new();
        let Some(list) = self.indexed(k) else {
            return uses;
        };
        let note = if in_force {
            format!(
                "list version of {}: the newest generated on or before the record's date {day}",
                day_of(k)
            )
        } else {
            format!(
                "list version of {}: the newest, as none was generated on or before the record's date {day}",
                day_of(k)
            )
        };
        let latest = if k == newest {
            None
        } else {
            self.indexed(newest)
        };
        uses.push(Use {
            list,
            note: noted.then_some(note),
            except: None,
            removed_in: latest.filter(|_| noted).map(|l| (l, day_of(newest))),
        });
        if let Some(latest) = latest {
            let note = format!(
                "list version of {}: the entry is not in the version of {} in force on the record's date {day}, but was listed by then",
                day_of(newest),
                day_of(k)
            );
            uses.push(Use {
                list: latest,
                note: noted.then_some(note),
                except: Some(list),
                removed_in: None,
            });
        }
        uses
    }
}

/// One list to screen a record against
pub(super) struct Use<'m, 'a> {
    pub(super) list: &'m Indexed<'a>,
    /// Added to the reasons of its designations
    pub(super) note: Option<String>,
    /// Entries of this list are left out (they were screened in the other)
    pub(super) except: Option<&'m Indexed<'a>>,
    /// A later version, with its day: an entry of this list absent from it was removed since
    pub(super) removed_in: Option<(&'m Indexed<'a>, NaiveDate)>,
}

impl Use<'_, '_> {
    /// Adds to each designation found the note of the list it came from (known by its label,
    /// which names the snapshot's day), and drops those of a list used for what the other lacks
    /// that the other has
    pub(super) fn finish(lists: &[Use<'_, '_>], found: &mut Vec<(usize, Designation)>) {
        if lists
            .iter()
            .all(|u| u.note.is_none() && u.except.is_none() && u.removed_in.is_none())
        {
            return;
        }
        found.retain(|(_, d)| {
            lists.iter().filter(|u| u.list.label == d.list).all(|u| {
                u.except.is_none_or(|other| {
                    !other
                        .references
                        .contains_key(&normalize_id(IdKind::Reference, &d.reference))
                })
            })
        });
        for (_, d) in found.iter_mut() {
            let Some(u) = lists.iter().find(|u| u.list.label == d.list) else {
                continue;
            };
            if let Some(note) = &u.note {
                d.why.push(note.clone());
            }
            if let Some((later, day)) = u.removed_in
                && !later
                    .references
                    .contains_key(&normalize_id(IdKind::Reference, &d.reference))
            {
                d.why.push(format!(
                    "removed from the list since: the version of {day} no longer has it"
                ));
            }
        }
    }
}
