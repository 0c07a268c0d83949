//! The strings are compiled in by `fluent_templates::static_loader!`, which
//! cargo does not know reads `locales/`: without this, an edited `.ftl`
//! file would leave an incremental build with the old strings (a key shown
//! instead of its text).

fn main() {
    println!("cargo:rerun-if-changed=locales");
}
