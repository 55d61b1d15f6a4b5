//! Glyphs to lines of text: pdf-extract's plain-text layout rules, with
//! superscripts and subscripts kept on their line.
//!
//! pdf-extract's own `PlainTextOutput` starts a new line whenever a glyph
//! sits half its size above or below the previous one and not to its right.
//! A raised ordinal ("25th", as Word sets it) is exactly that, so dates came
//! out as "25\nth January", which no date parser reads. Here a change of
//! size with a small baseline shift right after the previous glyph stays on
//! the line; everything else follows pdf-extract's rules unchanged.

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};
use std::fmt::Write as _;

/// A glyph at least this much smaller than its neighbour is set as a
/// superscript or subscript.
const SCRIPT_SIZE_RATIO: f64 = 0.85;
/// Scripts are raised or lowered by less than this share of the larger size.
const SCRIPT_MAX_SHIFT: f64 = 0.6;
/// A script starts no further left of the previous glyph's end than this
/// share of the larger size (kerning, rounding).
const SCRIPT_MAX_BACKSTEP: f64 = 0.3;

/// Writes page text into a `String`, one page per device.
pub struct PlainText<'a> {
    out: &'a mut String,
    last_end: f64,
    last_y: f64,
    last_size: f64,
    first_char: bool,
}

impl<'a> PlainText<'a> {
    pub fn new(out: &'a mut String) -> Self {
        Self {
            out,
            last_end: 100_000.0,
            last_y: 0.0,
            last_size: 0.0,
            first_char: false,
        }
    }

    /// The glyph continues the previous one as a raised or lowered script
    /// (or returns from one), rather than starting a new line.
    fn is_script_step(&self, x: f64, y: f64, size: f64) -> bool {
        let (small, large) = if size < self.last_size {
            (size, self.last_size)
        } else {
            (self.last_size, size)
        };
        large > 0.0
            && small < large * SCRIPT_SIZE_RATIO
            && (y - self.last_y).abs() < large * SCRIPT_MAX_SHIFT
            && x >= self.last_end - large * SCRIPT_MAX_BACKSTEP
    }
}

impl OutputDev for PlainText<'_> {
    fn begin_page(
        &mut self,
        _page_num: u32,
        _media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        // The glyph's size on the page: the font size through the text
        // rendering matrix, as a square of the same area.
        let along_x = font_size * (trm.m11 + trm.m21);
        let along_y = font_size * (trm.m12 + trm.m22);
        let size = (along_x * along_y).abs().sqrt();
        // Only differences of y matter, so the page need not be flipped.
        let (x, y) = (trm.m31, trm.m32);
        if self.first_char {
            let shift = (y - self.last_y).abs();
            let script = self.is_script_step(x, y, size);
            if !script && shift > size * 1.5 {
                self.out.push('\n');
            }
            if !script && x < self.last_end && shift > size * 0.5 {
                self.out.push('\n');
            }
            if x > self.last_end + size * 0.1 {
                self.out.push(' ');
            }
        }
        write!(self.out, "{char}")?;
        self.first_char = false;
        self.last_y = y;
        self.last_size = size;
        self.last_end = x + width * size;
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.first_char = true;
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}
