//! The README's Coverage section is what `grant-rules coverage` prints for
//! the built-in rules, word for word: it is computed, never edited by hand.
//! After a change to the rules or their sources, regenerate it with
//! `cargo run -- coverage` and paste it over the section.

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
