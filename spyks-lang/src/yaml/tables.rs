//! `tables: {V: {min: -100 mV, max: 60 mV, step: 0.05 mV, interpolation: linear, outside: exact}}`
//! (an extension: the Python spyks ignores the key).

use super::loader::Loader;
use super::tree::Node;
use crate::ast::TablesAst;
use crate::span::Name;

const KEYS: &[&str] = &["min", "max", "step", "interpolation", "outside"];

pub(super) fn tables(ld: &Loader, k: &Node, n: &Node) -> Option<TablesAst> {
    let must = "`tables` must map one variable to its range, such as `{V: {min: -100 mV, max: 60 mV, step: 0.05 mV}}`";
    let entries = ld.mapping(n, must)?;
    let Some(&(var_node, spec)) = entries.first() else {
        ld.error(n, must);
        return None;
    };
    for (extra, _) in &entries[1..] {
        ld.error(extra, "tables are over one variable; tables over several variables are not supported");
    }
    let var = ld.ident(var_node, "the table variable")?;
    let must = format!("the table of `{}` must be a mapping with `min`, `max` and `step`", var.name);
    let fields = ld.mapping(spec, &must)?;
    ld.check_keys(&fields, KEYS, "in `tables`");
    let quantity = |key: &str, what: &str| match Loader::get(&fields, key) {
        Some((_, v)) => ld.quantity(v, what),
        None => {
            ld.error(spec, format!("{must}; `{key}` is missing"));
            None
        }
    };
    let (lo, hi, step) =
        (quantity("min", "the table's `min`"), quantity("max", "the table's `max`"), quantity("step", "the table's `step`"));
    let mut options = Vec::new();
    for key in ["interpolation", "outside"] {
        if let Some((_, v)) = Loader::get(&fields, key) {
            match v.scalar().filter(|_| !v.is_null()) {
                Some(s) => options.push(Name::new(s.trim(), ld.at(v))),
                None => ld.error(v, format!("`{key}` must be a word such as `linear`, found {}", v.describe())),
            }
        }
    }
    Some(TablesAst { var, lo: lo?, hi: hi?, step: step?, options, span: ld.span(k.start, n.end) })
}
