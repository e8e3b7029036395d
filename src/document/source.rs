//! One TOML file: its text, its parsed document and an index from key paths to byte spans.
//!
//! Findings name a key path (`resources.db.backup_retention_days`) rather than a position, so the
//! code that validates a model needs no spans; the index turns a path back into `file:line:col`.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::node::Node;

/// A parsed TOML file that remembers where each key and value sits.
pub struct SourceFile {
    path: PathBuf,
    document: toml_edit::Document<String>,
    keys: HashMap<String, Range<usize>>,
    values: HashMap<String, Range<usize>>,
}

/// A syntax error in a TOML file, before any key could be read; it keeps the text to quote it.
#[derive(Debug)]
pub struct SyntaxError {
    pub message: String,
    pub location: Option<Location>,
    pub text: String,
}

/// Where a finding points: a file, a 1-based line and column, and the byte span to underline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub span: Range<usize>,
}

impl SourceFile {
    /// Parses `text`, read from `path`, and indexes every key path in it.
    pub fn parse(path: &Path, text: String) -> Result<SourceFile, SyntaxError> {
        match toml_edit::Document::parse(text.clone()) {
            Ok(document) => {
                let mut file = SourceFile {
                    path: path.to_path_buf(),
                    document,
                    keys: HashMap::new(),
                    values: HashMap::new(),
                };
                file.index();
                Ok(file)
            }
            Err(error) => {
                let location = error.span().map(|span| location_in(path, &text, span));
                Err(SyntaxError {
                    message: error.message().trim_end().to_string(),
                    location,
                    text,
                })
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn text(&self) -> &str {
        self.document.raw()
    }

    /// Returns the root table as a node for walkers.
    pub(crate) fn root(&self) -> Node<'_> {
        Node::Table(self.document.as_table())
    }

    /// Returns the parsed document, for handing to serde once its shape is known to be right.
    pub fn document(&self) -> &toml_edit::Document<String> {
        &self.document
    }

    /// Returns where the value at `path` is written, falling back to its key, then to the nearest
    /// enclosing path that is written down (a missing key points at its table).
    pub fn locate_value(&self, path: &str) -> Option<Location> {
        self.lookup(path, &self.values, &self.keys)
    }

    /// Returns where the key at `path` is written, falling back like [`SourceFile::locate_value`].
    pub fn locate_key(&self, path: &str) -> Option<Location> {
        self.lookup(path, &self.keys, &self.values)
    }

    /// Returns the location of a byte span of this file.
    pub fn location(&self, span: Range<usize>) -> Location {
        location_in(&self.path, self.text(), span)
    }

    fn lookup(
        &self,
        path: &str,
        first: &HashMap<String, Range<usize>>,
        second: &HashMap<String, Range<usize>>,
    ) -> Option<Location> {
        let mut current = path;
        loop {
            if let Some(span) = first.get(current).or_else(|| second.get(current)) {
                return Some(self.location(span.clone()));
            }
            current = parent_path(current)?;
        }
    }

    fn index(&mut self) {
        let mut keys = HashMap::new();
        let mut values = HashMap::new();
        index_node(self.root(), "", &mut keys, &mut values);
        self.keys = keys;
        self.values = values;
    }
}

/// Returns the 1-based line and column of a byte span of `text`.
fn location_in(path: &Path, text: &str, span: Range<usize>) -> Location {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..start].chars().count() + 1;
    Location {
        file: path.to_path_buf(),
        line,
        column,
        span,
    }
}

fn index_node(
    node: Node<'_>,
    path: &str,
    keys: &mut HashMap<String, Range<usize>>,
    values: &mut HashMap<String, Range<usize>>,
) {
    if let Some(span) = node.span() {
        values.insert(path.to_string(), span);
    }
    if let Some(table) = node.table() {
        for (key, item) in table.iter() {
            let child = key_path_join(path, key);
            if let Some(span) = table.key(key).and_then(|k| k.span()) {
                keys.insert(child.clone(), span);
            }
            index_node(Node::Item(item), &child, keys, values);
        }
    } else if let Some(elements) = node.elements() {
        for (i, element) in elements.into_iter().enumerate() {
            index_node(element, &format!("{path}[{i}]"), keys, values);
        }
    }
}

/// Returns the key path of `key` inside `parent`, quoting keys that are not bare TOML keys.
pub fn key_path_join(parent: &str, key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let key = if bare {
        key.to_string()
    } else {
        format!("{key:?}")
    };
    if parent.is_empty() {
        key
    } else {
        format!("{parent}.{key}")
    }
}

/// Returns the enclosing path (`a.b[0].c` → `a.b[0]` → `a.b` → `a`), or `None` at the root.
fn parent_path(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    if path.ends_with(']') {
        return path.rfind('[').map(|i| &path[..i]);
    }
    // A quoted last key may hold dots, so look for the last dot outside quotes.
    let mut in_quotes = false;
    let mut last_dot = None;
    for (i, c) in path.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            '.' if !in_quotes => last_dot = Some(i),
            _ => {}
        }
    }
    Some(last_dot.map_or("", |i| &path[..i]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_paths_walk_up_through_arrays_and_quoted_keys() {
        assert_eq!(parent_path("a.b[0].c"), Some("a.b[0]"));
        assert_eq!(parent_path("a.b[0]"), Some("a.b"));
        assert_eq!(parent_path(r#"rules."net.x""#), Some("rules"));
        assert_eq!(parent_path("a"), Some(""));
        assert_eq!(parent_path(""), None);
    }

    #[test]
    fn locates_values_keys_and_missing_paths() {
        let text = "[project]\nname = \"x\"\n\n[resources.db]\ntype = \"postgres\"\n".to_string();
        let file = SourceFile::parse(Path::new("idp.toml"), text).unwrap();
        let name = file.locate_value("project.name").unwrap();
        assert_eq!((name.line, name.column), (2, 8));
        let key = file.locate_key("resources.db.type").unwrap();
        assert_eq!((key.line, key.column), (5, 1));
        // A key that is not written points at its table.
        let missing = file.locate_key("resources.db.version").unwrap();
        assert_eq!(missing.line, 4);
    }
}
