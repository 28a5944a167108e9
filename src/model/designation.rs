//! A designation of a party or vessel found by screening it against a sanctions list.
//!
//! The evaluator reads designations as alternatives of the party or vessel they belong to: a
//! rule's condition on `p.ids.un_ref`, `p.listed` or `v.listed` holds when it holds for the party
//! as written or for one of its designations, and the finding names the designation it used.

use crate::names::Strength;

/// One list entry that a party or vessel of a record was found to be
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Designation {
    /// The list it comes from, as the user named it (the file), with its date when known
    pub list: String,
    /// The entry's reference: UN reference number (`QDi.437`), OFAC `ent_num`, `IMO 9074729`
    pub reference: String,
    /// The entry's list type: the UN regime (`DPRK`, `Al-Qaida`), the OFAC program, the vessel
    /// list's regime
    pub list_type: String,
    /// The entry's name as listed
    pub listed_name: String,
    /// What matched: `name`, `alias`, `original_script`, `un_ref`, `passport`, `national_id`,
    /// `imo`
    pub matched_by: String,
    /// The record's value that matched (the party's name, the identifier)
    pub matched_value: String,
    /// The list's name, alias or identifier it matched
    pub matched: String,
    /// The similarity after corroboration and contradiction, in 0..=1 (1 for an identifier)
    pub score: f64,
    /// `exact`, `strong` or `weak`
    pub strength: Strength,
    /// Why the strength is what it is: the name score, and each corroboration or contradiction
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub why: Vec<String>,
    /// Whether the entry's reference is a UN reference number, which `p.ids.un_ref` then reads
    #[serde(skip)]
    pub un_ref: bool,
}
