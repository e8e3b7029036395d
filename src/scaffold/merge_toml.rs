//! `idp.toml` merged by key for `idp update`, not as text: resources and settings the template
//! added appear, the user's own resources and values stay, comments and layout stay, and a key
//! both sides changed is a conflict named by its key path (see issue 6).
//!
//! The merge starts from the user's document (toml_edit keeps every comment and blank line) and
//! walks the three versions together, table by table. Tables, inline tables and arrays of tables
//! (element by element) are merged recursively; any other value, arrays included, is compared
//! whole, by meaning rather than spelling (`'a'` equals `"a"`).

use std::fmt;

use toml_edit::{ArrayOfTables, Decor, DocumentMut, Entry, Item, Table, TableLike, Value};

/// A key both sides changed differently; the user's value was kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TomlConflict {
    /// The key path, as `resources.db.size` or `checks[1].name`.
    pub path: String,
    /// The user's value as TOML, `None` when the user removed the key.
    pub ours: Option<String>,
    /// The template's value as TOML, `None` when the template removed the key.
    pub theirs: Option<String>,
}

/// The merged document and its conflicts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TomlMerge {
    /// The merged text; above each conflicting key the user kept, a comment names the
    /// template's value.
    pub text: String,
    pub conflicts: Vec<TomlConflict>,
}

/// Which of the three documents a merge error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    Base,
    Ours,
    Theirs,
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Version::Base => "the recorded template version's",
            Version::Ours => "the project's",
            Version::Theirs => "the target template version's",
        })
    }
}

/// Why the documents could not be merged.
#[derive(Debug, thiserror::Error)]
pub enum TomlMergeError {
    #[error("{version} `idp.toml` is not valid TOML: {message}")]
    Parse { version: Version, message: String },
    #[error("merging `idp.toml` produced invalid TOML: {0}")]
    Invalid(String),
}

/// Returns `ours` with the template's changes from `base` to `theirs` applied key by key.
///
/// Keys the template added are inserted with their comments; keys it removed go unless the user
/// changed them; values it changed are taken unless the user changed them too, in which case the
/// user's value stays, a conflict is recorded and a `# idp update: conflict` comment is written
/// above the key. Keys the user added stay.
pub fn merge_toml(base: &str, ours: &str, theirs: &str) -> Result<TomlMerge, TomlMergeError> {
    let parse = |text: &str, version| {
        text.parse::<DocumentMut>()
            .map_err(|e| TomlMergeError::Parse {
                version,
                message: e.to_string(),
            })
    };
    let base = parse(base, Version::Base)?;
    let mut document = parse(ours, Version::Ours)?;
    let theirs = parse(theirs, Version::Theirs)?;

    let mut merger = Merger::default();
    merger.table(
        &mut Vec::new(),
        Some(base.as_table()),
        document.as_table_mut(),
        [false, false],
        theirs.as_table(),
    );
    for (path, note) in &merger.notes {
        annotate(document.as_table_mut(), path, note);
    }
    let text = document.to_string();
    text.parse::<DocumentMut>()
        .map_err(|e| TomlMergeError::Invalid(e.to_string()))?;
    Ok(TomlMerge {
        text,
        conflicts: merger.conflicts,
    })
}

/// One step of a key path.
#[derive(Clone, Debug)]
enum Segment {
    Key(String),
    Index(usize),
}

fn path_name(path: &[Segment]) -> String {
    let mut name = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) => {
                if !name.is_empty() {
                    name.push('.');
                }
                name.push_str(&toml_edit::Key::new(key.as_str()).display_repr());
            }
            Segment::Index(index) => name.push_str(&format!("[{index}]")),
        }
    }
    name
}

/// What to do with one key of the user's table.
enum Action {
    Keep,
    Remove,
    /// Insert, or replace keeping the user's formatting around the value.
    Set(Item),
}

#[derive(Default)]
struct Merger {
    conflicts: Vec<TomlConflict>,
    /// The comments to write: the path of a key the user kept, and the line to put above it.
    notes: Vec<(Vec<Segment>, String)>,
}

impl Merger {
    /// Merges the keys of one table; `inline` says whether ours and theirs are inline tables.
    fn table(
        &mut self,
        path: &mut Vec<Segment>,
        base: Option<&dyn TableLike>,
        ours: &mut dyn TableLike,
        inline: [bool; 2],
        theirs: &dyn TableLike,
    ) {
        let mut keys: Vec<String> = ours.iter().map(|(key, _)| key.to_string()).collect();
        keys.extend(
            theirs
                .iter()
                .map(|(key, _)| key)
                .filter(|key| !ours.contains_key(key))
                .map(String::from),
        );
        for key in keys {
            path.push(Segment::Key(key.clone()));
            let action = self.entry(
                path,
                present(base.and_then(|t| t.get(&key))),
                ours.get_mut(&key).filter(|item| !item.is_none()),
                present(theirs.get(&key)),
            );
            match action {
                Action::Keep => {}
                Action::Remove => {
                    ours.remove(&key);
                }
                Action::Set(item) => {
                    let item = fit(item, inline[0]);
                    match ours.get_mut(&key) {
                        Some(slot) => replace(slot, item),
                        // The template's key, with the comments above it, unless one side is
                        // an inline table, where those would not fit.
                        None => match theirs.get_key_value(&key) {
                            Some((formatted, _)) if inline == [false, false] => {
                                if let Entry::Vacant(entry) = ours.entry_format(formatted) {
                                    entry.insert(item);
                                }
                            }
                            _ if inline[0] => insert_inline(ours, &key, item),
                            _ => {
                                ours.insert(&key, item);
                            }
                        },
                    }
                }
            }
            path.pop();
        }
    }

    /// Decides what happens to one key from its three versions (`None`: absent).
    fn entry(
        &mut self,
        path: &mut Vec<Segment>,
        base: Option<&Item>,
        ours: Option<&mut Item>,
        theirs: Option<&Item>,
    ) -> Action {
        let Some(ours) = ours else {
            return match (base, theirs) {
                (None, Some(theirs)) => Action::Set(theirs.clone()),
                (Some(base), Some(theirs)) if !same(base, theirs) => {
                    self.conflict(path, None, Some(theirs));
                    Action::Keep
                }
                _ => Action::Keep,
            };
        };
        let theirs_unchanged = match (base, theirs) {
            (Some(base), Some(theirs)) => same(base, theirs),
            (None, None) => true,
            _ => false,
        };
        if theirs_unchanged || theirs.is_some_and(|theirs| same(ours, theirs)) {
            return Action::Keep;
        }
        let ours_unchanged = base.is_some_and(|base| same(base, ours));
        if ours_unchanged && theirs.is_none() {
            return Action::Remove;
        }

        // Tables merge key by key, even when the user left them alone, so their comments stay.
        let ours_inline = ours.is_inline_table();
        if let Some(table) = ours.as_table_like_mut()
            && base.is_none_or(Item::is_table_like)
            && theirs.is_none_or(Item::is_table_like)
        {
            let empty = Table::new();
            let theirs_table = theirs.and_then(Item::as_table_like).unwrap_or(&empty);
            let theirs_inline = theirs.is_some_and(Item::is_inline_table);
            self.table(
                path,
                base.and_then(Item::as_table_like),
                table,
                [ours_inline, theirs_inline],
                theirs_table,
            );
            // A table the template removed goes once nothing of the user's is left in it.
            return if theirs.is_none() && table.is_empty() {
                Action::Remove
            } else {
                Action::Keep
            };
        }
        if let Item::ArrayOfTables(array) = &mut *ours
            && base.is_none_or(Item::is_array_of_tables)
            && theirs.is_none_or(Item::is_array_of_tables)
        {
            self.array_of_tables(
                path,
                base.and_then(Item::as_array_of_tables),
                array,
                theirs.and_then(Item::as_array_of_tables),
            );
            return Action::Keep;
        }

        match theirs {
            Some(theirs) if ours_unchanged => Action::Set(theirs.clone()),
            _ => {
                self.conflict(path, Some(&*ours), theirs);
                Action::Keep
            }
        }
    }

    /// Merges arrays of tables element by element, by index.
    fn array_of_tables(
        &mut self,
        path: &mut Vec<Segment>,
        base: Option<&ArrayOfTables>,
        ours: &mut ArrayOfTables,
        theirs: Option<&ArrayOfTables>,
    ) {
        let element = |array: Option<&ArrayOfTables>, i| {
            array
                .and_then(|a| a.get(i))
                .map(|table| Item::Table(table.clone()))
        };
        let mut elements: Vec<Option<Item>> = std::mem::take(ours)
            .into_iter()
            .map(|table| Some(Item::Table(table)))
            .collect();
        let len = [base, theirs]
            .into_iter()
            .flatten()
            .map(ArrayOfTables::len)
            .fold(elements.len(), usize::max);
        for i in 0..len {
            path.push(Segment::Index(i));
            let (base_element, theirs_element) = (element(base, i), element(theirs, i));
            let action = self.entry(
                path,
                base_element.as_ref(),
                elements.get_mut(i).and_then(Option::as_mut),
                theirs_element.as_ref(),
            );
            match action {
                Action::Keep => {}
                Action::Remove => elements[i] = None,
                Action::Set(item) => {
                    let item = fit(item, false);
                    match elements.get_mut(i) {
                        Some(Some(slot)) => replace(slot, item),
                        _ => elements.push(Some(item)),
                    }
                }
            }
            path.pop();
        }
        for item in elements.into_iter().flatten() {
            if let Item::Table(table) = item {
                ours.push(table);
            }
        }
    }

    fn conflict(&mut self, path: &[Segment], ours: Option<&Item>, theirs: Option<&Item>) {
        let theirs = theirs.map(render);
        if ours.is_some() {
            let wants = match &theirs {
                Some(value) => format!("template wants: {value}"),
                None => "template removes it".to_string(),
            };
            self.notes
                .push((path.to_vec(), format!("# idp update: conflict, {wants}")));
        }
        self.conflicts.push(TomlConflict {
            path: path_name(path),
            ours: ours.map(render),
            theirs,
        });
    }
}

/// Returns the item unless it is the empty placeholder toml_edit leaves for a removed key.
fn present(item: Option<&Item>) -> Option<&Item> {
    item.filter(|item| !item.is_none())
}

/// Returns `item` ready to go into a table of the user's: a value inside an inline table, and
/// tables without a position, so toml_edit writes them after their preceding sibling rather than
/// where they stood in the template's file.
fn fit(item: Item, inline: bool) -> Item {
    if inline {
        return match item.into_value() {
            Ok(mut value) => {
                value.decor_mut().clear();
                Item::Value(value)
            }
            Err(item) => item,
        };
    }
    let mut item = item;
    clear_positions(&mut item);
    item
}

fn clear_positions(item: &mut Item) {
    let tables: Vec<&mut Table> = match item {
        Item::Table(table) => vec![table],
        Item::ArrayOfTables(array) => array.iter_mut().collect(),
        _ => return,
    };
    for table in tables {
        table.set_position(None);
        for (_, child) in table.iter_mut() {
            clear_positions(child);
        }
    }
}

/// Appends a key to an inline table; the space before its `}` belongs to the last value, so it
/// moves to the new one.
fn insert_inline(table: &mut dyn TableLike, key: &str, mut item: Item) {
    let last = table
        .iter_mut()
        .filter_map(|(_, item)| item.as_value_mut())
        .last();
    if let Some(last) = last
        && let Some(suffix) = last.decor().suffix().cloned()
        && let Some(value) = item.as_value_mut()
    {
        last.decor_mut().set_suffix("");
        value.decor_mut().set_suffix(suffix);
    }
    table.insert(key, item);
}

/// Puts `item` in `slot`; a value keeps the user's whitespace and comments around it.
fn replace(slot: &mut Item, mut item: Item) {
    if let (Item::Value(old), Item::Value(new)) = (&*slot, &mut item) {
        *new.decor_mut() = old.decor().clone();
    }
    *slot = item;
}

/// Returns whether two items mean the same, however they are written.
fn same(a: &Item, b: &Item) -> bool {
    match (a, b) {
        (Item::Value(a), Item::Value(b)) => same_value(a, b),
        (Item::ArrayOfTables(a), Item::ArrayOfTables(b)) => {
            a.len() == b.len() && a.iter().zip(b.iter()).all(|(a, b)| same_table(a, b))
        }
        _ => match (a.as_table_like(), b.as_table_like()) {
            (Some(a), Some(b)) => same_table(a, b),
            _ => a.is_none() && b.is_none(),
        },
    }
}

fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(a), Value::String(b)) => a.value() == b.value(),
        (Value::Integer(a), Value::Integer(b)) => a.value() == b.value(),
        (Value::Float(a), Value::Float(b)) => {
            a.value() == b.value() || (a.value().is_nan() && b.value().is_nan())
        }
        (Value::Boolean(a), Value::Boolean(b)) => a.value() == b.value(),
        (Value::Datetime(a), Value::Datetime(b)) => a.value() == b.value(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b.iter()).all(|(a, b)| same_value(a, b))
        }
        (Value::InlineTable(a), Value::InlineTable(b)) => same_table(a, b),
        _ => false,
    }
}

fn same_table(a: &dyn TableLike, b: &dyn TableLike) -> bool {
    let entries = |t: &dyn TableLike| t.iter().filter(|(_, item)| !item.is_none()).count();
    entries(a) == entries(b)
        && a.iter()
            .filter(|(_, item)| !item.is_none())
            .all(|(key, item)| present(b.get(key)).is_some_and(|other| same(item, other)))
}

/// Returns `item` as a TOML value on one line, for messages and comments.
fn render(item: &Item) -> String {
    match item.clone().into_value() {
        Ok(mut value) => {
            value.decor_mut().clear();
            match &mut value {
                Value::Array(array) => array.fmt(),
                Value::InlineTable(table) => table.fmt(),
                _ => {}
            }
            value.to_string()
        }
        Err(_) => String::new(),
    }
}

/// Writes `note` as a comment line above the key at `path`: above the key of a value (for a
/// conflict inside an inline table or array, above the key that holds it), or above the header of
/// a table.
fn annotate(table: &mut Table, path: &[Segment], note: &str) {
    let Some((Segment::Key(key), rest)) = path.split_first() else {
        return;
    };
    match table.get_mut(key) {
        Some(Item::Table(child)) => {
            if !rest.is_empty() {
                annotate(child, rest, note);
            } else if !child.is_dotted() && !child.is_implicit() {
                add_line(child.decor_mut(), note);
            } else {
                // No header of its own: the note goes above the first key in it.
                let first = child.iter().next().map(|(key, _)| key.to_string());
                if let Some(first) = first {
                    annotate(child, &[Segment::Key(first)], note);
                }
            }
        }
        Some(Item::ArrayOfTables(array)) => {
            let (index, rest) = match rest.split_first() {
                Some((Segment::Index(index), rest)) => (*index, rest),
                _ => (0, &[][..]),
            };
            if let Some(element) = array.get_mut(index) {
                if rest.is_empty() {
                    add_line(element.decor_mut(), note);
                } else {
                    annotate(element, rest, note);
                }
            }
        }
        // A dotted key's line starts with the decor of its last key, which is this one.
        Some(_) => {
            if let Some(mut key) = table.key_mut(key) {
                add_line(key.leaf_decor_mut(), note);
            }
        }
        None => {}
    }
}

/// Adds a line to the end of a prefix, before the indentation of what follows.
fn add_line(decor: &mut Decor, line: &str) {
    let prefix = decor
        .prefix()
        .and_then(|prefix| prefix.as_str())
        .unwrap_or("")
        .to_string();
    let (head, indent) = prefix.split_at(prefix.rfind('\n').map_or(0, |i| i + 1));
    decor.set_prefix(format!("{head}{indent}{line}\n{indent}"));
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::scaffold::merge::tests::Lcg;

    fn merged(base: &str, ours: &str, theirs: &str) -> TomlMerge {
        merge_toml(base, ours, theirs).unwrap()
    }

    const BASE: &str = r#"# The service's resources.
[project]
name = "api"

[resources.db]
type = "postgres"
size = "small" # enough for development
version = "15"
"#;

    #[test]
    fn template_additions_and_user_additions_both_stay() {
        let ours = r#"# The service's resources.
# Reviewed by the payments team.
[project]
name = "api"
owner = "payments" # who to page

[resources.db]
type = "postgres"
size = "small" # enough for development
version = "15"

# Our own queue.
[resources.jobs]
type = "registry"
"#;
        let theirs = r#"# The service's resources.
[project]
name = "api"

[resources.db]
type = "postgres"
size = "small" # enough for development
version = "16"
# Keep two weeks of backups.
backup_retention_days = 14

# Images built by CI.
[resources.images]
type = "registry"
immutable_tags = true
"#;
        let result = merged(BASE, ours, theirs);
        assert_eq!(result.conflicts, []);
        assert_eq!(
            result.text,
            r#"# The service's resources.
# Reviewed by the payments team.
[project]
name = "api"
owner = "payments" # who to page

[resources.db]
type = "postgres"
size = "small" # enough for development
version = "16"
# Keep two weeks of backups.
backup_retention_days = 14

# Our own queue.
[resources.jobs]
type = "registry"

# Images built by CI.
[resources.images]
type = "registry"
immutable_tags = true
"#
        );
    }

    #[test]
    fn a_value_both_changed_is_a_conflict_named_by_its_path() {
        let ours = BASE.replace(r#"size = "small""#, r#"size = "medium""#);
        let theirs = BASE.replace(r#"size = "small""#, r#"size = "large""#);
        let result = merged(BASE, &ours, &theirs);
        assert_eq!(
            result.conflicts,
            [TomlConflict {
                path: "resources.db.size".into(),
                ours: Some(r#""medium""#.into()),
                theirs: Some(r#""large""#.into()),
            }]
        );
        assert_eq!(
            result.text,
            ours.replace(
                "size = ",
                "# idp update: conflict, template wants: \"large\"\nsize = "
            )
        );
    }

    #[test]
    fn the_template_changes_values_the_user_left_alone() {
        let ours = BASE.replace("[project]\n", "[project]\n# Ours.\n");
        let theirs = BASE.replace(r#"version = "15""#, r#"version = '16'"#);
        let result = merged(BASE, &ours, &theirs);
        assert_eq!(result.conflicts, []);
        assert_eq!(
            result.text,
            ours.replace(r#"version = "15""#, r#"version = '16'"#)
        );
        // The user's comment after a value stays when the template changes the value.
        let theirs = BASE.replace(r#"size = "small""#, r#"size = "large""#);
        assert_eq!(
            merged(BASE, &ours, &theirs).text,
            ours.replace(r#"size = "small""#, r#"size = "large""#)
        );
    }

    #[test]
    fn removals_by_the_template_go_unless_the_user_changed_them() {
        let base =
            "[settings]\nlegacy = true\nport = 8080\n\n[resources.old]\ntype = \"registry\"\n";
        let theirs = "[settings]\nport = 8080\n";
        let result = merged(base, base, theirs);
        assert_eq!((result.text.as_str(), result.conflicts), (theirs, vec![]));

        let ours = base.replace("legacy = true", "legacy = false");
        let result = merged(base, &ours, theirs);
        assert_eq!(
            result.conflicts,
            [TomlConflict {
                path: "settings.legacy".into(),
                ours: Some("false".into()),
                theirs: None,
            }]
        );
        assert_eq!(
            result.text,
            "[settings]\n# idp update: conflict, template removes it\nlegacy = false\nport = 8080\n"
        );
    }

    #[test]
    fn a_key_the_user_removed_stays_removed() {
        let ours = BASE.replace("version = \"15\"\n", "");
        assert_eq!(merged(BASE, &ours, BASE).text, ours);
        let theirs = BASE.replace(r#"version = "15""#, r#"version = "16""#);
        let result = merged(BASE, &ours, &theirs);
        assert_eq!(result.text, ours);
        assert_eq!(
            result.conflicts,
            [TomlConflict {
                path: "resources.db.version".into(),
                ours: None,
                theirs: Some(r#""16""#.into()),
            }]
        );
    }

    #[test]
    fn inline_and_nested_tables_merge_by_key() {
        let base = r#"[resources]
db = { type = "postgres", size = "small" }

[resources.web.limits]
cpu = 1
"#;
        let ours = r#"[resources]
db = { type = "postgres", size = "small", version = "16" }

[resources.web.limits]
cpu = 1
memory = "1Gi" # ours
"#;
        let theirs = r#"[resources]
db = { type = "postgres", size = "large", backups = { days = 14 } }

[resources.web.limits]
cpu = 2
"#;
        let result = merged(base, ours, theirs);
        assert_eq!(result.conflicts, []);
        assert_eq!(
            result.text,
            r#"[resources]
db = { type = "postgres", size = "large", version = "16", backups = { days = 14 } }

[resources.web.limits]
cpu = 2
memory = "1Gi" # ours
"#
        );

        let ours = ours.replace("size = \"small\"", "size = \"medium\"");
        let result = merged(base, &ours, theirs);
        assert_eq!(result.conflicts[0].path, "resources.db.size");
        assert!(
            result
                .text
                .contains("[resources]\n# idp update: conflict, template wants: \"large\"\ndb = {"),
            "{}",
            result.text
        );
    }

    #[test]
    fn conflicts_in_dotted_keys_are_commented_on_their_line() {
        let base = "[resources.db]\nbackup.days = 7\nsize = 1\n";
        let result = merged(
            base,
            &base.replace("= 7", "= 8"),
            &base.replace("= 7", "= 9").replace("= 1", "= 2"),
        );
        assert_eq!(result.conflicts[0].path, "resources.db.backup.days");
        assert_eq!(
            result.text,
            "[resources.db]\n# idp update: conflict, template wants: 9\nbackup.days = 8\nsize = 2\n"
        );
    }

    #[test]
    fn tables_the_template_adds_follow_their_siblings() {
        let base = "[[checks]]\nname = \"a\"\n\n[resources.db]\nsize = 1\n";
        let theirs = base.replace(
            "\n\n[resources",
            "\n\n[[checks]]\nname = \"b\"\n\n[resources",
        );
        assert_eq!(merged(base, base, &theirs).text, theirs);

        let theirs = format!("{base}\n# Production.\n[environments.prod]\nregion = \"eu\"\n");
        let ours = base.replace("[[checks]]", "# Ours.\n[[checks]]");
        assert_eq!(
            merged(base, &ours, &theirs).text,
            format!("{ours}\n# Production.\n[environments.prod]\nregion = \"eu\"\n")
        );
    }

    #[test]
    fn arrays_are_compared_whole() {
        let base = "grants = [\"db:connect\"]\n";
        let theirs = "grants = [\"db:connect\", \"images:pull\"]\n";
        let ours_same = "grants = [ 'db:connect' ] # ours\n";
        assert_eq!(
            merged(base, ours_same, theirs).text,
            "grants = [\"db:connect\", \"images:pull\"] # ours\n"
        );
        let ours = "grants = [\"db:connect\", \"db:write\"]\n";
        let result = merged(base, ours, theirs);
        assert_eq!(
            result.conflicts,
            [TomlConflict {
                path: "grants".into(),
                ours: Some(r#"["db:connect", "db:write"]"#.into()),
                theirs: Some(r#"["db:connect", "images:pull"]"#.into()),
            }]
        );
    }

    #[test]
    fn arrays_of_tables_merge_by_index() {
        let base = "[[checks]]\nname = \"lint\"\n\n[[checks]]\nname = \"test\"\n";
        let ours = "[[checks]]\nname = \"lint\"\nstrict = true\n\n[[checks]]\nname = \"test\"\n\n[[checks]]\nname = \"ours\"\n";
        let theirs = "[[checks]]\nname = \"lint\"\n\n[[checks]]\nname = \"unit-test\"\n";
        let result = merged(base, ours, theirs);
        assert_eq!(result.conflicts, []);
        assert_eq!(
            result.text,
            "[[checks]]\nname = \"lint\"\nstrict = true\n\n[[checks]]\nname = \"unit-test\"\n\n[[checks]]\nname = \"ours\"\n"
        );
        let theirs = format!("{base}\n[[checks]]\nname = \"audit\"\n");
        let result = merged(base, base, &theirs);
        assert_eq!(result.text, theirs);

        let ours = base.replace("\"test\"", "\"tests\"");
        let theirs = base.replace("\"test\"", "\"unit\"");
        let result = merged(base, &ours, &theirs);
        assert_eq!(result.conflicts[0].path, "checks[1].name");
    }

    #[test]
    fn one_sided_merges_give_that_side() {
        let ours = BASE.replace("[project]\n", "[project]\n# Ours.\nowner = \"x\"\n");
        assert_eq!(merged(BASE, &ours, BASE).text, ours);
        assert_eq!(merged(BASE, BASE, BASE).text, BASE);
        let theirs = BASE.replace("version = \"15\"", "version = \"16\"\ntier = 2");
        assert_eq!(merged(BASE, BASE, &theirs).text, theirs);
        assert_eq!(merged(BASE, &theirs, &theirs).text, theirs);
    }

    #[test]
    fn keys_needing_quotes_are_quoted_in_paths() {
        let base = "[resources.\"my db\"]\nsize = \"small\"\n";
        let result = merged(
            base,
            &base.replace("small", "medium"),
            &base.replace("small", "large"),
        );
        assert_eq!(result.conflicts[0].path, "resources.\"my db\".size");
    }

    #[test]
    fn invalid_toml_is_reported_with_its_version() {
        let error = merge_toml(BASE, "[project\n", BASE).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("the project's `idp.toml` is not valid TOML"),
            "{error}"
        );
        assert!(matches!(
            merge_toml(BASE, BASE, "= 1"),
            Err(TomlMergeError::Parse {
                version: Version::Theirs,
                ..
            })
        ));
    }

    /// A document as tables of integer keys, for generated cases.
    type Model = BTreeMap<String, BTreeMap<String, i64>>;

    fn to_text(model: &Model) -> String {
        let tables: Vec<String> = model
            .iter()
            .filter(|(_, keys)| !keys.is_empty())
            .map(|(name, keys)| {
                let body: String = keys.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
                format!("[{name}]\n{body}")
            })
            .collect();
        tables.join("\n")
    }

    fn to_model(text: &str) -> Model {
        let document: DocumentMut = text.parse().unwrap();
        document
            .iter()
            .filter_map(|(name, item)| {
                let keys: BTreeMap<String, i64> = item
                    .as_table()?
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.as_integer().unwrap()))
                    .collect();
                (!keys.is_empty()).then(|| (name.to_string(), keys))
            })
            .collect()
    }

    fn mutate(rng: &mut Lcg, model: &Model) -> Model {
        let mut model = model.clone();
        for _ in 0..=rng.below(3) {
            let table = format!("t{}", rng.below(3));
            let key = format!("k{}", rng.below(3));
            let value = rng.below(3) as i64;
            match rng.below(5) {
                0 => {
                    model.remove(&table);
                }
                1 => {
                    model.get_mut(&table).map(|keys| keys.remove(&key));
                }
                _ => {
                    model.entry(table).or_default().insert(key, value);
                }
            }
        }
        model.retain(|_, keys| !keys.is_empty());
        model
    }

    /// Returns what merging should give, and whether it conflicts, by the rules in the module's
    /// documentation applied to the model.
    fn expected(base: &Model, ours: &Model, theirs: &Model) -> (Model, bool) {
        let empty = BTreeMap::new();
        let mut result = Model::new();
        let mut conflict = false;
        let names: BTreeSet<&String> = base
            .keys()
            .chain(ours.keys())
            .chain(theirs.keys())
            .collect();
        for name in names {
            let (b, o, t) = (base.get(name), ours.get(name), theirs.get(name));
            let keys = match (b, o, t) {
                (_, None, None) => continue,
                (Some(b), None, Some(t)) => {
                    conflict |= b != t;
                    continue;
                }
                (_, None, Some(t)) => t.clone(),
                (b, Some(o), t) => {
                    let (b, t) = (b.unwrap_or(&empty), t.unwrap_or(&empty));
                    let keys: BTreeSet<&String> =
                        b.keys().chain(o.keys()).chain(t.keys()).collect();
                    let mut merged = BTreeMap::new();
                    for key in keys {
                        let (b, o, t) = (b.get(key), o.get(key), t.get(key));
                        let value = if o == t || b == t {
                            o
                        } else if b == o {
                            t
                        } else {
                            conflict = true;
                            o
                        };
                        if let Some(value) = value {
                            merged.insert(key.clone(), *value);
                        }
                    }
                    merged
                }
            };
            if !keys.is_empty() {
                result.insert(name.clone(), keys);
            }
        }
        (result, conflict)
    }

    #[test]
    fn generated_documents_merge_key_by_key() {
        let mut rng = Lcg::new(17);
        let mut conflicted = 0;
        for case in 0..500 {
            let start = mutate(&mut rng, &Model::new());
            let base = mutate(&mut rng, &start);
            let ours = mutate(&mut rng, &base);
            let theirs = mutate(&mut rng, &base);
            let (base_text, ours_text, theirs_text) =
                (to_text(&base), to_text(&ours), to_text(&theirs));
            assert_eq!(
                merged(&base_text, &ours_text, &base_text).text,
                ours_text,
                "case {case}"
            );
            assert_eq!(
                to_model(&merged(&base_text, &base_text, &theirs_text).text),
                theirs,
                "case {case}"
            );
            let result = merged(&base_text, &ours_text, &theirs_text);
            let (model, conflict) = expected(&base, &ours, &theirs);
            assert_eq!(
                to_model(&result.text),
                model,
                "case {case}\n{}",
                result.text
            );
            assert_eq!(!result.conflicts.is_empty(), conflict, "case {case}");
            conflicted += usize::from(conflict);
        }
        // The generator must exercise both outcomes.
        assert!(
            (50..450).contains(&conflicted),
            "{conflicted} of 500 conflict"
        );
    }
}
