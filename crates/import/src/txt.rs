//! Plain text: one [`Line`] per physical line, so the stored text is the file's text.

use crate::parsed::Line;

pub fn lines(text: &str) -> Vec<Line> {
    let text = crate::text::normalize(text);
    text.trim_end().split('\n').map(Line::plain).collect()
}
