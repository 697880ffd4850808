//! The window's commands: one list that the menus, the keyboard shortcuts,
//! the shortcut list (F1) and the command palette (Ctrl+Shift+P) all read,
//! so a name or a key can never differ between them.
//!
//! A [`UiCommand`] is what the researcher asks the *window* to do (open a
//! dialog, switch a tab, zoom, undo). Changes to the project itself go
//! through the project's own API; the workbench runs a command in
//! `workbench/commands.rs`, which also says whether it can run now and why
//! not.

use super::shared::CenterTab;
use super::workbench::PathPrompt;
use egui::{Key, KeyboardShortcut, Modifiers};

/// Everything the menus and the palette offer.
#[derive(Debug, Clone, PartialEq)]
pub enum UiCommand {
    NewProject,
    OpenProject,
    OpenShared,
    /// Put the open project on a PostgreSQL server for colleagues.
    ShareProject,
    SaveCopy,
    ImportTranscripts,
    ImportParticipants,
    ImportRefi,
    ImportWorkshop,
    MergeCopy,
    Quit,
    PackSettings,
    /// An export that asks where to write (its dialog names the file).
    Export(PathPrompt),
    Undo,
    Redo,
    DarkTheme,
    HighContrast,
    /// Show the code names beside the coding stripes, right of the text.
    MarginNames,
    ZoomIn,
    ZoomOut,
    ResetZoom,
    TextLarger,
    TextSmaller,
    TextReset,
    Welcome,
    Shortcuts,
    Palette,
    Find,
    /// Select the next / previous coded range of the open transcript.
    NextCoding,
    PreviousCoding,
    Go(CenterTab),
}

/// The menu a command sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Menu {
    File,
    Export,
    Edit,
    View,
    Help,
    /// Only in the palette (the tabs are in the menu bar already).
    Go,
}

const CTRL: Modifiers = Modifiers::COMMAND;
const CTRL_SHIFT: Modifiers = Modifiers {
    alt: false,
    ctrl: false,
    shift: true,
    mac_cmd: false,
    command: true,
};
const ALT: Modifiers = Modifiers::ALT;
const NONE: Modifiers = Modifiers::NONE;

const fn key(modifiers: Modifiers, k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, k)
}

/// Every command, in menu order.
pub fn all() -> Vec<UiCommand> {
    use UiCommand as C;
    let mut v = vec![
        C::NewProject,
        C::OpenProject,
        C::OpenShared,
        C::ShareProject,
        C::SaveCopy,
        C::ImportTranscripts,
        C::ImportParticipants,
        C::ImportRefi,
        C::ImportWorkshop,
        C::MergeCopy,
        C::Quit,
        C::PackSettings,
    ];
    v.extend(
        [
            PathPrompt::ExportPack { research: false },
            PathPrompt::ExportPack { research: true },
            PathPrompt::ExportThemeReport,
            PathPrompt::ExportCodebook { csv: false },
            PathPrompt::ExportCodebook { csv: true },
            PathPrompt::ExportSegments { xlsx: true },
            PathPrompt::ExportSegments { xlsx: false },
            PathPrompt::ExportQdpx,
            PathPrompt::ExportQdc,
            PathPrompt::ExportStory,
        ]
        .map(C::Export),
    );
    v.extend([
        C::Undo,
        C::Redo,
        C::DarkTheme,
        C::HighContrast,
        C::MarginNames,
        C::ZoomIn,
        C::ZoomOut,
        C::ResetZoom,
        C::TextLarger,
        C::TextSmaller,
        C::TextReset,
        C::NextCoding,
        C::PreviousCoding,
        C::Welcome,
        C::Shortcuts,
        C::Palette,
        C::Find,
    ]);
    v.extend(CenterTab::ALL.map(C::Go));
    v
}

impl UiCommand {
    /// The name shown in the menu, the palette and the shortcut list.
    pub fn name(&self) -> String {
        use UiCommand as C;
        let s = match self {
            C::NewProject => "New project…",
            C::OpenProject => "Open project…",
            C::OpenShared => "Open shared project…",
            C::ShareProject => "Share this project…",
            C::SaveCopy => "Save a copy…",
            C::ImportTranscripts => "Import transcripts…",
            C::ImportParticipants => "Import participants CSV…",
            C::ImportRefi => "Import project (.qdpx, .qdc)…",
            C::ImportWorkshop => "Import workshop notes…",
            C::MergeCopy => "Merge a colleague's project…",
            C::Quit => "Quit",
            C::PackSettings => "Discussion pack settings…",
            C::Export(p) => match p {
                PathPrompt::ExportPack { research: false } => "Discussion pack (stakeholders)…",
                PathPrompt::ExportPack { research: true } => "Discussion pack (research team)…",
                PathPrompt::ExportThemeReport => "Theme report (.docx)…",
                PathPrompt::ExportCodebook { csv: false } => "Codebook (.docx)…",
                PathPrompt::ExportCodebook { csv: true } => "Codebook (.csv)…",
                PathPrompt::ExportSegments { xlsx: true } => "Coded segments (.xlsx)…",
                PathPrompt::ExportSegments { xlsx: false } => "Coded segments (.csv)…",
                PathPrompt::ExportQdpx => "REFI-QDA project (.qdpx)…",
                PathPrompt::ExportQdc => "REFI-QDA codebook (.qdc)…",
                PathPrompt::ExportStory => "Story for checking (.docx)…",
                _ => "Export…",
            },
            C::Undo => "Undo",
            C::Redo => "Redo",
            C::DarkTheme => "Dark theme",
            C::HighContrast => "High-contrast theme",
            C::MarginNames => "Code names in the margin",
            C::ZoomIn => "Zoom in",
            C::ZoomOut => "Zoom out",
            C::ResetZoom => "Reset zoom",
            C::TextLarger => "Larger transcript and story text",
            C::TextSmaller => "Smaller transcript and story text",
            C::TextReset => "Reset transcript and story text size",
            C::Welcome => "Welcome",
            C::Shortcuts => "List of keyboard shortcuts",
            C::Palette => "Command palette",
            C::Find => "Search the transcripts",
            C::NextCoding => "Next coding in the transcript",
            C::PreviousCoding => "Previous coding in the transcript",
            C::Go(tab) => return format!("Go to {}", tab.label()),
        };
        s.to_owned()
    }

    /// The name in the palette: exports say they are exports.
    pub fn palette_name(&self) -> String {
        match self {
            UiCommand::Export(_) => format!("Export: {}", self.name()),
            _ => self.name(),
        }
    }

    pub fn menu(&self) -> Menu {
        use UiCommand as C;
        match self {
            C::NewProject
            | C::OpenProject
            | C::OpenShared
            | C::ShareProject
            | C::SaveCopy
            | C::ImportTranscripts
            | C::ImportParticipants
            | C::ImportRefi
            | C::ImportWorkshop
            | C::MergeCopy
            | C::Quit => Menu::File,
            C::PackSettings | C::Export(_) => Menu::Export,
            C::Undo | C::Redo => Menu::Edit,
            C::DarkTheme
            | C::HighContrast
            | C::MarginNames
            | C::ZoomIn
            | C::ZoomOut
            | C::ResetZoom
            | C::TextLarger
            | C::TextSmaller
            | C::TextReset
            | C::NextCoding
            | C::PreviousCoding => Menu::View,
            C::Welcome | C::Shortcuts | C::Palette | C::Find => Menu::Help,
            C::Go(_) => Menu::Go,
        }
    }

    /// A line goes above this command in its menu.
    pub fn separated(&self) -> bool {
        use UiCommand as C;
        matches!(
            self,
            C::SaveCopy
                | C::Quit
                | C::Export(PathPrompt::ExportPack { research: false })
                | C::Export(PathPrompt::ExportQdpx)
                | C::ZoomIn
                | C::TextLarger
                | C::NextCoding
        )
    }

    /// The keys that run it; the first is the one shown.
    pub fn keys(&self) -> &'static [KeyboardShortcut] {
        use UiCommand as C;
        const UNDO: &[KeyboardShortcut] = &[key(CTRL, Key::Z)];
        const REDO: &[KeyboardShortcut] = &[key(CTRL_SHIFT, Key::Z), key(CTRL, Key::Y)];
        const ZOOM_IN: &[KeyboardShortcut] = &[key(CTRL, Key::Plus), key(CTRL, Key::Equals)];
        const ZOOM_OUT: &[KeyboardShortcut] = &[key(CTRL, Key::Minus)];
        const ZOOM_RESET: &[KeyboardShortcut] = &[key(CTRL, Key::Num0)];
        const TEXT_LARGER: &[KeyboardShortcut] =
            &[key(CTRL_SHIFT, Key::Plus), key(CTRL_SHIFT, Key::Equals)];
        const TEXT_SMALLER: &[KeyboardShortcut] = &[key(CTRL_SHIFT, Key::Minus)];
        const CONTRAST: &[KeyboardShortcut] = &[key(ALT, Key::H)];
        const MARGIN_NAMES: &[KeyboardShortcut] = &[key(ALT, Key::M)];
        const QUIT: &[KeyboardShortcut] = &[key(CTRL, Key::Q)];
        const OPEN: &[KeyboardShortcut] = &[key(CTRL, Key::O)];
        const HELP: &[KeyboardShortcut] = &[key(NONE, Key::F1)];
        const PALETTE: &[KeyboardShortcut] = &[key(CTRL_SHIFT, Key::P)];
        const FIND: &[KeyboardShortcut] = &[key(CTRL, Key::F)];
        const NEXT_CODING: &[KeyboardShortcut] = &[key(ALT, Key::ArrowDown)];
        const PREVIOUS_CODING: &[KeyboardShortcut] = &[key(ALT, Key::ArrowUp)];
        match self {
            C::Undo => UNDO,
            C::Redo => REDO,
            C::ZoomIn => ZOOM_IN,
            C::ZoomOut => ZOOM_OUT,
            C::ResetZoom => ZOOM_RESET,
            C::TextLarger => TEXT_LARGER,
            C::TextSmaller => TEXT_SMALLER,
            C::HighContrast => CONTRAST,
            C::MarginNames => MARGIN_NAMES,
            C::Quit => QUIT,
            C::OpenProject => OPEN,
            C::Shortcuts => HELP,
            C::Palette => PALETTE,
            C::Find => FIND,
            C::NextCoding => NEXT_CODING,
            C::PreviousCoding => PREVIOUS_CODING,
            _ => &[],
        }
    }

    /// The keys as shown ("Ctrl+Shift+P"; alternatives after " / ").
    pub fn keys_text(&self) -> String {
        self.keys()
            .iter()
            .map(format_key)
            .collect::<Vec<_>>()
            .join(" / ")
    }

    /// The first key only, for a menu item's right-hand side.
    pub fn key_text(&self) -> String {
        self.keys().first().map(format_key).unwrap_or_default()
    }

    /// Runs even while a text field has the keyboard (a text field has its
    /// own undo and zoom keys would type into it otherwise).
    pub fn in_text_fields(&self) -> bool {
        use UiCommand as C;
        matches!(
            self,
            C::Shortcuts | C::Palette | C::Find | C::ResetZoom | C::Quit | C::OpenProject
        )
    }
}

/// "Ctrl+Shift+P", the same on every platform Storyloom ships for.
pub fn format_key(k: &KeyboardShortcut) -> String {
    let m = egui::ModifierNames::NAMES.format(&k.modifiers, false);
    let key = match k.logical_key {
        Key::Minus => "-",
        Key::ArrowDown => "Down",
        Key::ArrowUp => "Up",
        other => other.symbol_or_name(),
    };
    if m.is_empty() {
        key.to_owned()
    } else {
        format!("{m}+{key}")
    }
}

/// How well `query` matches `name` (None: not at all). The query's letters
/// must appear in order; runs of letters, word starts and an early first
/// letter score higher. Case is ignored.
pub fn fuzzy_score(query: &str, name: &str) -> Option<i32> {
    let q: Vec<char> = query
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if q.is_empty() {
        return Some(0);
    }
    let n: Vec<char> = name.to_lowercase().chars().collect();
    let mut score = 0;
    let mut qi = 0;
    let mut last: Option<usize> = None;
    let mut first = None;
    for (i, &c) in n.iter().enumerate() {
        if qi < q.len() && c == q[qi] {
            let word_start = i == 0 || !n[i - 1].is_alphanumeric();
            score += 1;
            if word_start {
                score += 8;
            }
            if last.is_some_and(|l| l + 1 == i) {
                score += 5;
            }
            first.get_or_insert(i);
            last = Some(i);
            qi += 1;
        }
    }
    if qi < q.len() {
        return None;
    }
    // Shorter names and earlier matches first.
    Some(score * 4 - first.unwrap_or(0) as i32 - n.len() as i32 / 8)
}

/// The commands matching `query`, best first (list order among equals).
pub fn search(query: &str) -> Vec<UiCommand> {
    let mut hits: Vec<(i32, usize, UiCommand)> = all()
        .into_iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let s = fuzzy_score(query, &c.palette_name())?;
            Some((s, i, c))
        })
        .collect();
    hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    hits.into_iter().map(|(_, _, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_as_people_write_them() {
        assert_eq!(UiCommand::Palette.keys_text(), "Ctrl+Shift+P");
        assert_eq!(UiCommand::Redo.keys_text(), "Ctrl+Shift+Z / Ctrl+Y");
        assert_eq!(UiCommand::ZoomOut.key_text(), "Ctrl+-");
        assert_eq!(UiCommand::ResetZoom.key_text(), "Ctrl+0");
        assert_eq!(UiCommand::Shortcuts.key_text(), "F1");
        assert_eq!(UiCommand::NextCoding.key_text(), "Alt+Down");
        assert_eq!(UiCommand::PreviousCoding.key_text(), "Alt+Up");
    }

    #[test]
    fn no_two_commands_share_a_key() {
        let mut seen = std::collections::HashMap::new();
        for c in all() {
            for k in c.keys() {
                if let Some(other) = seen.insert(format_key(k), c.name()) {
                    panic!("{} and {} both use {}", other, c.name(), format_key(k));
                }
            }
        }
    }

    #[test]
    fn fuzzy_search_finds_by_initials_and_fragments() {
        assert_eq!(search("reset zo").first(), Some(&UiCommand::ResetZoom));
        assert_eq!(search("cmdpal").first(), Some(&UiCommand::Palette));
        assert_eq!(
            search("refi proj").first(),
            Some(&UiCommand::Export(PathPrompt::ExportQdpx))
        );
        assert_eq!(
            search("go them").first(),
            Some(&UiCommand::Go(CenterTab::Themes))
        );
        assert!(search("zzzz").is_empty());
        assert_eq!(search("").len(), all().len());
    }
}
