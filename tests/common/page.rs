//! The check every printed page passes (`check --format html`, `review
//! --format html`): well formed, escaped, self-contained.

/// The elements the page is made of (and nothing else: a `<` that starts
/// any other tag is text that was not escaped).
const ELEMENTS: &[&str] = &[
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "article",
    "header",
    "footer",
    "section",
    "div",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "colgroup",
    "col",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "span",
    "blockquote",
    "code",
    "pre",
    "dl",
    "dt",
    "dd",
    "b",
    "br",
    "a",
    "ul",
    "li",
];
const VOID: &[&str] = &["meta", "col", "br"];
const ENTITIES: &[&str] = &["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"];

/// Every tag is one of [`ELEMENTS`] and every element opened is closed in
/// order; text and attribute values hold no `<`/`>` and no `&` but the five
/// references the page writes; the page needs nothing outside itself.
pub fn well_formed(page: &str) -> Result<(), String> {
    let body = page
        .strip_prefix("<!DOCTYPE html>\n")
        .ok_or("the page starts with <!DOCTYPE html>")?;
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = body;
    let text_ok = |t: &str| -> Result<(), String> {
        let near = |i: usize| t[i..].chars().take(24).collect::<String>();
        if let Some(i) = t.find('>') {
            return Err(format!("a bare > in text near {:?}", near(i)));
        }
        for (i, _) in t.match_indices('&') {
            if !ENTITIES.iter().any(|e| t[i..].starts_with(e)) {
                return Err(format!("a bare & near {:?}", near(i)));
            }
        }
        Ok(())
    };
    while let Some(open) = rest.find('<') {
        text_ok(&rest[..open])?;
        let close = rest[open..].find('>').ok_or("an unclosed tag")? + open;
        let tag = &rest[open + 1..close];
        rest = &rest[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            match stack.pop() {
                Some(top) if top == name => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
            continue;
        }
        let name = tag.split_whitespace().next().unwrap_or_default();
        if !ELEMENTS.contains(&name) {
            return Err(format!("an element the page does not write: <{tag}>"));
        }
        let attributes = &tag[name.len()..];
        if attributes.matches('"').count() % 2 != 0 || attributes.contains('<') {
            return Err(format!("a broken attribute in <{tag}>"));
        }
        // A link within the page (a batch's cover to its records) is all
        // an attribute may point at.
        let outside = attributes.contains(" href=") && !attributes.contains(" href=\"#");
        if outside || ["src=", "on"].iter().any(|a| attributes.contains(&format!(" {a}"))) {
            return Err(format!("<{tag}> refers to or runs something"));
        }
        text_ok(attributes)?;
        if name == "style" {
            let end = rest.find("</style>").ok_or("an unclosed <style>")?;
            let css = &rest[..end];
            if css.contains("url(") || css.contains("@import") {
                return Err("the style loads something".into());
            }
            rest = &rest[end + "</style>".len()..];
            continue;
        }
        if !VOID.contains(&name) {
            stack.push(name);
        }
    }
    text_ok(rest)?;
    if !stack.is_empty() {
        return Err(format!("unclosed: {stack:?}"));
    }
    Ok(())
}

pub fn assert_well_formed(page: &str, what: &str) {
    if let Err(e) = well_formed(page) {
        panic!("{what}: {e}");
    }
    assert!(!page.contains("<script"), "{what}: no script");
}
