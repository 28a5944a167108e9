//! The types of record fields that rules may read, and the field tables of spec/records.md.

use crate::ir::{Access, AuthField, ItemField, ListRef, PartyField, VesselField};
use crate::model::Vocab;

/// The type of a field or value
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// Text compared exactly
    Str,
    /// Text for people only: rules never read it
    FreeText,
    /// A day
    Date,
    /// A decimal number
    Num,
    /// Money with its currency
    Money,
    /// An ISO 3166 place
    Place,
    /// An HS code
    Hs,
    /// A value of a closed vocabulary
    Sym(Vocab),
    /// A list of vocabulary values
    SymList(Vocab),
    /// A list of strings
    StrList,
    /// A list of places
    PlaceList,
    /// A map of identifiers (`ids`)
    Map,
    /// A list of records' elements (`parties`, `goods`, ...)
    Elems(ListRef),
}

impl Ty {
    /// How the type is named in messages
    pub fn describe(self) -> String {
        match self {
            Ty::Str => "a string".into(),
            Ty::FreeText => "free text".into(),
            Ty::Date => "a date".into(),
            Ty::Num => "a number".into(),
            Ty::Money => "an amount of money".into(),
            Ty::Place => "a place".into(),
            Ty::Hs => "an HS code".into(),
            Ty::Sym(v) => format!("a {} value", v.name()),
            Ty::SymList(v) => format!("a list of {} values", v.name()),
            Ty::StrList => "a list of strings".into(),
            Ty::PlaceList => "a list of places".into(),
            Ty::Map => "a map of identifiers".into(),
            Ty::Elems(l) => format!("the list `{}`", l.name()),
        }
    }
}

/// The record's top-level fields that rules may read: every field of the record format but
/// `meta`, the user's own data, which comes last (a test below checks it)
pub const ROOT_FIELDS: &[&str] = match crate::model::shape::RECORD_FIELDS.split_last() {
    Some((_meta, readable)) => readable,
    None => &[],
};

/// A top-level field's access and type
pub fn root_field(name: &str) -> Option<(Access, Ty)> {
    Some(match name {
        "id" => (Access::Id, Ty::Str),
        "date" => (Access::Date, Ty::Date),
        "activity" => (Access::Activity, Ty::Sym(Vocab::Activity)),
        "description" => (Access::Id, Ty::FreeText),
        "parties" => (Access::List(ListRef::Parties), Ty::Elems(ListRef::Parties)),
        "origin" => (Access::Origin, Ty::Place),
        "destination" => (Access::Destination, Ty::Place),
        "transit" => (Access::Transit, Ty::PlaceList),
        "location" => (Access::Location, Ty::Place),
        "goods" => (Access::List(ListRef::Goods), Ty::Elems(ListRef::Goods)),
        "services" => (Access::Services, Ty::SymList(Vocab::Service)),
        "vessels" => (Access::List(ListRef::Vessels), Ty::Elems(ListRef::Vessels)),
        "amount" => (Access::Amount, Ty::Money),
        "authorizations" => (
            Access::List(ListRef::Authorizations),
            Ty::Elems(ListRef::Authorizations),
        ),
        _ => return None,
    })
}

/// The list a top-level field names, if it is one a quantifier can range over
pub fn root_list(name: &str) -> Option<ListRef> {
    Some(match name {
        "parties" => ListRef::Parties,
        "goods" => ListRef::Goods,
        "vessels" => ListRef::Vessels,
        "transit" => ListRef::Transit,
        "services" => ListRef::Services,
        "authorizations" => ListRef::Authorizations,
        _ => return None,
    })
}

/// The fields of an element of `list`
pub fn elem_fields(list: ListRef) -> &'static [&'static str] {
    match list {
        ListRef::Parties => &[
            "role", "name", "kind", "country", "ids", "tags", "count", "listed",
        ],
        // As the record format has them; parties and vessels add `listed`, from screening.
        ListRef::Goods => crate::model::shape::ITEM_FIELDS,
        ListRef::Vessels => &["name", "imo", "flag", "role", "listed"],
        ListRef::Authorizations => crate::model::shape::AUTHORIZATION_FIELDS,
        ListRef::Transit | ListRef::Services => &[],
    }
}

/// An element field's access and type; `slot` is the variable bound to the element
pub fn elem_field(list: ListRef, slot: usize, name: &str) -> Option<(Access, Ty)> {
    Some(match (list, name) {
        (ListRef::Parties, "role") => (Access::Party(slot, PartyField::Role), Ty::Sym(Vocab::Role)),
        (ListRef::Parties, "name") => (Access::Party(slot, PartyField::Name), Ty::Str),
        (ListRef::Parties, "kind") => (
            Access::Party(slot, PartyField::Kind),
            Ty::Sym(Vocab::PartyKind),
        ),
        (ListRef::Parties, "country") => (Access::Party(slot, PartyField::Country), Ty::Place),
        (ListRef::Parties, "ids") => (Access::Party(slot, PartyField::Id(String::new())), Ty::Map),
        (ListRef::Parties, "tags") => (Access::Party(slot, PartyField::Tags), Ty::StrList),
        (ListRef::Parties, "count") => (Access::Party(slot, PartyField::Count), Ty::Num),
        (ListRef::Parties, "listed") => (Access::Party(slot, PartyField::Listed), Ty::StrList),
        (ListRef::Goods, "description") => {
            (Access::Item(slot, ItemField::Description), Ty::FreeText)
        }
        (ListRef::Goods, "hs") => (Access::Item(slot, ItemField::Hs), Ty::Hs),
        (ListRef::Goods, "categories") => (
            Access::Item(slot, ItemField::Categories),
            Ty::SymList(Vocab::Category),
        ),
        (ListRef::Goods, "quantity") => (Access::Item(slot, ItemField::Quantity), Ty::Num),
        (ListRef::Goods, "unit") => (Access::Item(slot, ItemField::Unit), Ty::Sym(Vocab::Unit)),
        (ListRef::Goods, "value") => (Access::Item(slot, ItemField::Value), Ty::Money),
        (ListRef::Vessels, "name") => (Access::Vessel(slot, VesselField::Name), Ty::Str),
        (ListRef::Vessels, "imo") => (Access::Vessel(slot, VesselField::Imo), Ty::Str),
        (ListRef::Vessels, "flag") => (Access::Vessel(slot, VesselField::Flag), Ty::Place),
        (ListRef::Vessels, "listed") => (Access::Vessel(slot, VesselField::Listed), Ty::StrList),
        (ListRef::Vessels, "role") => (
            Access::Vessel(slot, VesselField::Role),
            Ty::Sym(Vocab::VesselRole),
        ),
        (ListRef::Authorizations, "by") => (Access::Auth(slot, AuthField::By), Ty::Str),
        (ListRef::Authorizations, "reference") => {
            (Access::Auth(slot, AuthField::Reference), Ty::Str)
        }
        (ListRef::Authorizations, "date") => (Access::Auth(slot, AuthField::Date), Ty::Date),
        (ListRef::Authorizations, "covers") => (Access::Auth(slot, AuthField::Covers), Ty::StrList),
        _ => return None,
    })
}

/// The type of an element of `list` itself (`t` in `any transit t`)
pub fn elem_self(list: ListRef, slot: usize) -> (Access, Ty) {
    match list {
        ListRef::Transit => (Access::TransitElem(slot), Ty::Place),
        ListRef::Services => (Access::ServiceElem(slot), Ty::Sym(Vocab::Service)),
        other => (Access::List(other), Ty::Elems(other)),
    }
}

/// The element types that `set NAME: TYPE` accepts
pub const SET_TYPES: &[&str] = &[
    "hs",
    "place",
    "activity",
    "service",
    "role",
    "kind",
    "category",
    "unit",
    "vessel_role",
    "string",
];

/// The value type a set type names
pub fn set_type(name: &str) -> Option<Ty> {
    Some(match name {
        "hs" => Ty::Hs,
        "place" => Ty::Place,
        "string" => Ty::Str,
        other => Ty::Sym(Vocab::ALL.into_iter().find(|v| v.name() == other)?),
    })
}

#[cfg(test)]
mod tests {
    use super::{ROOT_FIELDS, elem_field, elem_fields};
    use crate::ir::ListRef;
    use crate::model::shape::RECORD_FIELDS;

    #[test]
    fn every_element_field_named_can_be_read_and_no_other() {
        let lists = [
            ListRef::Parties,
            ListRef::Goods,
            ListRef::Vessels,
            ListRef::Transit,
            ListRef::Services,
            ListRef::Authorizations,
        ];
        for list in lists {
            for name in elem_fields(list) {
                let field = elem_field(list, 3, name);
                assert!(
                    field.is_some(),
                    "{list:?}.{name} is named but cannot be read"
                );
                let (access, _) = field.unwrap_or_else(|| unreachable!());
                assert!(
                    format!("{access:?}").contains("(3"),
                    "{list:?}.{name}: {access:?} does not read element 3"
                );
            }
            assert!(elem_field(list, 0, "nonesuch").is_none());
        }
        // Fields of one list are not fields of another
        assert!(elem_field(ListRef::Vessels, 0, "count").is_none());
        assert!(elem_field(ListRef::Parties, 0, "imo").is_none());
    }

    #[test]
    fn rules_read_every_field_of_the_record_but_meta() {
        assert_eq!(RECORD_FIELDS.last(), Some(&"meta"));
        assert_eq!(ROOT_FIELDS.len() + 1, RECORD_FIELDS.len());
        assert!(!ROOT_FIELDS.contains(&"meta"));
    }
}
