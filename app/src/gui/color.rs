//! Code colours: `#rrggbb` strings as the project stores them, read into
//! egui colours, and the small swatch that shows one.

use egui::Color32;

/// `#rrggbb` to a colour (grey when it is not one).
pub fn parse_color(hex: &str) -> Color32 {
    hex_color(hex).unwrap_or(Color32::GRAY)
}

/// `#rrggbb` to a colour, `None` when it is not one.
pub fn hex_color(hex: &str) -> Option<Color32> {
    rgb_of(hex).map(|[r, g, b]| Color32::from_rgb(r, g, b))
}

/// `#rrggbb` (the `#` optional, surrounding spaces ignored) to its bytes.
pub fn rgb_of(hex: &str) -> Option<[u8; 3]> {
    let h = storyloom_project::text::hex_colour(hex)?;
    let byte = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// The bytes of a colour as `#rrggbb`.
pub fn hex_of([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// A small filled square in a code's colour. Square-cornered: a rounded
/// corner costs a small rect about five times the triangles, and swatches
/// are drawn by the dozen on every frame.
pub fn swatch(ui: &mut egui::Ui, color: Color32) {
    let size = egui::vec2(12.0, 12.0);
    let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
    ui.painter().rect_filled(rect, 0.0, color);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_hex_colours_and_greys_out_the_rest() {
        assert_eq!(
            hex_color("#c03030"),
            Some(Color32::from_rgb(0xc0, 0x30, 0x30))
        );
        assert_eq!(
            hex_color(" 00ff7f "),
            Some(Color32::from_rgb(0, 0xff, 0x7f))
        );
        assert_eq!(hex_color("#c0303"), None);
        assert_eq!(hex_color("#zz3030"), None);
        assert_eq!(hex_color("#c0é30"), None);
        assert_eq!(parse_color("red"), Color32::GRAY);
        assert_eq!(hex_of([0xc0, 0x30, 0x30]), "#c03030");
    }
}
