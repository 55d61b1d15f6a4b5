//! Log fields that come from outside (file and folder names, messages that
//! quote them) are written through [`Escaped`], so a name holding a newline
//! or a terminal escape sequence cannot forge a log line or repaint the
//! operator's terminal.

use std::fmt;

/// Displays a string with control characters (newlines, ESC, C1 controls)
/// and Unicode line separators as `\n`, `\u{1b}`, ...; everything else,
/// accents and curly quotes included, as is.
pub struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        for c in self.0.chars() {
            match c {
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c if c.is_control()
                    || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') =>
                {
                    write!(f, "\\u{{{:x}}}", c as u32)?
                }
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_cannot_break_a_line() {
        let shown = Escaped("a.pdf\n2026-01-01T00:00:00Z  INFO forged\x1b[31m\u{2028}").to_string();
        assert!(!shown.chars().any(|c| c.is_control()), "{shown}");
        assert_eq!(
            shown,
            "a.pdf\\n2026-01-01T00:00:00Z  INFO forged\\u{1b}[31m\\u{2028}"
        );
        assert_eq!(
            Escaped("Café “minutes” £2m.pdf").to_string(),
            "Café “minutes” £2m.pdf"
        );
    }
}
