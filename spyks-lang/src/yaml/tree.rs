//! A YAML document as a tree of nodes with byte ranges, built from the events of the
//! `granit-parser` YAML parser (re-exported by `serde-saphyr`). Mappings keep their order.

use super::{Event, Options, Parser, ScalarStyle, ScanError, StructureStyle};
use std::collections::HashMap;

/// The content of a node.
#[derive(Clone, Debug)]
pub(super) enum Kind {
    /// A scalar: its value after YAML processing (escapes, folding) and how it was written.
    Scalar(String, ScalarStyle),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in written order.
    Map(Vec<(Node, Node)>),
}

/// A node with the byte range of its text in the file.
#[derive(Clone, Debug)]
pub(super) struct Node {
    /// The content.
    pub kind: Kind,
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset one past the last character.
    pub end: usize,
}

/// The type of a scalar, by the YAML 1.2 core schema (quoted and block scalars are strings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ScalarType {
    Null,
    Bool,
    Number,
    Str,
}

impl Node {
    /// The scalar's value, if this is a scalar.
    pub fn scalar(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar(s, _) => Some(s),
            _ => None,
        }
    }

    /// The type of a scalar (`None` for collections).
    pub fn scalar_type(&self) -> Option<ScalarType> {
        let Kind::Scalar(s, style) = &self.kind else {
            return None;
        };
        if *style != ScalarStyle::Plain {
            return Some(ScalarType::Str);
        }
        Some(match s.as_str() {
            "" | "~" | "null" | "Null" | "NULL" => ScalarType::Null,
            "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => ScalarType::Bool,
            s if is_yaml_number(s) => ScalarType::Number,
            _ => ScalarType::Str,
        })
    }

    /// Whether this is an empty value (`key:` or `~` or `null`).
    pub fn is_null(&self) -> bool {
        self.scalar_type() == Some(ScalarType::Null)
    }

    /// What the node is, for "found ..." in messages.
    pub fn describe(&self) -> String {
        match (&self.kind, self.scalar_type()) {
            (Kind::Seq(_), _) => "a sequence".into(),
            (Kind::Map(_), _) => "a mapping".into(),
            (_, Some(ScalarType::Null)) => "nothing (an empty value)".into(),
            (Kind::Scalar(s, _), Some(ScalarType::Bool)) => format!("the boolean `{s}`"),
            (Kind::Scalar(s, _), Some(ScalarType::Number)) => format!("the number `{s}`"),
            (Kind::Scalar(s, _), _) => {
                let short: String = s.chars().take(40).collect();
                let dots = if short.len() < s.len() { "..." } else { "" };
                format!("the string `{}{dots}`", short.trim_end())
            }
        }
    }
}

/// Whether `s` is an integer or a float of the YAML 1.2 core schema.
fn is_yaml_number(s: &str) -> bool {
    let t = s.strip_prefix(['-', '+']).unwrap_or(s);
    if matches!(t, ".inf" | ".Inf" | ".INF") || matches!(s, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    if let Some(h) = s.strip_prefix("0x") {
        return !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if let Some(o) = s.strip_prefix("0o") {
        return !o.is_empty() && o.bytes().all(|b| (b'0'..=b'7').contains(&b));
    }
    let (mant, exp) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    let mant_ok = digits(int) && digits(frac) && !(int.is_empty() && frac.is_empty());
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mant_ok && exp_ok
}

/// The most nodes a document may make once its aliases are expanded (each alias is a copy of
/// its anchor's node): nine lines of nested aliases would otherwise make 10^9 of them.
const MAX_NODES: usize = 1_000_000;

/// The result of reading a YAML text.
pub(super) struct Document {
    /// The first document's root (`None` for an empty file).
    pub root: Option<Node>,
    /// Byte offset of a second document, if there is one (an error).
    pub extra_document: Option<usize>,
}

/// Parses `text` into a tree. A syntax error is returned with its byte offset.
pub(super) fn parse(text: &str) -> Result<Document, (usize, String)> {
    let mut options = Options::default();
    options.set_emit_comments(false);
    let scan_err = |e: ScanError| {
        let info = e.info();
        let off = e.marker().byte_offset().unwrap_or(0);
        if info.contains("tab")
            && let Some(tab) = indenting_tab(text, off)
        {
            return (tab, "a tab in the indentation: YAML indents with spaces only".to_string());
        }
        let msg = if info.is_empty() { "invalid YAML".to_string() } else { info };
        (off, msg)
    };
    let mut events = Vec::new();
    for ev in Parser::new_from_str_with_options(text, options) {
        let (ev, span) = ev.map_err(scan_err)?;
        let start = span.start.byte_offset().unwrap_or(0);
        let end = span.end.byte_offset().unwrap_or(start).max(start);
        events.push((ev, start, end));
    }
    let mut b = Builder { events, pos: 0, anchors: HashMap::new(), nodes: 0 };
    let mut doc = Document { root: None, extra_document: None };
    let mut documents = 0;
    while let Some((ev, start, _)) = b.next() {
        if let Event::DocumentStart(..) = ev {
            documents += 1;
            if documents == 2 {
                doc.extra_document = Some(start);
                break;
            }
            if let Some((ev, start, end)) = b.next()
                && !matches!(ev, Event::DocumentEnd)
            {
                doc.root = Some(b.node(ev, start, end)?);
            }
        }
    }
    Ok(doc)
}

/// The tab the scanner complains about at `off`: the one just before it, or else the first tab
/// in the indentation of a line after it (the scanner reports the scalar before such a line).
fn indenting_tab(text: &str, off: usize) -> Option<usize> {
    let off = off.min(text.len());
    if text[..off].ends_with('\t') {
        return Some(off - 1);
    }
    let mut line_start = text[..off].rfind('\n').map_or(0, |i| i + 1);
    for line in text[line_start..].split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(i) = line[..indent].find('\t') {
            return Some(line_start + i);
        }
        line_start += line.len();
    }
    None
}

struct Builder<'a> {
    events: Vec<(Event<'a>, usize, usize)>,
    pos: usize,
    /// Each anchor's node, with the number of nodes it holds.
    anchors: HashMap<usize, (Node, usize)>,
    /// Nodes made so far, aliases expanded.
    nodes: usize,
}

impl<'a> Builder<'a> {
    fn next(&mut self) -> Option<(Event<'a>, usize, usize)> {
        let e = self.events.get(self.pos).cloned();
        self.pos += 1;
        e
    }

    /// The next event that is part of the tree (skipping comments and anchor metadata).
    fn next_node_event(&mut self, at: usize) -> Result<(Event<'a>, usize, usize), (usize, String)> {
        loop {
            match self.next() {
                None => return Err((at, "unexpected end of the YAML document".into())),
                Some((Event::Anchor(..), ..)) => continue,
                Some(e) if e.0.is_node() || matches!(e.0, Event::MappingEnd | Event::SequenceEnd) => {
                    return Ok(e);
                }
                Some(_) => continue,
            }
        }
    }

    fn node(&mut self, ev: Event<'a>, start: usize, end: usize) -> Result<Node, (usize, String)> {
        let before = self.nodes;
        let size = match &ev {
            Event::Alias(id) => self.anchors.get(id).map_or(0, |a| a.1),
            _ => 1,
        };
        self.nodes += size;
        if self.nodes > MAX_NODES {
            return Err((start, format!("the document holds more than {MAX_NODES} values once its aliases are expanded")));
        }
        let (node, anchor) = match ev {
            Event::Scalar(value, style, anchor, _) => (Node { kind: Kind::Scalar(value.into_owned(), style), start, end }, anchor),
            Event::Alias(id) => {
                let node = self.anchors.get(&id).map(|a| a.0.clone());
                return node.ok_or((start, "this alias refers to no anchor".into()));
            }
            Event::SequenceStart(style, anchor, _) => {
                let mut items = Vec::new();
                let mut last = start;
                loop {
                    let (ev, s, e) = self.next_node_event(last)?;
                    if let Event::SequenceEnd = ev {
                        let flow = style == StructureStyle::Flow;
                        last = if flow { e } else { last };
                        break;
                    }
                    let item = self.node(ev, s, e)?;
                    last = item.end;
                    items.push(item);
                }
                (Node { kind: Kind::Seq(items), start, end: last }, anchor)
            }
            Event::MappingStart(style, anchor, _) => {
                let mut entries = Vec::new();
                let mut last = start;
                loop {
                    let (ev, s, e) = self.next_node_event(last)?;
                    if let Event::MappingEnd = ev {
                        let flow = style == StructureStyle::Flow;
                        last = if flow { e } else { last };
                        break;
                    }
                    let key = self.node(ev, s, e)?;
                    let (ev, s, e) = self.next_node_event(key.end)?;
                    let value = self.node(ev, s, e)?;
                    last = value.end.max(key.end);
                    entries.push((key, value));
                }
                (Node { kind: Kind::Map(entries), start, end: last }, anchor)
            }
            _ => return Err((start, "unexpected YAML event".into())),
        };
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), self.nodes - before));
        }
        Ok(node)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_numbers() {
        for s in ["0", "-70", "1.0", ".5", "5.", "1e-3", "+2E4", "0x1f", ".inf", "-.inf", ".nan"] {
            assert!(is_yaml_number(s), "{s}");
        }
        for s in ["", ".", "e3", "1e", "-70 mV", "1.2.3", "abc", "0x"] {
            assert!(!is_yaml_number(s), "{s}");
        }
    }

    #[test]
    fn tree_keeps_order_and_offsets() {
        let text = "a: 1\nb:\n  y: [1, 2]\n  x: {k: v}\nc: >\n  p +\n    q\n";
        let doc = parse(text).unwrap();
        let Some(Node { kind: Kind::Map(m), .. }) = doc.root else { panic!() };
        let keys: Vec<_> = m.iter().map(|(k, _)| k.scalar().unwrap()).collect();
        assert_eq!(keys, ["a", "b", "c"]);
        let Kind::Map(inner) = &m[1].1.kind else { panic!() };
        assert_eq!(inner[0].0.scalar(), Some("y"));
        assert_eq!(&text[inner[0].1.start..inner[0].1.end], "[1, 2]");
        assert_eq!(&text[inner[1].1.start..inner[1].1.end], "{k: v}");
        assert_eq!(&text[m[1].1.start..m[1].1.end], "y: [1, 2]\n  x: {k: v}");
        assert_eq!(m[2].1.scalar(), Some("p +\n  q\n"));
        assert!(text[m[2].1.start..].starts_with("p +"));
        assert_eq!(m[0].1.scalar_type(), Some(ScalarType::Number));
    }

    #[test]
    fn syntax_errors_and_documents() {
        let (off, msg) = parse("a: [1, 2\nb: 3\n").err().unwrap();
        assert!(off > 0 && !msg.is_empty());
        let doc = parse("a: 1\n---\nb: 2\n").unwrap();
        assert_eq!(doc.extra_document, Some(5));
        assert!(parse("").unwrap().root.is_none());
        let doc = parse("a: &x {k: 1}\nb: *x\n").unwrap();
        let Some(Node { kind: Kind::Map(m), .. }) = doc.root else { panic!() };
        assert!(matches!(m[1].1.kind, Kind::Map(_)));
    }

    #[test]
    fn tabs_in_indentation_are_found() {
        for (text, line, col) in [
            ("a:\n  b: 1\n\tc: 2\n", 3, 1),   // reported by the scanner at `1`, line 2
            ("a:\n  b: 1\n  \tc: 2\n", 3, 3), // after spaces
            ("a:\n\tb: 1\n", 2, 1),           // reported by the scanner after the tab
        ] {
            let (off, msg) = parse(text).err().expect(text);
            assert_eq!(msg, "a tab in the indentation: YAML indents with spaces only", "{text:?}");
            let line_start = text[..off].rfind('\n').map_or(0, |i| i + 1);
            assert_eq!((text[..off].matches('\n').count() + 1, off - line_start + 1), (line, col), "{text:?}");
        }
        // A tab after a value or before a comment is only white space.
        assert!(parse("a: 1\t\nb: 2\t# c\n").is_ok());
    }

    #[test]
    fn aliases_cannot_blow_up() {
        // Line i + 1 holds ten copies of line i: l0 is 11 values (a sequence of ten), l1 111,
        // ..., l4 111111, l5 would be 1111111.
        let lines = |n: usize| {
            let mut text = String::from("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
            for i in 1..n {
                text.push_str(&format!("l{i}: &l{i} [{}]\n", vec![format!("*l{}", i - 1); 10].join(", ")));
            }
            text
        };
        // Five lines: the mapping, 5 keys and 11 + 111 + ... + 111111 values: 123461 in all.
        let doc = parse(&lines(5)).unwrap();
        let Some(Node { kind: Kind::Map(m), .. }) = doc.root else { panic!() };
        let Kind::Seq(l4) = &m[4].1.kind else { panic!() };
        assert_eq!(l4.len(), 10);
        // Six lines: 123461 + a key and a sequence before line 6's aliases, each 111111 values:
        // the 8th makes 1012351, past the limit. Line 6, column 10 + 7 * 5.
        let text = lines(6);
        let (off, msg) = parse(&text).err().expect("refused");
        assert_eq!(msg, "the document holds more than 1000000 values once its aliases are expanded");
        let line_start = text[..off].rfind('\n').map_or(0, |i| i + 1);
        assert_eq!((text[..off].matches('\n').count() + 1, off - line_start + 1), (6, 45));
    }
}
