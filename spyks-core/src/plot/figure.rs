//! A figure: panels laid out in rows, an optional title, rendered to RGB or PNG.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::draw::draw_panel;
use super::font::{FAMILY, ensure_registered};
use super::{Panel, PlotError};

/// Height in pixels of the band that holds a figure title.
pub const TITLE_HEIGHT: u32 = 36;

/// Smallest panel that leaves room for the axes: width × height in pixels.
pub const MIN_PANEL_SIZE: (u32, u32) = (160, 120);

/// Largest figure side in pixels (a guard against a size typed wrong).
const MAX_SIDE: u32 = 16_384;

/// Panels laid out left to right in rows of `columns`, with an optional title on top.
///
/// The image is `min(columns, panels) × panel width` wide and `rows × panel height` tall,
/// plus [`TITLE_HEIGHT`] when there is a title.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    columns: usize,
    title: String,
    panel_size: (u32, u32),
    panels: Vec<Panel>,
}

impl Figure {
    /// An empty figure with `columns` panels per row; panels are 480 × 320 pixels by default.
    pub fn new(columns: usize) -> Self {
        Figure { columns, title: String::new(), panel_size: (480, 320), panels: vec![] }
    }

    /// Sets the figure title (none by default).
    pub fn title(mut self, title: &str) -> Self {
        self.title = title.to_string();
        self
    }

    /// Sets each panel's size in pixels.
    pub fn panel_size(mut self, width: u32, height: u32) -> Self {
        self.panel_size = (width, height);
        self
    }

    /// Adds a panel (after the ones already there).
    pub fn panel(mut self, panel: Panel) -> Self {
        self.panels.push(panel);
        self
    }

    /// Adds several panels in order.
    pub fn panels(mut self, panels: impl IntoIterator<Item = Panel>) -> Self {
        self.panels.extend(panels);
        self
    }

    /// The image size in pixels (width, height), after checking the layout settings.
    pub fn size(&self) -> Result<(u32, u32), PlotError> {
        let bad = |what: &str, reason: String| PlotError::InvalidSetting { what: what.into(), reason };
        if self.columns == 0 {
            return Err(bad("figure columns", "must be at least 1".into()));
        }
        if self.panels.is_empty() {
            return Err(bad("figure", "has no panel to draw".into()));
        }
        let (pw, ph) = self.panel_size;
        if pw < MIN_PANEL_SIZE.0 || ph < MIN_PANEL_SIZE.1 {
            return Err(bad(
                "panel size",
                format!("{pw} × {ph} px is smaller than the minimum {} × {} px", MIN_PANEL_SIZE.0, MIN_PANEL_SIZE.1),
            ));
        }
        let cols = self.columns.min(self.panels.len()) as u64;
        let rows = self.panels.len().div_ceil(self.columns) as u64;
        let title = if self.title.is_empty() { 0 } else { TITLE_HEIGHT as u64 };
        let (w, h) = (cols * pw as u64, rows * ph as u64 + title);
        if w > MAX_SIDE as u64 || h > MAX_SIDE as u64 {
            return Err(bad("figure size", format!("{w} × {h} px exceeds {MAX_SIDE} px on a side")));
        }
        Ok((w as u32, h as u32))
    }

    /// Renders the figure to 8-bit RGB pixels, row by row (`3 × width × height` bytes; see
    /// [`Figure::size`]).
    pub fn render_rgb(&self) -> Result<Vec<u8>, PlotError> {
        let (w, h) = self.size()?;
        let mut buf = vec![0u8; 3 * w as usize * h as usize];
        {
            let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
            self.draw(&root)?;
            root.present().map_err(|e| PlotError::backend("figure", e))?;
        }
        Ok(buf)
    }

    /// Renders the figure and writes it as a PNG file, creating the parent folder if missing.
    /// The file is only touched once the whole figure has been drawn. A folder or file that
    /// cannot be written is a [`PlotError::Io`] with its path.
    pub fn save_png(&self, path: impl AsRef<Path>) -> Result<(), PlotError> {
        let path = path.as_ref();
        if !path.extension().is_some_and(|e| e.eq_ignore_ascii_case("png")) {
            return Err(PlotError::InvalidSetting { what: format!("file name `{}`", path.display()), reason: "must end in .png".into() });
        }
        let pixels = self.render_rgb()?;
        let (w, h) = self.size()?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| PlotError::Io { path: dir.to_path_buf(), source })?;
        }
        // Opened here first so that a file that cannot be written (a folder of that name, no
        // permission) is an I/O error with the system's reason, not the encoder's message.
        std::fs::File::create(path).map_err(|source| PlotError::Io { path: path.to_path_buf(), source })?;
        let mut backend = BitMapBackend::new(path, (w, h));
        let context = format!("figure `{}`", path.display());
        backend.blit_bitmap((0, 0), (w, h), &pixels).map_err(|e| PlotError::backend(&context, e))?;
        backend.present().map_err(|e| PlotError::backend(&context, e))
    }

    /// Draws title and panels into `root`.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        ensure_registered()?;
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| PlotError::backend("figure", e);
        root.fill(&WHITE).map_err(err)?;
        let body = if self.title.is_empty() {
            root.clone()
        } else {
            let (top, body) = root.split_vertically(TITLE_HEIGHT);
            let (w, _) = top.dim_in_pixel();
            let style = TextStyle::from((FAMILY, 20).into_font()).pos(Pos::new(HPos::Center, VPos::Center));
            top.draw(&Text::new(self.title.as_str(), (w as i32 / 2, TITLE_HEIGHT as i32 / 2), style)).map_err(err)?;
            body
        };
        let cols = self.columns.min(self.panels.len());
        let rows = self.panels.len().div_ceil(self.columns);
        for (area, panel) in body.split_evenly((rows, cols)).iter().zip(&self.panels) {
            draw_panel(area, panel)?;
        }
        Ok(())
    }
}
