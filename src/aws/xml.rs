//! A small XML reader for AWS's responses (the query protocol's EC2, IAM, RDS and STS, and S3):
//! elements, attributes, text, CDATA and the predefined and numeric entities, read into a tree.
//! Namespace prefixes are dropped from names; comments, processing instructions and a DOCTYPE are
//! skipped. That is all those APIs send, and it costs a few hundred lines instead of a crate.

use std::fmt;

/// An element: its local name, attributes, child elements and the text directly inside it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// The element's own text (not its children's), entities resolved.
    pub text: String,
}

impl Element {
    /// The first child of that name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|child| child.name == name)
    }

    /// Every child of that name, in order.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |child| child.name == name)
    }

    /// Follows child names from this element: `path(&["AssumeRoleResult", "Credentials"])`.
    pub fn path(&self, path: &[&str]) -> Option<&Element> {
        path.iter()
            .try_fold(self, |element, name| element.child(name))
    }

    /// The text of the element at `path`, trimmed.
    pub fn text_at(&self, path: &[&str]) -> Option<&str> {
        self.path(path).map(|element| element.text.trim())
    }

    /// The first element of that name in this element or below it, depth first.
    pub fn find(&self, name: &str) -> Option<&Element> {
        if self.name == name {
            return Some(self);
        }
        self.children.iter().find_map(|child| child.find(name))
    }

    /// The items of a list at `path`: EC2's `<groupSet><item>…`, IAM's and STS's
    /// `<Roles><member>…`, RDS's `<DBInstances><DBInstance>…`; empty when the list is absent.
    pub fn list<'a>(&'a self, path: &[&str]) -> Vec<&'a Element> {
        self.path(path)
            .map(|list| list.children.iter().collect())
            .unwrap_or_default()
    }

    /// An attribute's value.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a document could not be read; the offset is in bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XmlError {
    pub offset: usize,
    pub reason: &'static str,
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed XML at byte {}: {}", self.offset, self.reason)
    }
}

impl std::error::Error for XmlError {}

/// Elements nested deeper than this are refused (no AWS response comes near it).
const MAX_DEPTH: usize = 256;

/// Reads a document and returns its root element.
pub fn parse(text: &str) -> Result<Element, XmlError> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    reader.document()
}

/// Escapes text for an element's content or an attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn error(&self, reason: &'static str) -> XmlError {
        XmlError {
            offset: self.pos,
            reason,
        }
    }

    fn starts_with(&self, prefix: &str) -> bool {
        self.bytes[self.pos..].starts_with(prefix.as_bytes())
    }

    /// Moves past `end`, which must come later.
    fn skip_past(&mut self, end: &str, reason: &'static str) -> Result<usize, XmlError> {
        match self.text[self.pos..].find(end) {
            Some(at) => {
                let start = self.pos;
                self.pos += at + end.len();
                Ok(start + at)
            }
            None => Err(self.error(reason)),
        }
    }

    fn skip_whitespace(&mut self) {
        while self.pos < self.bytes.len() && self.bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    /// Skips a comment, processing instruction or declaration at the cursor; false when there is
    /// none.
    fn skip_misc(&mut self) -> Result<bool, XmlError> {
        if self.starts_with("<!--") {
            self.skip_past("-->", "unterminated comment")?;
        } else if self.starts_with("<?") {
            self.skip_past("?>", "unterminated processing instruction")?;
        } else if self.starts_with("<!DOCTYPE") || self.starts_with("<!doctype") {
            // No internal subsets in AWS responses: the declaration ends at the first `>`.
            self.skip_past(">", "unterminated DOCTYPE")?;
        } else {
            return Ok(false);
        }
        Ok(true)
    }

    fn document(&mut self) -> Result<Element, XmlError> {
        if self.starts_with("\u{feff}") {
            self.pos += '\u{feff}'.len_utf8();
        }
        loop {
            self.skip_whitespace();
            if !self.skip_misc()? {
                break;
            }
        }
        if !self.starts_with("<") {
            return Err(self.error("expected the root element"));
        }
        let root = self.element()?;
        loop {
            self.skip_whitespace();
            if !self.skip_misc()? {
                break;
            }
        }
        if self.pos != self.bytes.len() {
            return Err(self.error("content after the root element"));
        }
        Ok(root)
    }

    /// Reads an element from its `<`, with everything inside, iteratively.
    fn element(&mut self) -> Result<Element, XmlError> {
        let mut stack: Vec<Element> = Vec::new();
        let (root, closed) = self.start_tag()?;
        if closed {
            return Ok(root);
        }
        stack.push(root);
        loop {
            if self.pos >= self.bytes.len() {
                return Err(self.error("unexpected end of document"));
            }
            if self.starts_with("</") {
                self.pos += 2;
                let name = self.name()?;
                self.skip_whitespace();
                if !self.starts_with(">") {
                    return Err(self.error("expected `>` after an end tag's name"));
                }
                self.pos += 1;
                let element = stack.pop().expect("an open element");
                if local(&name) != element.name {
                    return Err(self.error("end tag does not match its start tag"));
                }
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => return Ok(element),
                }
            } else if self.starts_with("<![CDATA[") {
                self.pos += "<![CDATA[".len();
                let start = self.pos;
                let end = self.skip_past("]]>", "unterminated CDATA section")?;
                let text = &self.text[start..end];
                stack
                    .last_mut()
                    .expect("an open element")
                    .text
                    .push_str(text);
            } else if self.skip_misc()? {
                continue;
            } else if self.starts_with("<") {
                let (element, closed) = self.start_tag()?;
                if closed {
                    stack
                        .last_mut()
                        .expect("an open element")
                        .children
                        .push(element);
                } else {
                    if stack.len() >= MAX_DEPTH {
                        return Err(self.error("elements nested too deeply"));
                    }
                    stack.push(element);
                }
            } else {
                let start = self.pos;
                while self.pos < self.bytes.len() && self.bytes[self.pos] != b'<' {
                    self.pos += 1;
                }
                let text = unescape(&self.text[start..self.pos]).map_err(|reason| XmlError {
                    offset: start,
                    reason,
                })?;
                stack
                    .last_mut()
                    .expect("an open element")
                    .text
                    .push_str(&text);
            }
        }
    }

    /// Reads `<name attr="value"…>` or `<name…/>`; returns the element and whether it was
    /// self-closing.
    fn start_tag(&mut self) -> Result<(Element, bool), XmlError> {
        self.pos += 1;
        let name = self.name()?;
        let mut element = Element {
            name: local(&name).to_string(),
            ..Element::default()
        };
        loop {
            self.skip_whitespace();
            if self.starts_with("/>") {
                self.pos += 2;
                return Ok((element, true));
            }
            if self.starts_with(">") {
                self.pos += 1;
                return Ok((element, false));
            }
            let attribute = self.name()?;
            self.skip_whitespace();
            if !self.starts_with("=") {
                return Err(self.error("expected `=` after an attribute name"));
            }
            self.pos += 1;
            self.skip_whitespace();
            let quote = match self.bytes.get(self.pos) {
                Some(b'"') => "\"",
                Some(b'\'') => "'",
                _ => return Err(self.error("expected a quoted attribute value")),
            };
            self.pos += 1;
            let start = self.pos;
            let end = self.skip_past(quote, "unterminated attribute value")?;
            let value = unescape(&self.text[start..end]).map_err(|reason| XmlError {
                offset: start,
                reason,
            })?;
            element.attributes.push((attribute, value));
        }
    }

    fn name(&mut self) -> Result<String, XmlError> {
        let start = self.pos;
        while self.pos < self.bytes.len() {
            let byte = self.bytes[self.pos];
            if byte.is_ascii_whitespace() || matches!(byte, b'>' | b'/' | b'=' | b'<') {
                break;
            }
            self.pos += 1;
        }
        if self.pos == start {
            return Err(self.error("expected a name"));
        }
        Ok(self.text[start..self.pos].to_string())
    }
}

/// The name without its namespace prefix.
fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, local)| local)
}

fn unescape(text: &str) -> Result<String, &'static str> {
    if !text.contains('&') {
        return Ok(text.to_string());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        let end = rest.find(';').ok_or("an entity without `;`")?;
        let entity = &rest[..end];
        let c = match entity {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(decimal) = entity.strip_prefix('#') {
                    decimal.parse().ok()
                } else {
                    return Err("an unknown entity");
                };
                code.and_then(char::from_u32)
                    .ok_or("a character reference to no character")?
            }
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_ec2_response() {
        let doc = parse(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<DescribeSecurityGroupsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
    <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
    <securityGroupInfo>
        <item>
            <groupId>sg-1a2b3c4d</groupId>
            <groupName>web &amp; db</groupName>
            <ipPermissions>
                <item><ipProtocol>tcp</ipProtocol><fromPort>5432</fromPort>
                    <ipRanges><item><cidrIp>10.0.0.0/16</cidrIp></item></ipRanges>
                </item>
            </ipPermissions>
            <empty/>
        </item>
    </securityGroupInfo>
</DescribeSecurityGroupsResponse>"#,
        )
        .unwrap();
        assert_eq!(doc.name, "DescribeSecurityGroupsResponse");
        assert_eq!(
            doc.attribute("xmlns"),
            Some("http://ec2.amazonaws.com/doc/2016-11-15/")
        );
        let groups = doc.list(&["securityGroupInfo"]);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].text_at(&["groupName"]), Some("web & db"));
        let rules = groups[0].list(&["ipPermissions"]);
        assert_eq!(rules[0].text_at(&["fromPort"]), Some("5432"));
        assert_eq!(
            rules[0].list(&["ipRanges"])[0].text_at(&["cidrIp"]),
            Some("10.0.0.0/16")
        );
        assert!(groups[0].child("empty").is_some());
        assert_eq!(doc.find("cidrIp").unwrap().text, "10.0.0.0/16");
    }

    #[test]
    fn lists_of_any_item_name() {
        let doc = parse(
            "<DescribeDBInstancesResponse><DescribeDBInstancesResult><DBInstances>\
             <DBInstance><DBInstanceIdentifier>a</DBInstanceIdentifier></DBInstance>\
             <DBInstance><DBInstanceIdentifier>b</DBInstanceIdentifier></DBInstance>\
             </DBInstances></DescribeDBInstancesResult></DescribeDBInstancesResponse>",
        )
        .unwrap();
        let instances = doc.list(&["DescribeDBInstancesResult", "DBInstances"]);
        let names: Vec<_> = instances
            .iter()
            .map(|i| i.text_at(&["DBInstanceIdentifier"]).unwrap())
            .collect();
        assert_eq!(names, ["a", "b"]);
        assert!(
            doc.list(&["DescribeDBInstancesResult", "Missing"])
                .is_empty()
        );
    }

    #[test]
    fn reads_cdata_entities_prefixes_and_comments() {
        let doc = parse(
            "\u{feff}<!-- hi --><a:Root xmlns:a='x'><a:B>&lt;&#65;&#x42;&gt;<![CDATA[<&>]]></a:B><!-- c --></a:Root>\n",
        )
        .unwrap();
        assert_eq!(doc.name, "Root");
        assert_eq!(doc.text_at(&["B"]), Some("<AB><&>"));
    }

    #[test]
    fn refuses_malformed_documents() {
        for bad in [
            "",
            "<a>",
            "<a></b>",
            "<a>&bogus;</a>",
            "<a x=1/>",
            "<a/><b/>",
            "text",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert_eq!(
            parse(&deep).unwrap_err().reason,
            "elements nested too deeply"
        );
    }

    #[test]
    fn escapes() {
        assert_eq!(escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
        let doc = parse(&format!("<a>{}</a>", escape("x < y & z"))).unwrap();
        assert_eq!(doc.text, "x < y & z");
    }
}
