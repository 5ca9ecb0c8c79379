use grant_rules::rules;
fn real() -> Vec<(String,String)> { let mut v: Vec<(String,String)> = std::fs::read_dir("rules").unwrap().map(|e| e.unwrap().path()).map(|p| (format!("rules/{}", p.file_name().unwrap().to_str().unwrap()), std::fs::read_to_string(&p).unwrap())).collect(); v.sort(); v }
#[test] fn show() {
  let mut f = real();
  f[1].1 = f[1].1.replacen("  2020-11-02.. = 10万円\n", "  2020-11-02.. = 10万円\n  2021-04-01.. = 20万円\n", 1);
  println!("{}", rules::load(f).err().unwrap().render());
  for files in [vec![("a.rules".to_string(), "}".to_string())], vec![("a.rules".to_string(), String::new())]] {
    println!("{}", rules::load(files).err().unwrap().render());
  }
}
