//! Drops glyphs painted twice in the same place.
//!
//! Word processors fake bold by painting each glyph a second time a fraction
//! of a point to the side. A reader that takes every glyph turns "OFFICIAL
//! MINUTES" into "OOFFFFIICCIIAALL MMIINNUUTTEESS", which no later stage can
//! match. A real repeated letter is at least a narrow glyph's width further
//! on, so the same glyph again within a small fraction of the font size is a
//! second coat of paint.
//!
//! Only the glyph just before is compared: positions pdf-extract derives
//! from a font without width tables drift, and a wider window then matches
//! unrelated letters.

use pdf_extract::{ColorSpace, MediaBox, OutputDev, OutputError, Path, Transform};

/// Repeats closer than this share of the font size are overprints. Fake-bold
/// offsets are a few hundredths of an em; the narrowest real glyphs
/// ("i", "l", ".") advance over two tenths.
const SAME_PLACE_EM: f64 = 0.1;

struct Glyph {
    text: String,
    x: f64,
    y: f64,
}

/// Wraps another output device and hides overprinted glyphs from it.
pub struct OverprintFilter<D> {
    inner: D,
    previous: Option<Glyph>,
}

impl<D: OutputDev> OverprintFilter<D> {
    pub fn new(inner: D) -> Self {
        Self {
            inner,
            previous: None,
        }
    }

    fn is_overprint(&self, text: &str, x: f64, y: f64, tolerance: f64) -> bool {
        !text.trim().is_empty()
            && self.previous.as_ref().is_some_and(|g| {
                g.text == text && (g.x - x).abs() < tolerance && (g.y - y).abs() < tolerance
            })
    }
}

impl<D: OutputDev> OutputDev for OverprintFilter<D> {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &MediaBox,
        art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.previous = None;
        self.inner.begin_page(page_num, media_box, art_box)
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        self.inner.end_page()
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        // The text rendering matrix scales the font size; its determinant
        // gives the glyph's size on the page whatever the rotation.
        let scale = (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt();
        let size = (font_size * scale).abs();
        let (x, y) = (trm.m31, trm.m32);
        if size.is_finite() && size > 0.0 && self.is_overprint(char, x, y, size * SAME_PLACE_EM) {
            return Ok(());
        }
        self.previous = Some(Glyph {
            text: char.to_string(),
            x,
            y,
        });
        self.inner
            .output_character(trm, width, spacing, font_size, char)
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.inner.begin_word()
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        self.inner.end_word()
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        self.inner.end_line()
    }

    fn stroke(
        &mut self,
        ctm: &Transform,
        colorspace: &ColorSpace,
        color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.inner.stroke(ctm, colorspace, color, path)
    }

    fn fill(
        &mut self,
        ctm: &Transform,
        colorspace: &ColorSpace,
        color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.inner.fill(ctm, colorspace, color, path)
    }
}
