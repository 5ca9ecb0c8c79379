//! The README's coverage table lists every rule of every kind in `rules/`,
//! with the file it is in, and nothing else.

#[test]
fn coverage_table_matches_the_rules() {
    let book = grant_rules::rules::embedded().unwrap();
    let readme = std::fs::read_to_string("README.md").unwrap();
    let table: Vec<&str> = readme
        .lines()
        .skip_while(|l| !l.starts_with("## Coverage"))
        .take_while(|l| !l.starts_with("Articles that no rule decides"))
        .filter(|l| l.starts_with("| ") && l.contains("`rules/"))
        .collect();
    let mut listed: Vec<(String, String)> = table
        .iter()
        .map(|l| {
            // A `\|` inside a cell is a pipe of its text, not a border.
            let l = l.replace("\\|", "¦");
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (
                cells[3].trim_matches('`').to_string(),
                cells[4].trim_matches('`').to_string(),
            )
        })
        .collect();
    listed.sort();
    let mut actual: Vec<(String, String)> = book
        .kinds
        .iter()
        .flat_map(|p| {
            p.rules
                .iter()
                .map(move |r| (r.id.to_string(), p.sources.name(r.span.file).to_string()))
        })
        .collect();
    actual.sort();
    actual.dedup();
    assert_eq!(listed, actual, "README coverage table vs rules/");
}
