//! The reader's errors, traced back to the cells: an error at a JSON path is
//! reported at the place recorded for that path while the document was
//! built (or the nearest enclosing one: a line's row, a table's header);
//! a required value left out is its blank cell, said so; and the paths a
//! message names (`also projects[0]`, `region.members.name`) are rewritten
//! into places too.

use std::collections::HashMap;

use super::grid::Place;
use super::{At, Located};
use crate::input::InputErrors;

/// The place of `path`, or of the nearest path that encloses it.
pub(crate) fn nearest<'p>(places: &'p HashMap<String, Place>, path: &str) -> Option<&'p Place> {
    let mut p = path;
    loop {
        if let Some(place) = places.get(p) {
            return Some(place);
        }
        p = parent(p)?;
    }
}

/// `a.b[2].c` → `a.b[2]` → `a.b` → `a` → none.
fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    if path.ends_with(']') {
        return path.rfind('[').map(|i| &path[..i]);
    }
    Some(path.rfind('.').map_or("", |i| &path[..i]))
}

/// The field a reader's "missing field" error names.
fn missing_field(en: &str) -> Option<&str> {
    let rest = en.strip_prefix("missing field \"")?;
    rest.find('"').map(|end| &rest[..end])
}

/// True when `flag` is `path` or encloses it.
fn covers(flag: &str, path: &str) -> bool {
    path == flag || (path.starts_with(flag) && matches!(path.as_bytes().get(flag.len()), Some(b'.' | b'[')))
}

pub(crate) fn trace(places: &HashMap<String, Place>, flagged: &[String], errors: InputErrors) -> Vec<Located> {
    let mut out = Vec::new();
    for e in errors.0 {
        let missing = missing_field(&e.en).map(|f| {
            if e.path.is_empty() {
                f.to_string()
            } else {
                format!("{}.{f}", e.path)
            }
        });
        let target = missing.clone().unwrap_or_else(|| e.path.clone());
        if flagged.iter().any(|f| covers(f, &target)) {
            continue;
        }
        let blank = missing.as_ref().and_then(|m| places.get(m));
        let (place, en, ja) = match blank {
            Some(p) => {
                let label = p.label.unwrap_or("");
                (
                    Some(p),
                    format!("{label} is blank: fill it in ({})", rewrite(places, &e.en)),
                    format!("「{label}」が空欄です。書いてください（{}）", rewrite(places, &e.ja)),
                )
            }
            None => (nearest(places, &target), rewrite(places, &e.en), rewrite(places, &e.ja)),
        };
        out.push(Located {
            at: place.map_or(At::File, |p| At::cell(p.clone())),
            path: e.path,
            en,
            ja,
        });
    }
    out
}

/// A message with each JSON path it names that has a place replaced by it.
fn rewrite(places: &HashMap<String, Place>, msg: &str) -> String {
    let is_path_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']');
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(start) = rest.find(is_path_char) {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let end = tail.find(|c: char| !is_path_char(c)).unwrap_or(tail.len());
        let token = &tail[..end];
        let core = token.trim_end_matches('.');
        match places.get(core) {
            Some(p) if core.contains(['.', '[']) => {
                out.push_str(&p.to_string());
                out.push_str(&token[core.len()..]);
            }
            _ => out.push_str(token),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_climb_to_their_nearest_place() {
        assert_eq!(
            parent("projects[0].expenses[2].amount"),
            Some("projects[0].expenses[2]")
        );
        assert_eq!(parent("projects[0].expenses[2]"), Some("projects[0].expenses"));
        assert_eq!(parent("projects"), Some(""));
        assert_eq!(parent(""), None);
        let mut places = HashMap::new();
        places.insert(
            "projects[0].expenses[2]".to_string(),
            Place::cell("経費", 2, 4, 0).to(4, 6),
        );
        assert_eq!(
            nearest(&places, "projects[0].expenses[2].amount").map(ToString::to_string),
            Some("経費!A5:G5".into())
        );
        assert!(covers("projects[1]", "projects[1].name"));
        assert!(!covers("projects[1]", "projects[10].name"));
        assert_eq!(missing_field("missing field \"amount\" (金額): add it"), Some("amount"));
    }

    #[test]
    fn paths_in_messages_become_places() {
        let mut places = HashMap::new();
        places.insert(
            "region.members.name".to_string(),
            Place::cell("地域", 0, 15, 0).to(23, 0),
        );
        places.insert("projects[1]".to_string(), Place::cell("事業", 1, 2, 0).to(2, 6));
        assert_eq!(
            rewrite(&places, "「札幌市」が region.members.name に含まれていません"),
            "「札幌市」が 地域!A16:A24 に含まれていません"
        );
        assert_eq!(
            rewrite(&places, "(also projects[1]): write it once"),
            "(also 事業!A3:G3): write it once"
        );
        assert_eq!(rewrite(&places, "also projects[10]."), "also projects[10].");
    }
}
