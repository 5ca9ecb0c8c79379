//! The JSON document an import writes: fields in the order the rules
//! declare them, every value as the cell gave it (a 節 name stays
//! `"印刷製本費"`, `"１２００千円"` stays text), printed as the fixtures are.

use std::fmt::Write;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum J {
    Bool(bool),
    /// A JSON number literal (digits, as written).
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    /// The document, pretty-printed with two-space indentation and a final newline.
    pub(crate) fn pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out.push('\n');
        out
    }

    fn write(&self, out: &mut String, indent: usize) {
        match self {
            J::Bool(b) => {
                let _ = write!(out, "{b}");
            }
            J::Num(n) => out.push_str(n),
            J::Str(s) => out.push_str(&string(s)),
            J::Arr(items) if items.is_empty() => out.push_str("[]"),
            J::Obj(fields) if fields.is_empty() => out.push_str("{}"),
            J::Arr(items) => {
                out.push_str("[\n");
                for (i, it) in items.iter().enumerate() {
                    pad(out, indent + 2);
                    it.write(out, indent + 2);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                pad(out, indent);
                out.push(']');
            }
            J::Obj(fields) => {
                out.push_str("{\n");
                for (i, (k, v)) in fields.iter().enumerate() {
                    pad(out, indent + 2);
                    out.push_str(&string(k));
                    out.push_str(": ");
                    v.write(out, indent + 2);
                    out.push_str(if i + 1 < fields.len() { ",\n" } else { "\n" });
                }
                pad(out, indent);
                out.push('}');
            }
        }
    }
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_serde_json_pretty() {
        let j = J::Obj(vec![
            ("a".into(), J::Num("1".into())),
            ("b".into(), J::Arr(vec![J::Str("x\"y".into()), J::Bool(true)])),
            ("c".into(), J::Arr(vec![])),
        ]);
        let v: serde_json::Value = serde_json::from_str(&j.pretty()).unwrap();
        assert_eq!(j.pretty(), serde_json::to_string_pretty(&v).unwrap() + "\n");
    }
}
