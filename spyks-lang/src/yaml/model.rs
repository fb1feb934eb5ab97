//! The model's sections: top-level keys, declarations, equations, reset, refractory period,
//! and derived models (`base:`).

use super::base::{load_base, override_decls};
use super::loader::{Loader, is_ident};
use super::tree::{self, Kind, Node, ScalarType};
use super::*;

/// Top-level keys whose misspellings are errors.
#[rustfmt::skip]
const CHECKED: &[&str] = &[
    "name", "description", "state", "parameters", "forcing", "equations", "reset", "base",
    "refractory", "tables",
];

/// Top-level keys holding free text (ignored, except `author` and `comments` for the docs).
const FREE_TEXT: &[&str] = &["author", "comments", "version"];

/// Other words for known keys.
const ALIASES: &[(&str, &str)] = &[
    ("inputs", "forcing"),
    ("input", "forcing"),
    ("params", "parameters"),
    ("states", "state"),
    ("variables", "state"),
    ("threshold", "reset"),
];

/// Keys a derived model (`base:`) takes from its base, which it may not set itself.
const FROM_BASE: &[&str] = &["equations", "forcing", "reset", "refractory"];

/// A file being loaded, with the chain of files that led to it (for `base:` cycles).
pub(super) type Stack = Vec<(PathBuf, String)>;

/// Why a file could not be read, without its path.
pub(super) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::InvalidData => "the file is not UTF-8 text".into(),
        _ => e.to_string(),
    }
}

/// Reads and parses a top-level model file.
pub(super) fn load_path(path: &Path, display: &str, call_site: TokenSpan, sources: &mut Sources, ctxt: &Ctxt) -> Option<LoadedYaml> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            ctxt.error(Span::tokens(call_site), format!("cannot read the model file `{display}`: {}", io_reason(&e)));
            return None;
        }
    };
    let canon = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let mut stack = vec![(canon, display.to_string())];
    let mut loaded = parse_text(&text, display, path.parent(), call_site, sources, ctxt, &mut stack)?;
    loaded.files.insert(0, path.to_path_buf());
    Some(loaded)
}

/// The UpperCamelCase form of a model name: `passive_ei` → `PassiveEi`.
fn upper_camel(name: &str) -> String {
    name.split(['_', '-', ' '])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut cs = p.chars();
            cs.next().map(|c| c.to_uppercase().chain(cs).collect::<String>()).unwrap_or_default()
        })
        .collect()
}

/// Parses a model file's text.
pub(super) fn parse_text(
    text: &str,
    display: &str,
    dir: Option<&Path>,
    call_site: TokenSpan,
    sources: &mut Sources,
    ctxt: &Ctxt,
    stack: &mut Stack,
) -> Option<LoadedYaml> {
    // A byte-order mark is no character of the file, and a line also ends at CRLF or CR (as in
    // YAML): lines, columns and snippets of messages are counted on the text without them.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).replace("\r\n", "\n").replace('\r', "\n");
    let text = text.as_str();
    let file = sources.add(Source { file: display.to_string(), line: 1, col: 1, text: text.to_string() });
    let mut ld = Loader { text, display, file, call_site, sources, ctxt };
    let doc = match tree::parse(text) {
        Ok(d) => d,
        Err((off, msg)) => {
            let end = off + text[off.min(text.len())..].chars().next().map_or(0, char::len_utf8);
            ctxt.error(ld.span(off, end), format!("YAML syntax error in `{display}`: {msg}"));
            return None;
        }
    };
    if let Some(off) = doc.extra_document {
        ctxt.error(ld.span(off, off + 3), "a model file holds one YAML document; remove this second one");
    }
    let Some(root) = doc.root.filter(|r| !r.is_null()) else {
        ctxt.error(ld.span(0, 0), format!("the model file `{display}` is empty"));
        return None;
    };
    let must = "a model file must be a mapping with the keys `name`, `description`, `state`, \
                `parameters`, `forcing` and `equations`";
    let entries = ld.mapping(&root, must)?;
    let top = |key: &str| Loader::get(&entries, key);
    // Misspelt known keys.
    let mut suggested = Vec::new();
    for (k, _) in &entries {
        let key = k.scalar().unwrap_or_default();
        if CHECKED.contains(&key) || FREE_TEXT.contains(&key) {
            continue;
        }
        let alias = ALIASES.iter().find(|a| a.0 == key).map(|a| a.1);
        if let Some(c) = alias.or_else(|| units::closest(key, CHECKED.iter().copied())) {
            ld.ctxt.push(Diagnostic::new(ld.at(k), format!("unknown key `{key}`")).note(format!("help: did you mean `{c}`?")));
            suggested.push(c);
        }
    }
    let required = |key: &str, what: &str| {
        let v = top(key).map(|e| e.1);
        if v.is_none() && !suggested.contains(&key) {
            ctxt.error(ld.span(root.start, root.start), format!("missing required key `{key}` ({what})"));
        }
        v
    };
    let base = top("base");
    // spyks gives a derived model the base model's name and description: it may leave them out.
    let (name_node, desc_node) = match base {
        None => (required("name", "the model's name, such as `nakl`"), required("description", "a sentence describing the model")),
        Some(_) => (top("name").map(|e| e.1), top("description").map(|e| e.1)),
    };
    let (state_node, eq_node) = if base.is_none() {
        (required("state", "the state variables with their initial values"), required("equations", "one per state variable"))
    } else {
        (top("state").map(|e| e.1), None)
    };

    let name = name_node.and_then(|n| model_name(&ld, n));
    let name = match (name, base, name_node) {
        (Some(n), ..) => Some(n),
        // The base model's.
        (None, Some(_), None) => None,
        _ => Some(Name::new("Model", ld.span(root.start, root.start))),
    };
    let doc =
        (base.is_none() || desc_node.is_some()).then(|| docs(&ld, desc_node, top("author").map(|e| e.1), top("comments").map(|e| e.1)));

    let mut files = Vec::new();
    let mut ast = if let Some((bk, bv)) = base {
        for key in FROM_BASE {
            if let Some((k, _)) = top(key) {
                let msg = format!("a derived model (`base:`) cannot set `{key}`: it uses the base model's `{key}`");
                ld.error(k, msg);
            }
        }
        let loaded = load_base(&mut ld, bk, bv, dir, stack);
        let mut base = loaded.map(|l| {
            files = l.files;
            (l.ast, l.origin_display)
        });
        if let Some((ast, base_display)) = &mut base {
            let (params, state) = (&mut ast.params, &mut ast.state);
            if let Some((_, v)) = top("parameters") {
                override_decls(&ld, "parameters", v, params, state, base_display);
            }
            if let Some(v) = state_node {
                override_decls(&ld, "state", v, state, params, base_display);
            }
        }
        base?.0
    } else {
        let mut m = ModelAst::empty(
            name.clone().unwrap_or_else(|| Name::new("Model", ld.span(root.start, root.start))),
            quote::quote_spanned!(call_site=> pub),
            Vec::new(),
            String::new(),
        );
        if let Some(v) = state_node {
            m.state = decls(&ld, "state", v, "V: -70 mV");
            if v.is_null() || matches!(&v.kind, Kind::Map(e) if e.is_empty()) {
                ld.error(v, "`state` must list at least one state variable (for example `V: -70 mV`)");
            }
        }
        if let Some((_, v)) = top("parameters") {
            m.params = decls(&ld, "parameters", v, "gl: 0.3 nS");
        }
        if let Some((_, v)) = top("forcing") {
            m.inputs = decls(&ld, "forcing", v, "Iinj: 0 pA");
        }
        if let Some(v) = eq_node {
            m.equations = equations(&mut ld, v);
        }
        if let Some((_, v)) = top("reset") {
            reset(&mut ld, v, &mut m);
        }
        if let Some((k, v)) = top("refractory") {
            m.refractory = refractory(&mut ld, k, v);
            if top("reset").is_none() {
                let msg = "`refractory` needs a `reset` with a `predicate`: without a spike condition the refractory period never starts";
                ld.error(k, msg);
            }
        }
        m
    };
    if let Some((k, v)) = top("tables") {
        ast.tables = super::tables::tables(&ld, k, v);
    }
    if let Some(name) = name {
        ast.name = name;
    }
    ast.vis = quote::quote_spanned!(call_site=> pub);
    if let Some(doc) = doc {
        ast.doc = doc;
    }
    ast.origin = display.to_string();
    Some(LoadedYaml { ast, files })
}

/// The Rust type name from `name:`.
fn model_name(ld: &Loader, n: &Node) -> Option<Name> {
    let must = "`name` must be the model's name, an identifier such as `nakl` or `passive_ei`";
    let Some(s) = n.scalar().filter(|_| matches!(n.scalar_type(), Some(ScalarType::Str))) else {
        ld.error(n, format!("{must}, found {}", n.describe()));
        return None;
    };
    let camel = upper_camel(s);
    if !s.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' ')) || !is_ident(&camel) {
        ld.error(n, format!("{must}, found `{s}`"));
        return None;
    }
    if crate::check::is_keyword(&camel) {
        ld.error(n, format!("the model name `{s}` gives the type name `{camel}`, which is a Rust keyword"));
        return None;
    }
    Some(Name::new(camel, ld.at(n)))
}

/// Doc lines: the description, then the author and comments.
fn docs(ld: &Loader, desc: Option<&Node>, author: Option<&Node>, comments: Option<&Node>) -> Vec<String> {
    let mut doc = Vec::new();
    let text_of = |n: &Node| n.scalar().filter(|_| !n.is_null()).map(|s| s.trim().to_string());
    let desc = desc.and_then(|n| {
        let d = text_of(n);
        if d.is_none() {
            ld.error(n, format!("`description` must be text, found {}", n.describe()));
        }
        d
    });
    // `author` and `comments` are free text: anything that is not text is ignored.
    let (author, comments) = (author.and_then(text_of), comments.and_then(text_of));
    doc.extend(desc.iter().flat_map(|d| doc_lines(d)));
    if let Some(a) = author {
        doc.extend([String::new(), format!(" Author: {a}")]);
    }
    if let Some(c) = comments {
        doc.push(String::new());
        doc.extend(doc_lines(&c));
    }
    doc
}

/// Free text as doc lines that rustdoc will not run as Rust: the type's docs are doctested in
/// the crate that includes the model, so a bare ```` ``` ```` fence opens a `text` block, and
/// lines lose their indentation outside fences (four spaces would start a code block).
fn doc_lines(text: &str) -> Vec<String> {
    let mut fence: Option<&str> = None;
    let mut out = Vec::new();
    for line in text.lines() {
        let t = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| t.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => {
                let info = t.trim_start_matches(m.as_bytes()[0] as char).trim();
                let rust = info.split(',').next().is_some_and(|l| l.trim().is_empty() || l.trim() == "rust");
                let fence_chars = &t[..t.len() - t.trim_start_matches(m.as_bytes()[0] as char).len()];
                out.push(if rust { format!(" {fence_chars}text") } else { format!(" {t}") });
                fence = Some(m);
            }
            (Some(m), Some(c)) if c == m && t.trim_start_matches(m.as_bytes()[0] as char).trim().is_empty() => {
                out.push(format!(" {t}"));
                fence = None;
            }
            (Some(_), _) => out.push(format!(" {line}")),
            (None, None) => out.push(format!(" {t}")),
        }
    }
    out
}

/// `state`, `parameters` or `forcing`: an ordered mapping of names to quantities.
pub(super) fn decls(ld: &Loader, section: &str, n: &Node, example: &str) -> Vec<Decl> {
    if n.is_null() {
        return Vec::new();
    }
    let must = format!("`{section}` must be a mapping of names to quantities (for example `{example}`)");
    let Some(entries) = ld.mapping(n, &must) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in entries {
        let name = ld.ident(k, &format!("a variable in `{section}`"));
        let what = match &name {
            Some(n) => format!("the value of `{}`", n.name),
            None => "the value".to_string(),
        };
        match (name, ld.quantity(v, &what)) {
            (Some(name), Some(value)) => out.push(Decl { name, value, doc: Vec::new() }),
            // The value's error is the one reported, not every use of the name.
            (Some(name), None) => ld.ctxt.poison(&name.name),
            _ => {}
        }
    }
    out
}

/// `equations`: per state variable, an expression, `{inf, tau}` or `{alpha, beta}`.
fn equations(ld: &mut Loader, n: &Node) -> Vec<Equation> {
    let must = "`equations` must be a mapping from each state variable to its equation \
                (for example `V: (El - V) / tau`)";
    let Some(entries) = ld.mapping(n, must) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in entries {
        let Some(var) = ld.ident(k, "an equation's state variable") else {
            continue;
        };
        let x = &var.name;
        let forms = format!(
            "the equation of `{x}` must be an expression for d{x}/dt, a mapping `{{inf: ..., tau: ...}}` \
             or a mapping `{{alpha: ..., beta: ...}}`"
        );
        let kind = match &v.kind {
            Kind::Scalar(..) => ld.expr(v, &format!("the equation of `{x}`")).map(EquationKind::Derivative),
            Kind::Map(_) => {
                let Some(parts) = ld.mapping(v, &forms) else {
                    continue;
                };
                let keys: Vec<&str> = parts.iter().filter_map(|(k, _)| k.scalar()).collect();
                let has = |a: &str, b: &str| parts.len() == 2 && keys.contains(&a) && keys.contains(&b);
                let mut part = |key: &str| {
                    let node = Loader::get(&parts, key).unwrap().1;
                    ld.expr(node, &format!("`{key}` of `{x}`"))
                };
                if has("inf", "tau") {
                    let (inf, tau) = (part("inf"), part("tau"));
                    inf.zip(tau).map(|(inf, tau)| EquationKind::InfTau { inf, tau })
                } else if has("alpha", "beta") {
                    let (alpha, beta) = (part("alpha"), part("beta"));
                    alpha.zip(beta).map(|(alpha, beta)| EquationKind::AlphaBeta { alpha, beta })
                } else {
                    let list = keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
                    let mut d = Diagnostic::new(ld.at(v), format!("{forms}; found a mapping with the keys {list}"));
                    let unknown: Vec<&&str> = keys.iter().filter(|k| !["inf", "tau", "alpha", "beta"].contains(k)).collect();
                    for key in &unknown {
                        if let Some(c) = units::closest(key, ["inf", "tau", "alpha", "beta"]) {
                            d = d.note(format!("help: `{key}`: did you mean `{c}`?"));
                        }
                    }
                    // `{inf: Max(a, b), tau: c}`: in a flow mapping a comma ends the value.
                    if ld.text[v.start..].starts_with('{') && unknown.iter().any(|k| k.contains([')', '(', ' '])) {
                        d = d.note(
                            "help: in a `{...}` mapping a comma ends a value: quote an expression with commas \
                             (`inf: 'Max(a, b)'`) or write the mapping as indented lines",
                        );
                    }
                    ld.ctxt.push(d);
                    None
                }
            }
            Kind::Seq(_) => {
                ld.error(v, format!("{forms}, found {}", v.describe()));
                None
            }
        };
        if let Some(kind) = kind {
            out.push(Equation { var, kind, span: ld.span(k.start, v.end) });
        }
    }
    out
}

/// `reset: {predicate, state, clip}`.
fn reset(ld: &mut Loader, n: &Node, m: &mut ModelAst) {
    let must = "`reset` must be a mapping with `predicate`, `state` and optionally `clip` \
                (for example `predicate: V >= h`)";
    let Some(entries) = ld.mapping(n, must) else {
        return;
    };
    ld.check_keys(&entries, &["predicate", "state", "clip"], "in `reset`");
    match Loader::get(&entries, "predicate") {
        Some((_, p)) => m.threshold = ld.expr(p, "`predicate`"),
        None => ld.error(n, "`reset` needs a `predicate`, the spike condition (for example `predicate: V >= h`)"),
    }
    if let Some((_, s)) = Loader::get(&entries, "state") {
        let must = "`state` in `reset` must be a mapping from state variables to their new values \
                    (for example `V: vr`)";
        for (k, v) in ld.mapping(s, must).unwrap_or_default() {
            let (var, expr) = (ld.ident(k, "a reset variable"), ld.expr(v, "a reset value"));
            if let (Some(var), Some(expr)) = (var, expr) {
                m.reset.push(Assign { var, expr });
            }
        }
    }
    if let Some((_, c)) = Loader::get(&entries, "clip").filter(|(_, c)| !c.is_null()) {
        let must = "`clip` must be a mapping from state variables to their upper bounds (for example `V: h`)";
        for (k, v) in ld.mapping(c, must).unwrap_or_default() {
            let (var, bound) = (ld.ident(k, "a clipped variable"), ld.expr(v, "a clip bound"));
            if let (Some(var), Some(bound)) = (var, bound) {
                m.clip.push(Clip { var, upper: true, bound });
            }
        }
    }
}

/// `refractory: {period: 2 ms, hold: [V]}` (an extension).
fn refractory(ld: &mut Loader, k: &Node, n: &Node) -> Option<Refractory> {
    let must = "`refractory` must be a mapping such as `{period: 2 ms, hold: [V]}`";
    let entries = ld.mapping(n, must)?;
    ld.check_keys(&entries, &["period", "hold"], "in `refractory`");
    let mut hold = Vec::new();
    if let Some((_, h)) = Loader::get(&entries, "hold") {
        match &h.kind {
            Kind::Seq(items) => hold.extend(items.iter().filter_map(|i| ld.ident(i, "a held variable"))),
            Kind::Scalar(..) if h.is_null() => {}
            Kind::Scalar(..) => hold.extend(ld.ident(h, "a held variable")),
            Kind::Map(_) => ld.error(h, format!("`hold` must be a list of state variables such as `[V]`, found {}", h.describe())),
        }
    }
    let Some((_, p)) = Loader::get(&entries, "period") else {
        ld.error(n, "`refractory` needs a `period`, a time such as `2 ms`");
        return None;
    };
    let period = ld.quantity_or_expr(p, "the refractory `period`")?;
    Some(Refractory { period, hold, span: ld.span(k.start, n.end) })
}
