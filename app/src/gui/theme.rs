//! The window's look: light or dark, a high-contrast variant of either
//! (View → High-contrast theme, Alt+H), and the size of transcript and story
//! text, set apart from the size of the rest of the window.
//!
//! The reading size is a named text style ([`reading_font`]) so the document
//! view and the story editor resolve it like any other style.

use egui::{Color32, FontId, Stroke, TextStyle, Visuals};

/// The name of the transcript and story text style.
pub const READING: &str = "Reading";

/// The reading text size a new user gets (points): one point above the
/// window's body text, as before the setting existed.
pub const DEFAULT_READING_SIZE: f32 = 14.0;

/// The visuals for a theme.
/// The corner radius of buttons, fields and chips (points).
pub const WIDGET_RADIUS: u8 = 4;

pub fn visuals(dark: bool, high_contrast: bool) -> Visuals {
    let mut v = if dark {
        Visuals::dark()
    } else {
        Visuals::light()
    };
    // Buttons, chips and fields at a radius of 4, not egui's 6: a corner of
    // radius 6 is drawn with 9 points, one of 5 or less with 5, and a
    // transcript in view has some sixty such shapes every frame.
    for w in [
        &mut v.widgets.inactive,
        &mut v.widgets.hovered,
        &mut v.widgets.active,
        &mut v.widgets.open,
    ] {
        w.corner_radius = egui::CornerRadius::same(WIDGET_RADIUS);
    }
    if high_contrast {
        let (fg, bg, faint) = if dark {
            (Color32::WHITE, Color32::BLACK, Color32::from_gray(40))
        } else {
            (Color32::BLACK, Color32::WHITE, Color32::from_gray(225))
        };
        v.override_text_color = Some(fg);
        v.panel_fill = bg;
        v.window_fill = bg;
        v.extreme_bg_color = bg;
        v.faint_bg_color = faint;
        v.window_stroke = Stroke::new(2.0, fg);
        v.selection.stroke = Stroke::new(2.0, fg);
        v.hyperlink_color = if dark {
            Color32::from_rgb(140, 200, 255)
        } else {
            Color32::from_rgb(0, 0, 170)
        };
        for w in [
            &mut v.widgets.noninteractive,
            &mut v.widgets.inactive,
            &mut v.widgets.hovered,
            &mut v.widgets.active,
            &mut v.widgets.open,
        ] {
            w.fg_stroke = Stroke::new(w.fg_stroke.width.max(1.5), fg);
            w.bg_stroke = Stroke::new(w.bg_stroke.width.max(1.0), fg);
        }
        v.widgets.noninteractive.bg_stroke = Stroke::new(1.0, fg);
    }
    v
}

/// Whether the visuals are a high-contrast theme's.
pub fn is_high_contrast(v: &Visuals) -> bool {
    v.override_text_color.is_some()
}

/// Applies the theme and the reading size to the context (only what changed).
pub fn apply(ctx: &egui::Context, dark: bool, high_contrast: bool, reading_size: f32) {
    let want = visuals(dark, high_contrast);
    let font = FontId::proportional(reading_size);
    let style = ctx.global_style();
    let same_font = style.text_styles.get(&reading_style()) == Some(&font);
    if style.visuals != want || !same_font {
        ctx.global_style_mut(|s| {
            s.visuals = want;
            s.text_styles.insert(reading_style(), font);
        });
    }
}

pub fn reading_style() -> TextStyle {
    TextStyle::Name(READING.into())
}

/// The transcript and story font (the reading size, or one point above the
/// body text where no size has been set, as in tests of one panel).
pub fn reading_font(style: &egui::Style) -> FontId {
    match style.text_styles.get(&reading_style()) {
        Some(f) => f.clone(),
        None => {
            let body = TextStyle::Body.resolve(style);
            FontId::new(body.size + 1.0, body.family)
        }
    }
}

/// The width (points) of `chars` characters of running text in `font`: a
/// readable measure is about 80-100 characters.
pub fn measure(ctx: &egui::Context, font: &FontId, chars: usize) -> f32 {
    const SAMPLE: &str = "and then she said we could go down to the group on a Tuesday, ";
    let w = ctx.fonts_mut(|f| {
        f.layout_no_wrap(SAMPLE.to_owned(), font.clone(), Color32::WHITE)
            .size()
            .x
    });
    w / SAMPLE.chars().count() as f32 * chars as f32
}

/// The text and fill of a speaker's role chip in the transcript: dark on a
/// pale tint (light), light on a deep tint (dark), the theme's own text on
/// its background with an outline (high contrast). Interviewers and
/// participants get different tints so the two read apart at a glance.
pub fn role_chip_colors(v: &Visuals, interviewer: bool) -> (Color32, Color32) {
    if is_high_contrast(v) {
        return (v.text_color(), v.panel_fill);
    }
    match (v.dark_mode, interviewer) {
        (false, true) => (
            Color32::from_rgb(20, 40, 80),
            Color32::from_rgb(214, 228, 248),
        ),
        (false, false) => (
            Color32::from_rgb(70, 40, 0),
            Color32::from_rgb(250, 232, 200),
        ),
        (true, true) => (
            Color32::from_rgb(220, 232, 255),
            Color32::from_rgb(34, 56, 92),
        ),
        (true, false) => (
            Color32::from_rgb(255, 236, 205),
            Color32::from_rgb(88, 58, 18),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG contrast ratio of two colours (1 to 21).
    fn contrast(a: Color32, b: Color32) -> f32 {
        fn lum(c: Color32) -> f32 {
            let ch = |x: u8| {
                let x = f32::from(x) / 255.0;
                if x <= 0.039_28 {
                    x / 12.92
                } else {
                    ((x + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * ch(c.r()) + 0.7152 * ch(c.g()) + 0.0722 * ch(c.b())
        }
        let (la, lb) = (lum(a), lum(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn role_chips_have_enough_contrast_in_every_theme() {
        for dark in [false, true] {
            for hc in [false, true] {
                let v = visuals(dark, hc);
                let need = if hc { 15.0 } else { 7.0 };
                for interviewer in [false, true] {
                    let (fg, bg) = role_chip_colors(&v, interviewer);
                    let c = contrast(fg, bg);
                    assert!(
                        c >= need,
                        "dark {dark} hc {hc} interviewer {interviewer}: {c}"
                    );
                }
                // The two roles' chips differ outside high contrast.
                if !hc {
                    assert_ne!(role_chip_colors(&v, true).1, role_chip_colors(&v, false).1);
                }
            }
        }
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
    }

    #[test]
    fn high_contrast_text_is_black_on_white_or_white_on_black() {
        let light = visuals(false, true);
        assert_eq!(light.text_color(), Color32::BLACK);
        assert_eq!(light.panel_fill, Color32::WHITE);
        assert!(is_high_contrast(&light));
        let dark = visuals(true, true);
        assert_eq!(dark.text_color(), Color32::WHITE);
        assert_eq!(dark.panel_fill, Color32::BLACK);
        assert!(!is_high_contrast(&visuals(false, false)));
    }
}
