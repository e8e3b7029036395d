//! Writing YAML as PyYAML's `yaml.dump(…, default_flow_style=False)` writes it, through copier's
//! `to_nice_yaml` filter: a port of the parts of PyYAML's `Emitter` that block-style output uses
//! (its scalar analysis, quoting and line folding), so a generated `.copier-answers.yml` is the
//! one copier would have written, byte for byte.

use serde_json::Value;

use super::implicit_kind;

/// Writes `value` as PyYAML's `yaml.dump(value, indent=indent, width=width,
/// default_flow_style=False, allow_unicode=True)` does, keys sorted (Ansible's `to_nice_yaml`).
pub fn to_nice_yaml(value: &Value, indent: usize, width: usize) -> String {
    let mut emitter = Emitter {
        out: String::new(),
        column: 0,
        whitespace: true,
        indention: true,
        indent: None,
        indents: Vec::new(),
        best_indent: indent.clamp(2, 9),
        best_width: if width > indent * 2 { width } else { 80 },
        open_ended: false,
    };
    emitter.node(value, Context::Root);
    emitter.write_indent();
    if emitter.open_ended {
        emitter.write_indicator("...", true, false, false);
        emitter.write_indent();
    }
    emitter.out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Root,
    Sequence,
    Mapping,
    Key,
}

enum Style {
    Plain,
    Single,
    Double,
}

/// The parts of PyYAML's `Emitter` state that block-style output needs.
struct Emitter {
    out: String,
    column: usize,
    whitespace: bool,
    indention: bool,
    indent: Option<usize>,
    indents: Vec<Option<usize>>,
    best_indent: usize,
    best_width: usize,
    open_ended: bool,
}

impl Emitter {
    fn node(&mut self, value: &Value, context: Context) {
        match value {
            Value::Array(items) if items.is_empty() => self.empty_flow("[", "]"),
            Value::Object(map) if map.is_empty() => self.empty_flow("{", "}"),
            Value::Array(items) => {
                let indentless = context == Context::Mapping && !self.indention;
                self.increase_indent(false, indentless);
                for item in items {
                    self.write_indent();
                    self.write_indicator("-", true, false, true);
                    self.node(item, Context::Sequence);
                }
                self.indent = self.indents.pop().flatten();
            }
            Value::Object(map) => {
                self.increase_indent(false, false);
                // serde_json's map is sorted by key, as PyYAML's `sort_keys=True` sorts.
                for (key, value) in map {
                    self.write_indent();
                    self.node(&Value::String(key.clone()), Context::Key);
                    self.write_indicator(":", false, false, false);
                    self.node(value, Context::Mapping);
                }
                self.indent = self.indents.pop().flatten();
            }
            scalar => {
                self.increase_indent(true, false);
                self.scalar(scalar, context);
                self.indent = self.indents.pop().flatten();
            }
        }
    }

    fn scalar(&mut self, value: &Value, context: Context) {
        let text = match value {
            Value::Null => "null".to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => match n.as_f64() {
                Some(f) if !n.is_i64() && !n.is_u64() => python_float(f),
                _ => n.to_string(),
            },
            Value::String(s) => s.clone(),
            Value::Array(_) | Value::Object(_) => unreachable!("collections are not scalars"),
        };
        if context == Context::Root {
            self.open_ended = true;
        }
        let split = context != Context::Key;
        let plain_resolves_alike = match value {
            Value::String(s) => implicit_kind(s).is_none(),
            _ => true,
        };
        let analysis = analyze(&text);
        let simple_key = context == Context::Key;
        let style = if plain_resolves_alike
            && !(simple_key && (analysis.empty || analysis.multiline))
            && analysis.allow_block_plain
        {
            Style::Plain
        } else if analysis.allow_single_quoted && !(simple_key && analysis.multiline) {
            Style::Single
        } else {
            Style::Double
        };
        match style {
            Style::Plain => self.write_plain(&text, split),
            Style::Single => self.write_single_quoted(&text, split),
            Style::Double => self.write_double_quoted(&text, split),
        }
    }

    fn empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.write_indicator(close, false, false, false);
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        self.indent = match self.indent {
            None if flow => Some(self.best_indent),
            None => Some(0),
            Some(indent) if !indentless => Some(indent + self.best_indent),
            Some(indent) => Some(indent),
        };
    }

    fn write(&mut self, text: &str) {
        self.column += text.chars().count();
        self.out.push_str(text);
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        whitespace: bool,
        indention: bool,
    ) {
        if self.whitespace || !need_whitespace {
            self.write(indicator);
        } else {
            self.write(&format!(" {indicator}"));
        }
        self.whitespace = whitespace;
        self.indention = self.indention && indention;
        self.open_ended = false;
    }

    fn write_indent(&mut self) {
        let indent = self.indent.unwrap_or(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.write_line_break();
        }
        if self.column < indent {
            self.whitespace = true;
            let padding = " ".repeat(indent - self.column);
            self.write(&padding);
        }
    }

    fn write_line_break(&mut self) {
        self.whitespace = true;
        self.indention = true;
        self.column = 0;
        self.out.push('\n');
    }

    fn write_plain(&mut self, text: &str, split: bool) {
        if text.is_empty() {
            return;
        }
        if !self.whitespace {
            self.write(" ");
        }
        self.whitespace = false;
        self.indention = false;
        let chars: Vec<char> = text.chars().collect();
        let (mut spaces, mut breaks) = (false, false);
        let mut start = 0;
        for end in 0..=chars.len() {
            let ch = chars.get(end).copied();
            if spaces {
                if ch != Some(' ') {
                    if start + 1 == end && self.column > self.best_width && split {
                        self.write_indent();
                        self.whitespace = false;
                        self.indention = false;
                    } else {
                        self.write(&chars[start..end].iter().collect::<String>());
                    }
                    start = end;
                }
            } else if breaks {
                if ch.is_none_or(|c| !is_break(c)) {
                    if chars[start] == '\n' {
                        self.write_line_break();
                    }
                    for _ in start..end {
                        self.write_line_break();
                    }
                    self.write_indent();
                    self.whitespace = false;
                    self.indention = false;
                    start = end;
                }
            } else if ch.is_none_or(|c| c == ' ' || is_break(c)) {
                self.write(&chars[start..end].iter().collect::<String>());
                start = end;
            }
            if let Some(c) = ch {
                spaces = c == ' ';
                breaks = is_break(c);
            }
        }
    }

    fn write_single_quoted(&mut self, text: &str, split: bool) {
        self.write_indicator("'", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        let (mut spaces, mut breaks) = (false, false);
        let mut start = 0;
        for end in 0..=chars.len() {
            let ch = chars.get(end).copied();
            if spaces {
                if ch != Some(' ') {
                    if start + 1 == end
                        && self.column > self.best_width
                        && split
                        && start != 0
                        && end != chars.len()
                    {
                        self.write_indent();
                    } else {
                        self.write(&chars[start..end].iter().collect::<String>());
                    }
                    start = end;
                }
            } else if breaks {
                if ch.is_none_or(|c| !is_break(c)) {
                    if chars[start] == '\n' {
                        self.write_line_break();
                    }
                    for _ in start..end {
                        self.write_line_break();
                    }
                    self.write_indent();
                    start = end;
                }
            } else if ch.is_none_or(|c| c == ' ' || is_break(c) || c == '\'') && start < end {
                self.write(&chars[start..end].iter().collect::<String>());
                start = end;
            }
            if ch == Some('\'') {
                self.write("''");
                start = end + 1;
            }
            if let Some(c) = ch {
                spaces = c == ' ';
                breaks = is_break(c);
            }
        }
        self.write_indicator("'", false, false, false);
    }

    fn write_double_quoted(&mut self, text: &str, split: bool) {
        self.write_indicator("\"", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        let mut start = 0;
        for end in 0..=chars.len() {
            let ch = chars.get(end).copied();
            let escaped = ch.is_none_or(|c| {
                matches!(
                    c,
                    '"' | '\\' | '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}'
                ) || !(('\x20'..='\x7E').contains(&c)
                    || ('\u{A0}'..='\u{D7FF}').contains(&c)
                    || ('\u{E000}'..='\u{FFFD}').contains(&c))
            });
            if escaped {
                if start < end {
                    self.write(&chars[start..end].iter().collect::<String>());
                    start = end;
                }
                if let Some(c) = ch {
                    let escape = match c {
                        '\0' => "\\0".to_string(),
                        '\x07' => "\\a".to_string(),
                        '\x08' => "\\b".to_string(),
                        '\t' => "\\t".to_string(),
                        '\n' => "\\n".to_string(),
                        '\x0B' => "\\v".to_string(),
                        '\x0C' => "\\f".to_string(),
                        '\r' => "\\r".to_string(),
                        '\x1B' => "\\e".to_string(),
                        '"' => "\\\"".to_string(),
                        '\\' => "\\\\".to_string(),
                        '\u{85}' => "\\N".to_string(),
                        '\u{A0}' => "\\_".to_string(),
                        '\u{2028}' => "\\L".to_string(),
                        '\u{2029}' => "\\P".to_string(),
                        c if u32::from(c) <= 0xFF => format!("\\x{:02X}", u32::from(c)),
                        c if u32::from(c) <= 0xFFFF => format!("\\u{:04X}", u32::from(c)),
                        c => format!("\\U{:08X}", u32::from(c)),
                    };
                    self.write(&escape);
                    start = end + 1;
                }
            }
            if 0 < end
                && end + 1 < chars.len()
                && (ch == Some(' ') || start >= end)
                && self.column + end.saturating_sub(start) > self.best_width
                && split
            {
                let mut data: String = chars[start.min(end)..end].iter().collect();
                data.push('\\');
                if start < end {
                    start = end;
                }
                self.write(&data);
                self.write_indent();
                self.whitespace = false;
                self.indention = false;
                if chars[start] == ' ' {
                    self.write("\\");
                }
            }
        }
        self.write_indicator("\"", false, false, false);
    }
}

fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// What styles a scalar's text allows, as PyYAML's `Emitter.analyze_scalar` decides.
struct Analysis {
    empty: bool,
    multiline: bool,
    allow_block_plain: bool,
    allow_single_quoted: bool,
}

fn analyze(text: &str) -> Analysis {
    if text.is_empty() {
        return Analysis {
            empty: true,
            multiline: false,
            allow_block_plain: true,
            allow_single_quoted: true,
        };
    }
    let chars: Vec<char> = text.chars().collect();
    let is_space = |c: char| {
        matches!(
            c,
            '\0' | ' ' | '\t' | '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}'
        )
    };
    let mut block_indicators = text.starts_with("---") || text.starts_with("...");
    let (mut line_breaks, mut special_characters) = (false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;
    for (index, &ch) in chars.iter().enumerate() {
        let followed_by_whitespace = chars.get(index + 1).is_none_or(|&c| is_space(c));
        if index == 0 {
            if "#,[]{}&*!|>'\"%@`".contains(ch)
                || (ch == '-' || ch == '?' || ch == ':') && followed_by_whitespace
            {
                block_indicators = true;
            }
        } else if (ch == ':' && followed_by_whitespace) || (ch == '#' && preceded_by_whitespace) {
            block_indicators = true;
        }
        if is_break(ch) {
            line_breaks = true;
        }
        if !(ch == '\n' || ('\x20'..='\x7E').contains(&ch)) {
            let printable = (ch == '\u{85}'
                || ('\u{A0}'..='\u{D7FF}').contains(&ch)
                || ('\u{E000}'..='\u{FFFD}').contains(&ch)
                || ('\u{10000}'..'\u{10FFFF}').contains(&ch))
                && ch != '\u{FEFF}';
            special_characters |= !printable;
        }
        if ch == ' ' {
            leading_space |= index == 0;
            trailing_space |= index == chars.len() - 1;
            break_space |= previous_break;
            (previous_space, previous_break) = (true, false);
        } else if is_break(ch) {
            leading_break |= index == 0;
            trailing_break |= index == chars.len() - 1;
            space_break |= previous_space;
            (previous_space, previous_break) = (false, true);
        } else {
            (previous_space, previous_break) = (false, false);
        }
        preceded_by_whitespace = is_space(ch);
    }
    let mut allow_block_plain =
        !(leading_space || leading_break || trailing_space || trailing_break);
    let mut allow_single_quoted = true;
    if break_space {
        allow_block_plain = false;
        allow_single_quoted = false;
    }
    if space_break || special_characters {
        allow_block_plain = false;
        allow_single_quoted = false;
    }
    if line_breaks || block_indicators {
        allow_block_plain = false;
    }
    Analysis {
        empty: false,
        multiline: line_breaks,
        allow_block_plain,
        allow_single_quoted,
    }
}

/// Formats a float as PyYAML does: Python's `repr`, lowercased, with `.0` before a bare exponent.
fn python_float(value: f64) -> String {
    if value.is_nan() {
        return ".nan".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { ".inf" } else { "-.inf" }.to_string();
    }
    // Rust's `{:e}` gives the shortest digits that read back the same, as Python's repr does.
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific.split_once('e').expect("`{:e}` has an exponent");
    let exponent: i32 = exponent.parse().expect("the exponent is a number");
    if (-4..16).contains(&exponent) {
        let text = value.to_string();
        if text.contains('.') {
            text
        } else {
            format!("{text}.0")
        }
    } else {
        let mantissa = if mantissa.contains('.') {
            mantissa.to_string()
        } else {
            format!("{mantissa}.0")
        };
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exponent.abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_what_pyyaml_writes() {
        // Each expectation is PyYAML 6's `yaml.dump(…, indent=4, allow_unicode=True,
        // default_flow_style=False)` of the same value.
        let value = json!({
            "_src_path": "/tmp/x y/t", "name": "shop", "port": 8080, "flag": true, "none": null,
            "empty": "", "yes": "yes", "num": "8080", "f": 1.5, "big": 1e20,
            "lst": ["a", "b", {"k": "v", "k2": "v2"}], "d": {"a": 1, "b": [1, 2]},
            "multi": "a\nb\n", "colon": "a: b", "hash": "#x", "uni": "héllo", "quote": "it's",
            "dash": "-x", "tab": "a\tb", "dt": "2024-01-01", "ls": [], "ds": {}, "q": "?x",
            "ver": "1.0", "ver2": "1.0.0", "long": format!("{} {}", "x".repeat(100), "y".repeat(50)),
        });
        let expected = "\
_src_path: /tmp/x y/t
big: 1.0e+20
colon: 'a: b'
d:
    a: 1
    b:
    - 1
    - 2
dash: -x
ds: {}
dt: '2024-01-01'
empty: ''
f: 1.5
flag: true
hash: '#x'
long: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
ls: []
lst:
- a
- b
-   k: v
    k2: v2
multi: 'a

    b

    '
name: shop
none: null
num: '8080'
port: 8080
q: ?x
quote: it's
tab: \"a\\tb\"
uni: héllo
ver: '1.0'
ver2: 1.0.0
'yes': 'yes'
";
        assert_eq!(to_nice_yaml(&value, 4, 80), expected);
        assert_eq!(to_nice_yaml(&json!("x"), 4, 80), "x\n...\n");
    }
}
