//! Terminal styles, applied only when colour is on; every message reads the same without them.

use anstyle::{AnsiColor, Effects, Style as AnsiStyle};

pub struct Style {
    color: bool,
}

impl Style {
    pub fn new(color: bool) -> Style {
        Style { color }
    }

    fn paint(&self, style: AnsiStyle, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }

    pub fn error(&self, text: &str) -> String {
        self.paint(AnsiColor::Red.on_default().effects(Effects::BOLD), text)
    }

    pub fn warning(&self, text: &str) -> String {
        self.paint(AnsiColor::Yellow.on_default().effects(Effects::BOLD), text)
    }

    pub fn hint(&self, text: &str) -> String {
        self.paint(AnsiColor::Cyan.on_default().effects(Effects::BOLD), text)
    }

    pub fn gutter(&self, text: &str) -> String {
        self.paint(AnsiColor::Blue.on_default().effects(Effects::BOLD), text)
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint(AnsiStyle::new().effects(Effects::BOLD), text)
    }
}
