//! The one channel every byte goes through: data to stdout, status and diagnostics to stderr,
//! colour decided once, and `--output json` as a second renderer rather than scattered `if`s.

mod diagnostic;
mod progress;
pub mod prompt;
mod style;

use std::io::Write;

use serde::Serialize;

use crate::error::Error;
use crate::finding::Finding;

pub use diagnostic::Source;
pub use progress::Progress;

/// How results are rendered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Json,
}

/// The terminal, as commands see it.
pub struct Output {
    format: Format,
    color: bool,
    quiet: bool,
    /// Progress may be drawn in place: stderr is a terminal and `-v` is off.
    live: bool,
}

impl Output {
    pub fn new(format: Format, color: bool, quiet: bool) -> Output {
        Output {
            format,
            color,
            quiet,
            live: false,
        }
    }

    /// Lets progress be drawn in place, for a terminal without `-v`.
    pub fn with_live_progress(mut self, live: bool) -> Output {
        self.live = live;
        self
    }

    /// Returns how the engine's progress is shown: nothing with `--quiet` or JSON, bars on a
    /// terminal, plain lines elsewhere.
    pub fn progress(&self) -> Progress {
        if self.quiet || self.format == Format::Json {
            Progress::Silent
        } else if self.live {
            Progress::bars(indicatif::ProgressDrawTarget::stderr())
        } else {
            Progress::lines()
        }
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// Writes data to stdout; a closed pipe ends the command quietly.
    pub fn data(&self, text: &str) -> Result<(), Error> {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(stdout_error)
    }

    /// Writes one JSON document to stdout.
    pub fn json(&self, value: &impl Serialize) -> Result<(), Error> {
        let mut text = serde_json::to_string_pretty(value).expect("output types serialize");
        text.push('\n');
        self.data(&text)
    }

    /// Writes a warning to stderr, even under `--quiet`.
    pub fn warning(&self, message: &str) {
        let style = style::Style::new(self.color);
        self.stderr(&format!("{}: {message}\n", style.warning("warning")));
    }

    /// Writes a status line to stderr, unless `--quiet`.
    pub fn status(&self, message: &str) {
        if !self.quiet {
            self.stderr(&format!("{message}\n"));
        }
    }

    /// Renders findings to stderr, each with its source line underlined.
    pub fn findings(&self, findings: &[Finding], sources: &[Source<'_>]) {
        let style = style::Style::new(self.color);
        for finding in findings {
            self.stderr(&diagnostic::render(finding, sources, &style));
        }
    }

    /// Renders an error that stopped the command: text, or one JSON object on stderr.
    pub fn error(&self, error: &Error, verbose: bool) {
        if self.format == Format::Json {
            let mut object = serde_json::json!({ "error": { "message": error.to_string() } });
            if let Some(hint) = error.hint() {
                object["error"]["hint"] = hint.into();
            }
            self.stderr(&format!("{object}\n"));
            return;
        }
        let style = style::Style::new(self.color);
        let mut text = format!("{}: {error}\n", style.error("error"));
        if verbose {
            let mut source = std::error::Error::source(error);
            while let Some(cause) = source {
                text.push_str(&format!("\nCaused by:\n  {cause}\n"));
                source = cause.source();
            }
        }
        if let Some(hint) = error.hint() {
            text.push_str(&format!("{}: {hint}\n", style.hint("hint")));
        }
        self.stderr(&text);
    }

    #[allow(
        clippy::print_stderr,
        reason = "output/ is the one place that writes to the terminal"
    )]
    fn stderr(&self, text: &str) {
        // A closed stderr leaves nowhere to report anything; ignore it like every CLI does.
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }
}

fn stdout_error(error: std::io::Error) -> Error {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        Error::BrokenPipe
    } else {
        Error::Io {
            action: "write to".into(),
            path: "stdout".into(),
            source: error,
        }
    }
}
