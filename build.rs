//! The rule files and reference data are embedded in the binary
//! (`include_dir!`, `include_str!`): rebuild when any of them changes, a
//! file added to `rules/` included.
fn main() {
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=data");
}
