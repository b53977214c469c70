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

/// Measures from `start_mark` to now, then drops the mark: a gate left running for hours keeps
/// one small measure per scan, not its marks too.
pub fn measure_since(name: &str, start_mark: &str) {
    if let Some(performance) = performance() {
        let _ = performance.measure_with_start_mark(name, start_mark);
        performance.clear_marks_with_mark_name(start_mark);
    }
}
