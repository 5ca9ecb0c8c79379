//! The README's Coverage section is what `grant-rules coverage` prints for
//! the built-in rules, word for word: it is computed, never edited by hand.
//! After a change to the rules or their sources, regenerate it with
//! `cargo run -- coverage` and paste it over the section.
//! Its example application is decided as it says.

#[test]
fn the_coverage_section_is_computed_from_the_rules() {
    let book = grant_rules::rules::embedded().unwrap_or_else(|e| panic!("{}", e.render()));
    let coverage = grant_rules::coverage::of(&book);
    assert!(coverage.problems.is_empty(), "{}", coverage.render_problems());
    let readme = std::fs::read_to_string("README.md").unwrap();
    let mut lines = readme.lines().skip_while(|l| !l.starts_with("## Coverage"));
    let section: Vec<&str> = lines
        .next()
        .into_iter()
        .chain(lines.take_while(|l| !l.starts_with("## ")))
        .collect();
    let section = section.join("\n");
    let (written, computed) = (section.trim_end(), coverage.markdown.trim_end());
    if written != computed {
        let first = written
            .lines()
            .zip(computed.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| written.lines().count().min(computed.lines().count()));
        panic!(
            "README.md's Coverage section differs from `grant-rules coverage` at its line {}:\n  README:   {:?}\n  computed: {:?}\nregenerate it with `cargo run -- coverage`",
            first + 1,
            written.lines().nth(first),
            computed.lines().nth(first),
        );
    }
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
