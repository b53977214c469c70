//! tokhai's web app: Leptos client-side rendering compiled to WebAssembly.

mod adapters;
mod app;
mod i18n;
mod pages;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
