//! Rewrites CID font width tables into the one form pdf-extract reads.
//!
//! A CID font's `/W` array may give widths as `cid [w1 w2 ...]` or as
//! `first last w` ranges, and either part may be an indirect object.
//! pdf-extract 0.12 reads only the first form with direct arrays; for the
//! rest it falls back to one em per glyph, so every glyph lands at the wrong
//! place: words get split or run together, and superscripts ("30th") break
//! lines. "Microsoft: Print To PDF", which many officers use, writes ranges.
//! Expanding them before extraction gives pdf-extract the real widths.

use lopdf::{Dictionary, Document, Object, ObjectId};

/// Longest range expanded: CIDs are 16-bit, so no real range is longer.
const MAX_RANGE: i64 = 65_536;

/// Where a CID font dictionary sits: a top-level object, or inline in a
/// Type0 font's `/DescendantFonts` array.
enum Place {
    Object(ObjectId),
    Descendant(ObjectId, usize),
}

/// Rewrites every CID font's `/W` into `cid [w ...]` entries with direct
/// numbers. Returns how many fonts were rewritten.
pub fn normalise(document: &mut Document) -> usize {
    let mut rewrites = Vec::new();
    for (&id, object) in &document.objects {
        let Some(dict) = dictionary_of(object) else {
            continue;
        };
        if let Some(widths) = expanded_widths(document, dict) {
            rewrites.push((Place::Object(id), widths));
        }
        if let Ok(Object::Array(descendants)) = dict.get(b"DescendantFonts") {
            for (index, descendant) in descendants.iter().enumerate() {
                if let Object::Dictionary(inline) = descendant {
                    if let Some(widths) = expanded_widths(document, inline) {
                        rewrites.push((Place::Descendant(id, index), widths));
                    }
                }
            }
        }
    }
    let count = rewrites.len();
    for (place, widths) in rewrites {
        let target = match place {
            Place::Object(id) => document.objects.get_mut(&id).and_then(dictionary_of_mut),
            Place::Descendant(id, index) => document
                .objects
                .get_mut(&id)
                .and_then(dictionary_of_mut)
                .and_then(|dict| dict.get_mut(b"DescendantFonts").ok())
                .and_then(|fonts| fonts.as_array_mut().ok())
                .and_then(|fonts| fonts.get_mut(index))
                .and_then(|font| font.as_dict_mut().ok()),
        };
        if let Some(dict) = target {
            dict.set("W", widths);
        }
    }
    count
}

fn dictionary_of(object: &Object) -> Option<&Dictionary> {
    match object {
        Object::Dictionary(dict) => Some(dict),
        _ => None,
    }
}

fn dictionary_of_mut(object: &mut Object) -> Option<&mut Dictionary> {
    match object {
        Object::Dictionary(dict) => Some(dict),
        _ => None,
    }
}

/// The font's `/W` in list form, or `None` when it is not a CID font with
/// widths, or its table is malformed (then pdf-extract's default stands).
fn expanded_widths(document: &Document, font: &Dictionary) -> Option<Object> {
    let subtype = font.get(b"Subtype").ok()?.as_name().ok()?;
    if subtype != b"CIDFontType0" && subtype != b"CIDFontType2" {
        return None;
    }
    let table = resolve(document, font.get(b"W").ok()?).as_array().ok()?;
    let mut out = Vec::with_capacity(table.len());
    let mut i = 0;
    while i < table.len() {
        let first = number(document, table.get(i)?)?;
        match resolve(document, table.get(i + 1)?) {
            Object::Array(widths) => {
                let widths = widths
                    .iter()
                    .map(|w| number(document, w).map(Object::Real))
                    .collect::<Option<Vec<_>>>()?;
                out.push(Object::Integer(first as i64));
                out.push(Object::Array(widths));
                i += 2;
            }
            last => {
                let last = number(document, last)? as i64;
                let width = number(document, table.get(i + 2)?)?;
                let count = (last - first as i64 + 1).clamp(0, MAX_RANGE);
                out.push(Object::Integer(first as i64));
                out.push(Object::Array(vec![Object::Real(width); count as usize]));
                i += 3;
            }
        }
    }
    Some(Object::Array(out))
}

fn resolve<'a>(document: &'a Document, object: &'a Object) -> &'a Object {
    match object {
        Object::Reference(id) => document.get_object(*id).unwrap_or(object),
        other => other,
    }
}

fn number(document: &Document, object: &Object) -> Option<f32> {
    match resolve(document, object) {
        Object::Integer(n) => Some(*n as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    //! Font dictionaries here are made in code for these tests.
    use super::*;
    use lopdf::dictionary;

    fn widths_of(document: &Document, id: ObjectId) -> Vec<Object> {
        let dict = document.get_dictionary(id).expect("font");
        dict.get(b"W")
            .expect("W")
            .as_array()
            .expect("array")
            .clone()
    }

    #[test]
    fn ranges_and_references_become_direct_lists() {
        let mut doc = Document::with_version("1.5");
        let list = doc.add_object(Object::Array(vec![500.into(), 600.into()]));
        let table = doc.add_object(Object::Array(vec![
            3.into(),
            5.into(),
            Object::Real(277.0),
            10.into(),
            Object::Reference(list),
        ]));
        let font = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "CIDFontType2",
            "W" => Object::Reference(table),
        });
        assert_eq!(normalise(&mut doc), 1);
        let r = Object::Real;
        assert_eq!(
            widths_of(&doc, font),
            vec![
                3.into(),
                Object::Array(vec![r(277.0), r(277.0), r(277.0)]),
                10.into(),
                Object::Array(vec![r(500.0), r(600.0)]),
            ]
        );
    }

    #[test]
    fn inline_descendant_fonts_are_rewritten_too() {
        let mut doc = Document::with_version("1.5");
        let font = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type0",
            "DescendantFonts" => vec![Object::Dictionary(dictionary! {
                "Subtype" => "CIDFontType2",
                "W" => vec![1.into(), 2.into(), 750.into()],
            })],
        });
        assert_eq!(normalise(&mut doc), 1);
        let dict = doc.get_dictionary(font).expect("font");
        let descendants = dict
            .get(b"DescendantFonts")
            .and_then(Object::as_array)
            .expect("array");
        let w = descendants[0]
            .as_dict()
            .and_then(|d| d.get(b"W"))
            .expect("W");
        assert_eq!(
            w,
            &Object::Array(vec![1.into(), Object::Array(vec![Object::Real(750.0); 2])])
        );
    }

    #[test]
    fn other_fonts_and_malformed_tables_are_left_alone() {
        let mut doc = Document::with_version("1.5");
        let simple = doc.add_object(dictionary! { "Subtype" => "TrueType", "W" => vec![1.into()] });
        let malformed = doc.add_object(dictionary! {
            "Subtype" => "CIDFontType0",
            "W" => vec![1.into(), "x".into()],
        });
        assert_eq!(normalise(&mut doc), 0);
        assert_eq!(widths_of(&doc, simple), vec![1.into()]);
        assert_eq!(widths_of(&doc, malformed).len(), 2);
    }
}
