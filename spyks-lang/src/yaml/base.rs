//! Derived models (`base:`): loading the base file and overriding its defaults.

use super::loader::Loader;
use super::model::{Stack, decls, io_reason, parse_text};
use super::tree::{Node, ScalarType};
use super::*;

/// What [`load_base`] returns.
pub(super) struct LoadedBase {
    /// The base model.
    pub ast: ModelAst,
    /// The files read.
    pub files: Vec<PathBuf>,
    /// The base file as displayed in messages.
    pub origin_display: String,
}

/// Loads the base model named by `base: <name>`.
pub(super) fn load_base(ld: &mut Loader, key: &Node, n: &Node, dir: Option<&Path>, stack: &mut Stack) -> Option<LoadedBase> {
    let Some(b) = n.scalar().filter(|_| !n.is_null() && n.scalar_type() != Some(ScalarType::Bool)) else {
        ld.error(n, format!("`base` must name another model file in the same folder, such as `nakl`, found {}", n.describe()));
        return None;
    };
    let file_name = if b.ends_with(".yml") || b.ends_with(".yaml") { b.to_string() } else { format!("{b}.yml") };
    let Some(dir) = dir else {
        ld.error(n, format!("`base: {b}` needs the model to be read from a file: the base is looked up in its folder"));
        return None;
    };
    let path = dir.join(&file_name);
    let display = Path::new(ld.display).with_file_name(&file_name).to_string_lossy().into_owned();
    let canon = path.canonicalize().unwrap_or_else(|_| path.clone());
    if stack.iter().any(|(p, _)| *p == canon) {
        let chain: Vec<&str> = stack.iter().map(|(_, d)| d.as_str()).chain([display.as_str()]).collect();
        ld.error(n, format!("`base: {b}` makes a cycle of base models: {}", chain.join(" → ")));
        return None;
    }
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            let d = Diagnostic::new(ld.span(key.start, n.end), format!("cannot read the base model `{display}`: {}", io_reason(&e)))
                .note(format!("`base: {b}` names the file `{file_name}` in the same folder as `{}`", ld.display));
            ld.ctxt.push(d);
            return None;
        }
    };
    stack.push((canon, display.clone()));
    let loaded = parse_text(&text, &display, path.parent(), ld.call_site, ld.sources, ld.ctxt, stack);
    stack.pop();
    let loaded = loaded?;
    let mut files = vec![path];
    files.extend(loaded.files);
    Some(LoadedBase { ast: loaded.ast, files, origin_display: display })
}

/// Overrides the defaults of `base` (the base model's `section`) by this file's values.
pub(super) fn override_decls(ld: &Loader, section: &str, n: &Node, base: &mut [Decl], other: &[Decl], base_display: &str) {
    let (kind, other_section) = if section == "state" { ("state variable", "parameters") } else { ("parameter", "state") };
    for d in decls(ld, section, n, "gl: 0.3 nS") {
        let Some(b) = base.iter_mut().find(|b| b.name.name == d.name.name) else {
            let mut e = Diagnostic::new(d.name.span, format!("`{}` is not a {kind} of the base model `{base_display}`", d.name.name));
            if other.iter().any(|o| o.name.name == d.name.name) {
                e = e.note(format!("`{}` is declared under `{other_section}` there", d.name.name));
            } else if let Some(c) = units::closest(&d.name.name, base.iter().map(|b| b.name.name.as_str())) {
                e = e.note(format!("help: did you mean `{c}`?"));
            }
            ld.ctxt.push(e);
            continue;
        };
        if let (Ok((_, bd)), Ok((_, nd))) = (units::quantity_value(&b.value), units::quantity_value(&d.value))
            && bd != nd
        {
            {
                let written = |s: Span| ld.span_text(s).unwrap_or_default();
                ld.ctxt.push(Diagnostic::new(
                    d.value.span,
                    format!(
                        "the value `{}` for `{}` has the dimension {}, but the base model `{base_display}` \
                         declares `{}: {}`, of dimension {}",
                        written(d.value.span),
                        d.name.name,
                        nd.describe(),
                        b.name.name,
                        written(b.value.span),
                        bd.describe(),
                    ),
                ));
                continue;
            }
        }
        b.value = d.value;
    }
}
