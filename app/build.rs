//! The Wasm is split into chunks after linking (`cargo xtask`, see `src/routes.rs`); the splitter
//! needs the linker's relocations to move code between chunks.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg=--emit-relocs");
    }
}
