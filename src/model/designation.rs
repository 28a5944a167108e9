//! A designation of a party or vessel found by screening it against a sanctions list.
//!
//! The evaluator reads designations as alternatives of the party or vessel they belong to: a
//! rule's condition on `p.ids.un_ref`, `p.listed` or `v.listed` holds when it holds for the party
//! as written or for one of its designations, and the finding names the designation it used.

use super::locate::{Entry, Pos, Value};
use crate::screening::names::Strength;

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
    /// What `p.listed` and `v.listed` read: the list types, as the list writes them for the UN
    /// list and a designated-vessels file, `OFAC ` and the program for each OFAC program
    #[serde(skip)]
    pub listed: Vec<String>,
}

impl Designation {
    /// The name of the list, as `--list-verdict` and the `list.NAME` findings name it: [`list`]
    /// without the ` (YYYY-MM-DD)` of its version (`consolidated.xml`, `sdn.csv`, `test`)
    ///
    /// [`list`]: Designation::list
    pub fn list_name(&self) -> &str {
        list_name(&self.list)
    }
}

/// A list's label without the ` (YYYY-MM-DD)` of its version, when it ends with one
pub fn list_name(label: &str) -> &str {
    let Some(head) = label.strip_suffix(')') else {
        return label;
    };
    match head.rsplit_once(" (") {
        Some((name, date))
            if !name.is_empty() && chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok() =>
        {
            name
        }
        _ => label,
    }
}

/// Designations written in a test record: `parties[i].designated` and `vessels[i].designated`,
/// each a mapping (or a list of them) `{ref: KPe.901, list: DPRK, strength: weak, score: 0.85,
/// name: ...}`; only `ref` and `list` are required. They are removed from the record's mapping
/// and returned as (`true` for a vessel, its index, the designation), with the errors found,
/// each naming its field.
pub(crate) type Given = Vec<(bool, usize, Designation)>;

/// Takes the `designated` fields out of a test record's mapping (see [`Given`]); each error
/// with the place of the designation it is about
pub(crate) fn take_designations(record: &mut [Entry]) -> (Given, Vec<(Pos, String)>) {
    let mut given = Vec::new();
    let mut errors = Vec::new();
    for e in record.iter_mut() {
        let vessel = match e.key.as_str() {
            "parties" => false,
            "vessels" => true,
            _ => continue,
        };
        let Value::List(elems) = &mut e.value.value else {
            continue;
        };
        for (i, elem) in elems.iter_mut().enumerate() {
            let Value::Map(fields) = &mut elem.value else {
                continue;
            };
            let Some(at) = fields.iter().position(|f| f.key == "designated") else {
                continue;
            };
            let value = fields.remove(at).value;
            let items = match value.value {
                Value::List(items) => items,
                _ => vec![value],
            };
            for (j, item) in items.iter().enumerate() {
                match designation(item.to_json(), vessel) {
                    Ok(d) => given.push((vessel, i, d)),
                    Err(message) => errors.push((
                        item.pos,
                        format!("field `{}[{i}].designated[{j}]`: {message}", e.key),
                    )),
                }
            }
        }
    }
    (given, errors)
}

/// Gives a checked test record the designations its text named
pub(crate) fn give_designations(t: &mut crate::model::Transaction, given: Given) {
    for (vessel, i, d) in given {
        let list = if vessel {
            t.vessels.get_mut(i).map(|v| &mut v.designations)
        } else {
            t.parties.get_mut(i).map(|p| &mut p.designations)
        };
        if let Some(list) = list {
            list.push(d);
            // Strongest first, as screening gives them.
            list.sort_by(|a, b| {
                b.strength
                    .cmp(&a.strength)
                    .then(b.score.total_cmp(&a.score))
            });
        }
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Written {
    #[serde(rename = "ref")]
    reference: String,
    list: String,
    #[serde(default)]
    strength: Option<String>,
    #[serde(default)]
    score: Option<f64>,
    #[serde(default)]
    name: Option<String>,
}

fn designation(value: serde_json::Value, vessel: bool) -> Result<Designation, String> {
    let w: Written = serde_json::from_value(value).map_err(|e| e.to_string())?;
    let strength = match w.strength.as_deref().unwrap_or("exact") {
        "exact" => Strength::Exact,
        "strong" => Strength::Strong,
        "weak" => Strength::Weak,
        other => {
            return Err(format!(
                "unknown strength `{other}`: expected `exact`, `strong` or `weak`"
            ));
        }
    };
    let score = w.score.unwrap_or(match strength {
        Strength::Exact => 1.0,
        Strength::Strong => 0.95,
        _ => 0.85,
    });
    if Strength::of(score) != strength {
        return Err(format!(
            "score {score} is not {} (exact: 1, strong: from {}, weak: from {})",
            strength.as_str(),
            crate::screening::names::STRONG,
            crate::screening::names::THRESHOLD
        ));
    }
    let name = w.name.unwrap_or_else(|| w.reference.clone());
    Ok(Designation {
        list: "test".to_string(),
        un_ref: !vessel && is_un_reference(&w.reference),
        reference: w.reference,
        listed: vec![w.list.clone()],
        list_type: w.list,
        listed_name: name.clone(),
        matched_by: "name".to_string(),
        matched_value: name.clone(),
        matched: name,
        score,
        strength,
        why: vec!["given by the test".to_string()],
    })
}

/// Whether a reference has the form of a UN reference number: two letters, `i` or `e`, a full
/// stop and digits (`KPi.077`, `QDe.004`)
fn is_un_reference(reference: &str) -> bool {
    let b = reference.as_bytes();
    matches!(b, [c1, c2, k, b'.', rest @ ..]
        if c1.is_ascii_uppercase() && c2.is_ascii_uppercase() && matches!(k, b'i' | b'e')
            && !rest.is_empty() && rest.iter().all(u8::is_ascii_digit))
}

#[cfg(test)]
mod tests {
    use super::list_name;

    #[test]
    fn a_list_name_is_its_label_without_the_version_date() {
        assert_eq!(
            list_name("consolidated.xml (2026-05-08)"),
            "consolidated.xml"
        );
        assert_eq!(list_name("sdn.csv"), "sdn.csv");
        assert_eq!(list_name("my (old) list.csv"), "my (old) list.csv");
        assert_eq!(list_name("list (copy)"), "list (copy)");
        assert_eq!(list_name(" (2026-05-08)"), " (2026-05-08)");
    }
}
