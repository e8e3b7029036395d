//! Renders the engine's events: on a terminal, one indicatif line per resource (spinner, step,
//! elapsed); elsewhere (and with `-v`), one plain line per state change, since indicatif hides
//! itself off a terminal and bars would interleave with logs.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::engine::{Event, Observer};

/// How progress is shown.
pub enum Progress {
    /// Nothing (`--quiet`, or JSON output).
    Silent,
    /// One line per state change on stderr.
    Lines(Mutex<()>),
    /// A line per resource, redrawn in place.
    Bars {
        multi: MultiProgress,
        bars: Mutex<HashMap<String, ProgressBar>>,
    },
}

impl Progress {
    pub fn lines() -> Progress {
        Progress::Lines(Mutex::new(()))
    }

    pub fn bars(target: ProgressDrawTarget) -> Progress {
        Progress::Bars {
            multi: MultiProgress::with_draw_target(target),
            bars: Mutex::new(HashMap::new()),
        }
    }

    fn line(&self, text: &str) {
        if let Progress::Lines(guard) = self {
            let _guard = guard.lock().unwrap();
            let _ = writeln!(std::io::stderr().lock(), "{text}");
        }
    }

    fn bar(&self, resource: &str) -> Option<ProgressBar> {
        let Progress::Bars { multi, bars } = self else {
            return None;
        };
        let mut bars = bars.lock().unwrap();
        let bar = bars.entry(resource.to_string()).or_insert_with(|| {
            let bar = multi.add(ProgressBar::new_spinner());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {prefix:.bold} {wide_msg} {elapsed:>4}")
                    .expect("the template is valid"),
            );
            bar.set_prefix(resource.to_string());
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        });
        Some(bar.clone())
    }
}

impl Observer for Progress {
    fn event(&self, event: Event) {
        match event {
            Event::Started { resource, verb } => match self.bar(&resource) {
                Some(bar) => bar.set_message(verb.to_string()),
                None => self.line(&format!("{resource}: {verb}")),
            },
            Event::Progress { resource, message } => match self.bar(&resource) {
                Some(bar) => bar.set_message(message),
                None => self.line(&format!("{resource}: {message}")),
            },
            Event::Finished {
                resource,
                verb,
                elapsed,
            } => {
                let done = match verb {
                    "creating" => "created",
                    "deleting" => "deleted",
                    "adopting" => "adopted",
                    "backing up" => "backed up",
                    "restoring" => "restored",
                    _ => "updated",
                };
                match self.bar(&resource) {
                    Some(bar) => {
                        bar.finish_with_message(format!("{done} in {:.1}s", elapsed.as_secs_f64()))
                    }
                    None => self.line(&format!(
                        "{resource}: {done} ({:.1}s)",
                        elapsed.as_secs_f64()
                    )),
                }
            }
            Event::Failed { resource, message } => match self.bar(&resource) {
                Some(bar) => bar.abandon_with_message(format!("failed: {message}")),
                None => self.line(&format!("{resource}: failed: {message}")),
            },
        }
    }
}
