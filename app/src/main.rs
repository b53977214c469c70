//! tokhai's web app: Leptos client-side rendering compiled to WebAssembly.

mod adapters;
mod app;
mod diary;
mod exposures;
mod i18n;
mod page_lifetime;
mod pages;
mod routes;
mod venue_keys;

fn main() {
    console_error_panic_hook::set_once();
    adapters::document::remove_static_paint();
    leptos::mount::mount_to_body(app::App);
}
