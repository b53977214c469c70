//! User Timing marks and measures (`performance.mark`, `performance.measure`): how long the
//! outbox takes to save and the gate to show a verdict, read by `cargo xtask bench`.

fn performance() -> Option<web_sys::Performance> {
    web_sys::window()?.performance()
}

pub fn mark(name: &str) {
    if let Some(performance) = performance() {
        let _ = performance.mark(name);
    }
}

pub fn measure_since(name: &str, start_mark: &str) {
    if let Some(performance) = performance() {
        let _ = performance.measure_with_start_mark(name, start_mark);
    }
}
