//! YAML as copier reads and writes it, which is PyYAML's: `copier.yml` is loaded with YAML 1.1's
//! plain scalars (`yes`, `off` and `~` mean what they mean to PyYAML), and [`to_nice_yaml`]
//! writes what PyYAML's `yaml.dump` writes.
//!
//! Parsing is yaml-rust2's; only the resolution of plain scalars and the writing are ours.

mod emitter;

pub use emitter::to_nice_yaml;

use std::collections::HashMap;
use std::sync::LazyLock;

use regex_lite::Regex;
use serde_json::Value;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};
use yaml_rust2::yaml::{Hash, Yaml};

/// Parses every document of `text`; the error is yaml-rust2's, with its line and column.
pub fn load(text: &str) -> Result<Vec<Yaml>, yaml_rust2::ScanError> {
    let mut loader = Loader::default();
    Parser::new_from_str(text).load(&mut loader, true)?;
    Ok(loader.documents)
}

/// Converts a loaded node to JSON (mappings lose their order; keys become strings).
pub fn to_json(node: &Yaml) -> Value {
    match node {
        Yaml::Real(text) => text
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| Value::String(text.clone()), Value::Number),
        Yaml::Integer(i) => Value::from(*i),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        Yaml::Hash(map) => Value::Object(
            map.iter()
                .map(|(key, value)| (scalar_text(key), to_json(value)))
                .collect(),
        ),
        Yaml::Null | Yaml::Alias(_) | Yaml::BadValue => Value::Null,
    }
}

/// Returns a scalar node as the text a Python `str()` of it would give.
pub fn scalar_text(node: &Yaml) -> String {
    match node {
        Yaml::Real(text) | Yaml::String(text) => text.clone(),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Boolean(true) => "True".to_string(),
        Yaml::Boolean(false) => "False".to_string(),
        Yaml::Null => "None".to_string(),
        other => format!("{}", to_json(other)),
    }
}

/// PyYAML's implicit resolvers (YAML 1.1), in its order.
static RESOLVERS: LazyLock<[(Kind, Regex); 6]> = LazyLock::new(|| {
    let regex = |pattern: &str| Regex::new(pattern).expect("the resolver patterns are valid");
    [
        (
            Kind::Bool,
            regex(
                r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$",
            ),
        ),
        (
            Kind::Float,
            regex(
                r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
            ),
        ),
        (
            Kind::Int,
            regex(
                r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$",
            ),
        ),
        (Kind::Null, regex(r"^(?:~|null|Null|NULL|)$")),
        (
            Kind::Timestamp,
            regex(
                r"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$",
            ),
        ),
        (Kind::Other, regex(r"^(?:<<|=)$")),
    ]
});

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Bool,
    Float,
    Int,
    Null,
    Timestamp,
    Other,
}

/// Returns what PyYAML reads a plain scalar as, `None` for a string.
pub(super) fn implicit_kind(text: &str) -> Option<Kind> {
    RESOLVERS
        .iter()
        .find(|(_, regex)| regex.is_match(text))
        .map(|(kind, _)| *kind)
}

/// Resolves a scalar as PyYAML's `SafeLoader` does; dates stay text.
fn resolve(text: String, style: TScalarStyle, tag: Option<&Tag>) -> Yaml {
    let kind = match tag {
        Some(tag) if tag.handle == "tag:yaml.org,2002:" => match tag.suffix.as_str() {
            "bool" => Some(Kind::Bool),
            "int" => Some(Kind::Int),
            "float" => Some(Kind::Float),
            "null" => Some(Kind::Null),
            _ => None,
        },
        Some(_) => None,
        None if style == TScalarStyle::Plain => implicit_kind(&text),
        None => None,
    };
    match kind {
        Some(Kind::Bool) => Yaml::Boolean(matches!(
            text.to_ascii_lowercase().as_str(),
            "yes" | "true" | "on"
        )),
        Some(Kind::Null) => Yaml::Null,
        Some(Kind::Int) => parse_int(&text).map_or(Yaml::String(text), Yaml::Integer),
        Some(Kind::Float) => Yaml::Real(text),
        _ => Yaml::String(text),
    }
}

/// Reads a YAML 1.1 integer: `0b…`, `0x…`, `0…` (octal), `1:30` (base 60), `1_000`.
fn parse_int(text: &str) -> Option<i64> {
    let digits = text.replace('_', "");
    let (negative, digits) = match digits.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, digits.trim_start_matches('+').to_string()),
    };
    let value = if let Some(binary) = digits.strip_prefix("0b") {
        i64::from_str_radix(binary, 2).ok()?
    } else if let Some(hex) = digits.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()?
    } else if digits.contains(':') {
        digits.split(':').try_fold(0i64, |total, part| {
            Some(total * 60 + part.parse::<i64>().ok()?)
        })?
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(&digits[1..], 8).ok()?
    } else {
        digits.parse().ok()?
    };
    Some(if negative { -value } else { value })
}

/// Builds the nodes of each document from the parser's events.
#[derive(Default)]
struct Loader {
    documents: Vec<Yaml>,
    /// The collections being read, innermost last, with their anchors.
    open: Vec<(Yaml, usize)>,
    /// For each mapping being read, the key waiting for its value.
    keys: Vec<Option<Yaml>>,
    anchors: HashMap<usize, Yaml>,
}

impl MarkedEventReceiver for Loader {
    fn on_event(&mut self, event: Event, _mark: Marker) {
        match event {
            Event::DocumentEnd => {
                let root = self.open.pop().map_or(Yaml::Null, |(node, _)| node);
                self.documents.push(root);
            }
            Event::SequenceStart(anchor, _) => self.open.push((Yaml::Array(Vec::new()), anchor)),
            Event::MappingStart(anchor, _) => {
                self.open.push((Yaml::Hash(Hash::new()), anchor));
                self.keys.push(None);
            }
            Event::SequenceEnd => {
                if let Some((node, anchor)) = self.open.pop() {
                    self.insert(node, anchor);
                }
            }
            Event::MappingEnd => {
                self.keys.pop();
                if let Some((Yaml::Hash(map), anchor)) = self.open.pop() {
                    self.insert(Yaml::Hash(merge_keys(map)), anchor);
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let node = resolve(text, style, tag.as_ref());
                self.insert(node, anchor);
            }
            Event::Alias(anchor) => {
                let node = self.anchors.get(&anchor).cloned().unwrap_or(Yaml::Null);
                self.insert(node, 0);
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart => {}
        }
    }
}

impl Loader {
    fn insert(&mut self, node: Yaml, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.open.last_mut() {
            Some((Yaml::Array(items), _)) => items.push(node),
            Some((Yaml::Hash(map), _)) => {
                let slot = self
                    .keys
                    .last_mut()
                    .expect("every open mapping has a key slot");
                match slot.take() {
                    None => *slot = Some(node),
                    // A repeated key replaces the value in place, as in a Python dict.
                    Some(key) => {
                        map.replace(key, node);
                    }
                }
            }
            _ => self.open.push((node, 0)),
        }
    }
}

/// Applies `<<` merge keys: the merged mappings' entries come first, the mapping's own win.
fn merge_keys(map: Hash) -> Hash {
    let merge_key = Yaml::String("<<".to_string());
    if !map.contains_key(&merge_key) {
        return map;
    }
    let mut merged = Hash::new();
    let sources = match map.get(&merge_key) {
        Some(Yaml::Array(items)) => items.clone(),
        Some(other) => vec![other.clone()],
        None => Vec::new(),
    };
    for source in sources {
        if let Yaml::Hash(entries) = source {
            for (key, value) in entries {
                if !merged.contains_key(&key) {
                    merged.insert(key, value);
                }
            }
        }
    }
    for (key, value) in map {
        if key != merge_key {
            merged.replace(key, value);
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_plain_scalars_as_pyyaml_does() {
        let documents =
            load("a: yes\nb: 'yes'\nc: ~\nd: 0755\ne: 1.5\nf: 1e3\ng: 0x1F\nh: off\n").unwrap();
        let map = &documents[0];
        assert_eq!(map["a"], Yaml::Boolean(true));
        assert_eq!(map["b"], Yaml::String("yes".into()));
        assert_eq!(map["c"], Yaml::Null);
        assert_eq!(map["d"], Yaml::Integer(0o755));
        assert_eq!(to_json(&map["e"]), json!(1.5));
        assert_eq!(map["f"], Yaml::String("1e3".into()));
        assert_eq!(map["g"], Yaml::Integer(31));
        assert_eq!(map["h"], Yaml::Boolean(false));
    }

    #[test]
    fn keeps_the_order_of_keys_and_applies_anchors_and_merges() {
        let documents = load("z: 1\na: &base {x: 1, y: 2}\nb:\n  <<: *base\n  y: 3\n").unwrap();
        let Yaml::Hash(map) = &documents[0] else {
            panic!()
        };
        let keys: Vec<String> = map.keys().map(scalar_text).collect();
        assert_eq!(keys, ["z", "a", "b"]);
        assert_eq!(to_json(&documents[0]["b"]), json!({"x": 1, "y": 3}));
    }
}
