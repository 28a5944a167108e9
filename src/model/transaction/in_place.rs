//! The raw record, its parties and its goods read in place.
//!
//! Serde's derived reading builds each field in a local of its own, moves the locals into the
//! struct and the struct into its `Result`, and each party or good into its own `Result` before
//! it is pushed onto its list. A `RawRecord` is about 1.1 KB (two parties and two goods are held
//! inline), so about 12 KB were copied a record in all, an eighth of `screen`'s cycles
//! (docs/benchmarks.md, "Records read in place"). Here each field is read straight into the
//! record that the caller holds, and each party, good, vessel and transit place into its place
//! at the end of its list.
//!
//! The reading fails where the derived one failed: a field it does not know, a field given
//! twice, a required field missing, a value of the wrong type. A record, a party or a good that
//! is not a mapping fails too (the derived reading took a JSON array as the fields in order).
//! Every failure sends the record to the tracked reading, which says what is wrong.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use smallvec::{Array, SmallVec};

use super::{RawItem, RawParty, RawRecord, RawVessel, Text};

/// A value that serde reads into a place that holds its default
pub(in super::super) trait InPlace<'de>: Default {
    /// Reads the value into `self`, which holds `Default::default()`; on failure `self` holds
    /// part of it
    fn read_in_place<D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error>;
}

/// Implements [`InPlace`] for a struct read from a mapping: each key one of `$field`'s variants
/// (the field's name in snake case), read into its member of the struct (a list in brackets:
/// each element pushed and read in place); a field given twice or a required one missing fails.
macro_rules! mapping_in_place {
    (
        $raw:ident, $expecting:literal, $field:ident {
            $($variant:ident => $($member:ident)? $([$list:ident])?,)*
        }
        required: $($required:ident = $name:literal),*
    ) => {
        /// The fields, as the input names them (serde reads a key into one without allocating,
        /// and refuses any other key)
        #[derive(Clone, Copy, Deserialize)]
        #[serde(field_identifier, rename_all = "snake_case")]
        enum $field {
            $($variant,)*
        }

        impl $field {
            /// The field's bit in the set of those read
            fn bit(self) -> u32 {
                1 << self as u32
            }
        }

        impl<'de> InPlace<'de> for $raw<'de> {
            fn read_in_place<D: Deserializer<'de>>(
                &mut self,
                deserializer: D,
            ) -> Result<(), D::Error> {
                struct Fill<'r, 'de>(&'r mut $raw<'de>);

                impl<'de> Visitor<'de> for Fill<'_, 'de> {
                    type Value = ();

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }

                    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
                        let place = self.0;
                        let mut read = 0u32;
                        while let Some(field) = map.next_key::<$field>()? {
                            if read & field.bit() != 0 {
                                return Err(de::Error::custom("a field given twice"));
                            }
                            read |= field.bit();
                            match field {
                                $($field::$variant => {
                                    $(place.$member = map.next_value()?;)?
                                    $(map.next_value_seed(Push(&mut place.$list))?;)?
                                })*
                            }
                        }
                        $(if read & $field::$required.bit() == 0 {
                            return Err(de::Error::missing_field($name));
                        })*
                        Ok(())
                    }
                }

                deserializer.deserialize_map(Fill(self))
            }
        }
    };
}

mapping_in_place!(
    RawRecord, "a record: a mapping of its fields", RecordField {
        Id => id,
        Date => date,
        Activity => activity,
        Description => _description,
        Parties => [parties],
        Origin => origin,
        Destination => destination,
        Transit => [transit],
        Location => location,
        Goods => [goods],
        Services => services,
        Vessels => [vessels],
        Amount => amount,
        Authorizations => authorizations,
        Meta => meta,
    }
    required: Id = "id", Date = "date", Activity = "activity"
);

mapping_in_place!(
    RawParty, "a party: a mapping of its fields", PartyField {
        Role => role,
        Name => name,
        Kind => kind,
        Country => country,
        Ids => ids,
        Tags => tags,
        Count => count,
    }
    required: Role = "role", Name = "name"
);

mapping_in_place!(
    RawItem, "a good: a mapping of its fields", ItemField {
        Description => description,
        Hs => hs,
        Categories => categories,
        Quantity => quantity,
        Unit => unit,
        Value => value,
    }
    required:
);

/// What is read whole and moved into its place: small (a transit place), or rare (a vessel)
macro_rules! whole_in_place {
    ($($t:ident),*) => {
        $(impl<'de> InPlace<'de> for $t<'de> {
            fn read_in_place<D: Deserializer<'de>>(
                &mut self,
                deserializer: D,
            ) -> Result<(), D::Error> {
                *self = $t::deserialize(deserializer)?;
                Ok(())
            }
        })*
    };
}

whole_in_place!(Text, RawVessel);

/// A record read whole, as the tests read one (the reading itself reads into a record of its own)
#[cfg(test)]
impl<'de> Deserialize<'de> for RawRecord<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut raw = RawRecord::default();
        raw.read_in_place(deserializer)?;
        Ok(raw)
    }
}

/// Reads a list onto the end of a small vector, each element read in its place
struct Push<'v, A: Array>(&'v mut SmallVec<A>);

impl<'de, A: Array> DeserializeSeed<'de> for Push<'_, A>
where
    A::Item: InPlace<'de>,
{
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, A: Array> Visitor<'de> for Push<'_, A>
where
    A::Item: InPlace<'de>,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        let list = self.0;
        loop {
            if list.len() < list.capacity() {
                // A place at the end, which pushing does not allocate, read into
                list.push(A::Item::default());
                let Some(last) = list.last_mut() else {
                    return Ok(());
                };
                if seq.next_element_seed(Element(last))?.is_none() {
                    // The place pushed for an element after the last
                    list.pop();
                    return Ok(());
                }
            } else {
                // The list is full: an element after the last must not make it grow, so each is
                // read first, and pushed (growing the list) only when there is one
                let mut item = A::Item::default();
                if seq.next_element_seed(Element(&mut item))?.is_none() {
                    return Ok(());
                }
                list.push(item);
            }
        }
    }
}

/// Reads one element into its place
struct Element<'p, T>(&'p mut T);

impl<'de, T: InPlace<'de>> DeserializeSeed<'de> for Element<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.0.read_in_place(deserializer)
    }
}
