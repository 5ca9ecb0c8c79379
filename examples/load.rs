fn main() {
    match grant_rules::rules::embedded() {
        Ok(p) => println!("ok: {} lets, {} rules, plan {:?}", p.lets.len(), p.rules.len(), p.plan),
        Err(e) => print!("{}", e.render()),
    }
}
