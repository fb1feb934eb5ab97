//! The bundled font: DejaVu Sans (free licence, see `assets/fonts/LICENSE-DejaVu.txt`),
//! registered with plotters' `ab_glyph` text renderer, so that no system font library
//! (fontconfig, freetype) is needed at build or run time.

use std::sync::OnceLock;

use super::PlotError;

/// The font family name under which the bundled font is registered.
pub(crate) const FAMILY: &str = "sans-serif";

static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Registers the bundled font (once per process); every drawing function calls this first.
pub(crate) fn ensure_registered() -> Result<(), PlotError> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        // plotters' own defaults (legends, mesh labels) ask for "sans-serif"; the others make
        // any family a caller names fall back to the same font.
        ["sans-serif", "serif", "monospace"]
            .iter()
            .all(|name| plotters::style::register_font(name, plotters::style::FontStyle::Normal, FONT).is_ok())
    });
    if ok { Ok(()) } else { Err(PlotError::Backend { context: "figure".into(), message: "the bundled font could not be loaded".into() }) }
}
