//! The README's coverage table lists every rule of every kind in `rules/`,
//! with the file it is in, and nothing else; its example application is
//! decided as it says.

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

#[test]
fn the_example_application_is_decided_as_the_readme_says() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let from = readme.find("## Write an application").unwrap();
    let block = &readme[from..];
    let start = block.find("```jsonc\n").unwrap() + "```jsonc\n".len();
    let end = start + block[start..].find("```").unwrap();
    let book = grant_rules::rules::embedded().unwrap();
    let (_, d) = grant_rules::engine::decide(&book, &block.as_bytes()[start..end])
        .unwrap_or_else(|(p, e)| panic!("{}", e.render(p, true)));
    assert_eq!(d.outcome, "eligible");
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["grant_amount"], 1_400_000);
    assert_eq!(json["eligible_expenses"], 1_450_000);
    assert!(block.contains("It is `eligible` for 1,400,000円: 1,450,000円 of eligible expenses"));
}
