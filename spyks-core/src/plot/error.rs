//! What can go wrong when drawing a figure.

use std::path::PathBuf;

/// An error while building or drawing a figure; names the panel (by its title) where it can.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// A series' x and y data have different lengths.
    #[error("panel `{panel}`: series `{series}` has {x} x values but {y} y values")]
    LengthMismatch {
        /// The panel's title.
        panel: String,
        /// The series' label (or its position when unlabelled).
        series: String,
        /// Number of x values.
        x: usize,
        /// Number of y values.
        y: usize,
    },
    /// A series has no point with both coordinates finite (it is empty, or all NaN/infinite).
    #[error("panel `{panel}`: series `{series}` has no finite point to draw")]
    NoFiniteData {
        /// The panel's title.
        panel: String,
        /// The series' label (or its position when unlabelled).
        series: String,
    },
    /// An axis range could not be determined or is invalid.
    #[error("panel `{panel}`: {axis} range: {reason}")]
    InvalidRange {
        /// The panel's title.
        panel: String,
        /// `"x"` or `"y"`.
        axis: &'static str,
        /// Why it is invalid.
        reason: String,
    },
    /// A figure or plot setting is invalid (zero columns, zero size, unknown variable...).
    #[error("{what}: {reason}")]
    InvalidSetting {
        /// The setting.
        what: String,
        /// Why it is invalid.
        reason: String,
    },
    /// A file or folder could not be written.
    #[error("cannot write `{}`: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The drawing backend (rasteriser, font, PNG encoder) failed.
    #[error("{context}: drawing failed: {message}")]
    Backend {
        /// The panel's title, or `figure` for figure-wide drawing and encoding.
        context: String,
        /// The backend's message.
        message: String,
    },
}

impl PlotError {
    /// A backend error in `context` (a panel title or `figure`).
    pub(crate) fn backend(context: &str, e: impl std::fmt::Display) -> PlotError {
        PlotError::Backend { context: context.to_string(), message: e.to_string() }
    }
}
