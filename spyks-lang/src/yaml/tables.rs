//! `tables: {V: {min: -100 mV, max: 60 mV, step: 0.05 mV, interpolation: linear, outside: exact}}`
//! (an extension: the Python spyks ignores the key).

use super::loader::Loader;
use super::tree::Node;
use crate::ast::TablesAst;
use crate::check::tables::{INTERP, OUTSIDE};
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
    // The checker sorts option words by the word alone, as inline `tables` writes them; here
    // each key must hold a word of its own kind (`interpolation: clamp` is an error).
    let mut options = Vec::new();
    for (key, words) in [("interpolation", INTERP), ("outside", OUTSIDE)] {
        if let Some((_, v)) = Loader::get(&fields, key) {
            match v.scalar().filter(|_| !v.is_null()).map(str::trim) {
                // A word of this key's kind, or an unknown word (the checker reports it with
                // the valid ones); a word of the other key's kind is an error here.
                Some(s) if words.contains(&s) || !(INTERP.contains(&s) || OUTSIDE.contains(&s)) => options.push(Name::new(s, ld.at(v))),
                Some(s) => ld.error(
                    v,
                    format!("`{key}` is {}, found `{s}`", words.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(" or ")),
                ),
                None => ld.error(v, format!("`{key}` must be a word such as `{}`, found {}", words[0], v.describe())),
            }
        }
    }
    Some(TablesAst { var, lo: lo?, hi: hi?, step: step?, options, span: ld.span(k.start, n.end) })
}

#[cfg(test)]
mod tests {
    use crate::diag::Ctxt;
    use crate::ir::{Outside, Sym};
    use crate::span::Sources;

    const MODEL: &str = "name: gate\ndescription: a gate\nstate: {V: -65 mV, m: 0.1}\nparameters: {tau: 5 ms, k: 10 mV}\n\
                         equations:\n  V: -V / tau\n  m: {inf: 1/(1 + exp(-V/k)), tau: tau}\n";

    /// Loads and checks `MODEL` with the given `tables:` value; the model and the messages.
    fn load(tables: &str) -> (Option<crate::ir::Model>, Vec<String>) {
        let (cx, mut sources) = (Ctxt::new(), Sources::default());
        let text = format!("{MODEL}tables: {tables}\n");
        let ast = crate::yaml::parse_model_str(&text, "gate.yml", None, proc_macro2::Span::call_site(), &mut sources, &cx);
        let m = ast.and_then(|a| crate::check::check(&a.ast, &cx));
        (m, cx.take().iter().map(|d| d.message.clone()).collect())
    }

    #[test]
    fn a_table_in_yaml() {
        let (m, errs) = load("{V: {min: -0.1 V, max: 60 mV, step: 50 uV, interpolation: cubic, outside: extend}}");
        assert!(errs.is_empty(), "{errs:?}");
        let t = m.unwrap().tables.unwrap();
        assert_eq!((t.var, t.lo, t.hi, t.step, t.cubic, t.outside), (Sym::State(0), -100.0, 60.0, 0.05, true, Outside::Extend));
        let (m, errs) = load("{V: {min: -100 mV, max: 60 mV, step: 0.1 mV}}");
        assert!(errs.is_empty(), "{errs:?}");
        let t = m.unwrap().tables.unwrap();
        assert_eq!((t.cubic, t.outside), (false, Outside::Exact));
    }

    #[test]
    fn yaml_table_errors() {
        for (tables, wanted) in [
            ("{V: {min: -100 mV, max: 60 mV}}", "`step` is missing"),
            ("{V: {min: -100 mV, max: 60 mV, step: 0.1 mV, interp: cubic}}", "unknown key `interp` in `tables`"),
            (
                "{V: {min: -100 mV, max: 60 ms, step: 0.1 mV}}",
                "the table's upper end has the dimension of time (ms), but `V` is voltage (mV)",
            ),
            ("{V: {min: -100 mV, max: 60 mV, step: 0.1 mV, outside: exactly}}", "unknown table option `exactly`"),
            (
                "{V: {min: -100 mV, max: 60 mV, step: 0.1 mV, interpolation: clamp}}",
                "`interpolation` is `linear` or `cubic`, found `clamp`",
            ),
            ("{V: {min: -100 mV, max: 60 mV, step: 0.1 mV, outside: cubic}}", "`outside` is `exact` or `extend` or `clamp`, found `cubic`"),
            ("{tau: {min: -100 mV, max: 60 mV, step: 0.1 mV}}", "`tau` is a parameter"),
            (
                "{V: {min: -100 mV, max: 60 mV, step: 0.1 mV}, m: {min: 0, max: 1, step: 0.1}}",
                "tables over several variables are not supported",
            ),
            ("[V]", "`tables` must map one variable"),
        ] {
            let (_, errs) = load(tables);
            assert!(errs.iter().any(|e| e.contains(wanted)), "{tables}: {errs:?}");
        }
    }
}
