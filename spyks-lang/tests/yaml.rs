//! Tests of the YAML front end on the shipped spyks models and on error cases.

mod yaml {
    use spyks_lang::ast::*;
    use spyks_lang::diag::Ctxt;
    use spyks_lang::span::Sources;
    use spyks_lang::yaml::{LoadedYaml, load_model_file, parse_model_str};
    use std::path::{Path, PathBuf};

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures")
    }

    /// Where `rel` lives: the shipped spyks models have one copy in the workspace, under
    /// spyks-core; everything else is a fixture of this crate.
    fn locate(rel: &str) -> PathBuf {
        match rel.strip_prefix("spyks-models/") {
            Some(file) => spyks_models_dir().join(file),
            None => fixtures().join(rel),
        }
    }

    fn spyks_models_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../spyks-core/models/spyks")
    }

    /// Loads `tests/fixtures/<rel>`; returns the model and the rendered errors.
    fn load(rel: &str) -> (Option<LoadedYaml>, Vec<String>) {
        let (mut sources, ctxt) = (Sources::default(), Ctxt::new());
        let m = load_model_file(&locate(rel), rel, proc_macro2::Span::call_site(), &mut sources, &ctxt);
        (m, ctxt.take().iter().map(|d| d.render(&sources)).collect())
    }

    /// Parses `text` as `m.yml`, with base files looked up among the shipped models.
    fn parse(text: &str) -> (Option<LoadedYaml>, Vec<String>) {
        let (mut sources, ctxt) = (Sources::default(), Ctxt::new());
        let dir = spyks_models_dir();
        let m = parse_model_str(text, "m.yml", Some(&dir), proc_macro2::Span::call_site(), &mut sources, &ctxt);
        (m, ctxt.take().iter().map(|d| d.render(&sources)).collect())
    }

    fn ok(rel: &str) -> ModelAst {
        let (m, errs) = load(rel);
        assert!(errs.is_empty(), "{rel}:\n{}", errs.join("\n\n"));
        m.expect(rel).ast
    }

    fn names(d: &[Decl]) -> Vec<&str> {
        d.iter().map(|d| d.name.name.as_str()).collect()
    }

    /// Asserts that one error contains all of `parts`.
    fn has_error(errs: &[String], parts: &[&str]) {
        assert!(errs.iter().any(|e| parts.iter().all(|p| e.contains(p))), "no error containing {parts:?} in:\n{}", errs.join("\n\n"));
    }

    fn minimal(extra: &str) -> String {
        format!("name: m\ndescription: test\nstate:\n  V: -70 mV\nparameters:\n  tau: 10 ms\n{extra}")
    }

    #[test]
    fn shipped_models_parse() {
        for (file, name, state, params, inputs) in [
            ("adex", "Adex", 2, 10, 1),
            ("biocm", "Biocm", 11, 89, 1),
            ("nakl", "Nakl", 4, 25, 1),
            ("passive", "Passive", 1, 3, 1),
            ("passive_ei", "PassiveEi", 1, 5, 2),
            ("pospischil", "Pospischil", 5, 34, 1),
        ] {
            let rel = format!("spyks-models/{file}.yml");
            let (m, errs) = load(&rel);
            assert!(errs.is_empty(), "{rel}:\n{}", errs.join("\n\n"));
            let loaded = m.unwrap();
            let m = loaded.ast;
            assert_eq!(m.name.name, name);
            assert_eq!(m.vis.to_string(), "pub");
            assert_eq!((m.state.len(), m.params.len(), m.inputs.len()), (state, params, inputs), "{rel}");
            assert_eq!(m.equations.len(), state, "{rel}");
            let eq_vars: Vec<_> = m.equations.iter().map(|e| e.var.name.as_str()).collect();
            assert_eq!(eq_vars, names(&m.state), "{rel}");
            assert_eq!(m.origin, rel);
            assert_eq!(loaded.files, vec![locate(&rel)]);
            assert!(m.doc[0].starts_with(' ') && m.doc.iter().any(|l| l == " Author: dmeliza"), "{:?}", m.doc);
        }
    }

    #[test]
    fn declared_order_and_quantities() {
        let m = ok("spyks-models/nakl.yml");
        assert_eq!(names(&m.state), ["V", "m", "h", "n"]);
        assert_eq!(names(&m.inputs), ["Iinj"]);
        assert_eq!(&names(&m.params)[..5], ["C", "gna", "Ena", "gk", "Ek"]);
        let v = &m.state[0].value;
        assert_eq!((v.text.as_str(), v.negative), ("70", true));
        assert!(matches!(&v.unit, Some(UnitExpr::Symbol(n)) if n.name == "mV"));
        assert!(m.state[1].value.unit.is_none() && m.state[1].value.text == "0");
        assert!(matches!(m.equations[0].kind, EquationKind::Derivative(_)));
        assert!(matches!(m.equations[1].kind, EquationKind::InfTau { .. }));
        assert_eq!(m.doc[0], " biophysical neuron model with minimal Na, K, leak conductances");

        let b = ok("spyks-models/biocm.yml");
        let q = |n: &str| b.params.iter().find(|d| d.name.name == n).unwrap().value.clone();
        assert_eq!(q("klth_t1").text, ".00052");
        assert!(matches!(q("klth_t1").unit, Some(UnitExpr::Div(..))));
        assert_eq!(q("hcnh_t1").text, "123e-5");
        assert!(q("klth_z").unit.is_none());

        let p = ok("spyks-models/pospischil.yml");
        let kinds: Vec<_> = p.equations.iter().map(|e| std::mem::discriminant(&e.kind)).collect();
        let alpha = p.equations.iter().position(|e| matches!(e.kind, EquationKind::AlphaBeta { .. }));
        assert_eq!(p.equations[alpha.unwrap()].var.name, "na_h");
        assert_eq!(kinds.iter().filter(|k| **k == kinds[1]).count(), 3); // na_m, kd_m, km_m: inf/tau
        assert!(
            matches!(p.params[8].value.unit, Some(UnitExpr::Pow(..)))
                || p.params.iter().any(|d| matches!(d.value.unit, Some(UnitExpr::Pow(..))))
        );
        assert!(p.doc.iter().any(|l| l.contains("Pospischil et al 2008")), "{:?}", p.doc);
    }

    #[test]
    fn adex_reset_and_clip() {
        let m = ok("spyks-models/adex.yml");
        let th = m.threshold.expect("predicate");
        assert!(matches!(th.kind, ExprKind::Binary(BinOp::Ge, ..)));
        let vars: Vec<_> = m.reset.iter().map(|a| a.var.name.as_str()).collect();
        assert_eq!(vars, ["V", "w"]);
        assert!(matches!(m.reset[1].expr.kind, ExprKind::Binary(BinOp::Add, ..)));
        assert_eq!(m.clip.len(), 1);
        assert!(m.clip[0].upper && m.clip[0].var.name == "V");
        assert!(matches!(&m.clip[0].bound.kind, ExprKind::Ident(n) if n.name == "h"));
        assert!(ok("spyks-models/nakl.yml").threshold.is_none());
    }

    #[test]
    fn extensions_and_optional_keys() {
        let text = minimal(
            "equations:\n  V: -V / tau\nreset:\n  predicate: (V >= 0) & (V < 100)\n  state:\n    V: -70\n\
             refractory:\n  period: 2 ms\n  hold: [V]\nversion: one\nnotes: free text\n",
        );
        let (m, errs) = parse(&text);
        assert!(errs.is_empty(), "{}", errs.join("\n\n"));
        let m = m.unwrap().ast;
        assert!(m.inputs.is_empty() && m.clip.is_empty());
        assert!(matches!(m.threshold.unwrap().kind, ExprKind::Binary(BinOp::And, ..)));
        let r = m.refractory.unwrap();
        assert!(matches!(&r.period.kind, ExprKind::Number(q) if q.text == "2" && q.unit.is_some()));
        assert_eq!(r.hold[0].name, "V");
        let (m, errs) = parse(&minimal(
            "forcing: {}\nequations:\n  V: -V / tau\nreset: {predicate: V >= 0, state: {V: -70}}\nrefractory: {period: t_ref}\n",
        ));
        assert!(errs.is_empty(), "{}", errs.join("\n\n"));
        let m = m.unwrap().ast;
        assert!(matches!(&m.refractory.unwrap().period.kind, ExprKind::Ident(n) if n.name == "t_ref"));
        // Without a reset, nothing starts the refractory period.
        let (_, errs) = parse(&minimal("equations:\n  V: -V / tau\nrefractory: {period: t_ref}\n"));
        assert!(errs.iter().any(|e| e.contains("`refractory` needs a `reset` with a `predicate`")), "{errs:?}");
    }

    #[test]
    fn derived_model_overrides_defaults() {
        let loaded = load("derived/leak_big.yml").0.unwrap();
        let (m, errs) = load("derived/leak_big.yml");
        assert!(errs.is_empty(), "{}", errs.join("\n\n"));
        let m = m.unwrap();
        assert_eq!(m.files, vec![fixtures().join("derived/leak_big.yml"), fixtures().join("derived/leak.yml")]);
        let m = m.ast;
        assert_eq!(m.name.name, "LeakBig");
        assert_eq!(m.doc, [" the leak model with a larger membrane"]);
        assert_eq!(m.origin, "derived/leak_big.yml");
        assert_eq!(names(&m.params), ["C", "gl", "El"]);
        assert_eq!(m.params[0].value.text, "0.25");
        assert!(matches!(&m.params[0].value.unit, Some(UnitExpr::Symbol(n)) if n.name == "nF"));
        assert_eq!(m.params[1].value.text, "0.01");
        assert_eq!(m.params[2].value.text, "70");
        assert_eq!(m.state[0].value.text, "65");
        assert_eq!((m.equations.len(), m.inputs.len()), (1, 1));
        assert_eq!(loaded.ast.params.len(), 3);

        // A derived model of a shipped model, from text.
        let (m, errs) = parse("name: nakl_fast\ndescription: faster sodium\nbase: nakl\nparameters:\n  gna: 150 nS\n  C: 0.1 nF\n");
        assert!(errs.is_empty(), "{}", errs.join("\n\n"));
        let m = m.unwrap();
        assert_eq!(m.files, vec![spyks_models_dir().join("nakl.yml")]);
        assert_eq!(m.ast.name.name, "NaklFast");
        assert_eq!(m.ast.params[1].value.text, "150");
        assert_eq!(m.ast.state.len(), 4);
        assert!(matches!(m.ast.equations[1].kind, EquationKind::InfTau { .. }));
    }

    /// spyks gives a derived model the base model's name and description, so a file of only
    /// `base:` and new values is a model.
    #[test]
    fn derived_model_without_name_or_description() {
        let (m, errs) = parse("base: nakl\nparameters:\n  gna: 150 nS\n");
        assert!(errs.is_empty(), "{}", errs.join("\n\n"));
        let m = m.unwrap().ast;
        assert_eq!(m.name.name, "Nakl");
        assert_eq!(m.doc[0], " biophysical neuron model with minimal Na, K, leak conductances");
        assert_eq!(m.params[1].value.text, "150");
        // Its own name and description still win.
        let (m, _) = parse("base: nakl\nname: fast\n");
        let m = m.unwrap().ast;
        assert_eq!((m.name.name.as_str(), m.doc[0].as_str()), ("Fast", " biophysical neuron model with minimal Na, K, leak conductances"));
        // Without `base:` both are required.
        let (_, errs) = parse("state:\n  V: 0\nequations:\n  V: 0\n");
        has_error(&errs, &["missing required key `name`"]);
        has_error(&errs, &["missing required key `description`"]);
    }

    #[test]
    fn derived_model_errors() {
        let (m, errs) = load("derived/leak_bad.yml");
        assert!(m.is_some());
        has_error(
            &errs,
            &["`gK` is not a parameter of the base model `derived/leak.yml`", "derived/leak_bad.yml:6:3", "did you mean `gl`?"],
        );
        has_error(
            &errs,
            &[
                "the value `2 mV` for `C` has the dimension voltage (mV), but the base model `derived/leak.yml` declares `C: 250 pF`, of dimension capacitance (pF)",
                "derived/leak_bad.yml:7:6",
            ],
        );
        assert_eq!(errs.len(), 2, "{}", errs.join("\n\n"));

        let (m, errs) = load("derived/missing_base.yml");
        assert!(m.is_none());
        has_error(&errs, &["cannot read the base model `derived/no_such_model.yml`: no such file", "derived/missing_base.yml:4:1"]);

        let (_, errs) = load("derived/cycle_a.yml");
        has_error(&errs, &["makes a cycle of base models: derived/cycle_a.yml → derived/cycle_b.yml → derived/cycle_a.yml"]);

        let (_, errs) = parse("name: x\ndescription: y\nbase: nakl\nequations:\n  V: 0\n");
        has_error(&errs, &["a derived model (`base:`) cannot set `equations`", "m.yml:4:1"]);
        let (_, errs) = parse("name: x\ndescription: y\nbase: nakl\nstate:\n  gna: 1 nS\n");
        has_error(&errs, &["`gna` is not a state variable of the base model", "`gna` is declared under `parameters` there"]);
    }

    #[test]
    fn file_errors_name_the_file_as_written() {
        let (m, errs) = load("spyks-models/nothere.yml");
        assert!(m.is_none());
        assert_eq!(errs, ["cannot read the model file `spyks-models/nothere.yml`: no such file"]);
        let (m, errs) = parse("name: x\nstate: [1, 2\n");
        assert!(m.is_none());
        has_error(&errs, &["YAML syntax error in `m.yml`", "m.yml:"]);
        let (m, errs) = parse("- a\n- b\n");
        assert!(m.is_none());
        has_error(&errs, &["a model file must be a mapping", "found a sequence", "m.yml:1:1"]);
    }

    #[test]
    fn missing_and_misspelt_keys() {
        let (_, errs) = parse("name: x\nstate:\n  V: 0\nequations:\n  V: 0\n");
        has_error(&errs, &["missing required key `description`", "m.yml:1:1"]);
        let (_, errs) = parse(&minimal("equation:\n  V: -V / tau\nforcings: {}\n"));
        has_error(&errs, &["unknown key `equation`", "m.yml:7:1", "help: did you mean `equations`?"]);
        has_error(&errs, &["unknown key `forcings`", "m.yml:9:1", "did you mean `forcing`?"]);
        assert_eq!(errs.len(), 2, "no extra error for the missing `equations`:\n{}", errs.join("\n\n"));
        let (_, errs) = parse(&minimal("equations:\n  V: 0\nreset:\n  predicat: V > 0\n"));
        has_error(&errs, &["unknown key `predicat` in `reset`", "did you mean `predicate`?"]);
        has_error(&errs, &["`reset` needs a `predicate`"]);
    }

    #[test]
    fn equation_forms() {
        let (_, errs) = parse(&minimal("equations:\n  V:\n    inf: a\n    taux: b\n"));
        has_error(
            &errs,
            &[
                "the equation of `V` must be an expression for dV/dt, a mapping `{inf: ..., tau: ...}` or a mapping `{alpha: ..., beta: ...}`",
                "found a mapping with the keys `inf`, `taux`",
                "m.yml:9:5",
                "did you mean `tau`?",
            ],
        );
        let (_, errs) = parse(&minimal("equations:\n  V: {inf: Max(a, b), tau: tau}\n"));
        has_error(&errs, &["found a mapping with the keys `inf`, `b)`, `tau`", "m.yml:8:6", "in a `{...}` mapping a comma ends a value"]);
        let (_, errs) = parse(&minimal("equations:\n  V: [1, 2]\n"));
        has_error(&errs, &["the equation of `V` must be", "found a sequence", "m.yml:8:6"]);
        let (_, errs) = parse(&minimal("equations:\n  V:\n"));
        has_error(&errs, &["the equation of `V` is empty"]);
    }

    #[test]
    fn expression_errors_point_into_the_expression() {
        let (_, errs) = parse(&minimal("equations:\n  V: 1/C * (gl * (El - V)\n"));
        has_error(&errs, &["unclosed `(`", "m.yml:8:12", "8 | 1/C * (gl * (El - V)\n  |       ^"]);
        // Inside a folded scalar: the second line, exact column.
        let (_, errs) = parse(&minimal("equations:\n  V: >\n    1/tau * (El +\n             $V)\n"));
        has_error(&errs, &["unknown character `$`", "m.yml:10:14", "10 |              $V)\n   |              ^"]);
        // A comment inside a block scalar is part of the expression.
        let (_, errs) = parse(&minimal("equations:\n  V: >\n    -V / tau  # leak\n"));
        has_error(&errs, &["unknown character `#`", "m.yml:9:15", "`#` starts a comment only after a space and outside quotes"]);
        // Inside a quoted scalar.
        let (_, errs) = parse(&minimal("equations:\n  V: \"-V / tau *\"\n"));
        has_error(&errs, &["expected an expression after `*`", "m.yml:8:16"]);
        // All errors of a file are reported together.
        let (_, errs) = parse(&minimal("equations:\n  V: (\nreset:\n  predicate: V >\n  state:\n    V: 1 +\n"));
        assert_eq!(errs.len(), 3, "{}", errs.join("\n\n"));
    }

    #[test]
    fn type_errors() {
        let (_, errs) = parse("name: x\ndescription: y\nstate: [1, 2]\nequations: {}\n");
        has_error(&errs, &["`state` must be a mapping of names to quantities (for example `V: -70 mV`), found a sequence", "m.yml:3:8"]);
        let (_, errs) = parse(&minimal("equations:\n  V: 0\nforcing: 3\n"));
        has_error(
            &errs,
            &["`forcing` must be a mapping of names to quantities (for example `Iinj: 0 pA`), found the number `3`", "m.yml:9:10"],
        );
        let (_, errs) = parse("name: x\ndescription: y\nstate:\n  V: {a: 1}\n  w: abc\n  u:\nequations: {}\n");
        has_error(&errs, &["the value of `V` must be a quantity such as `-70 mV`", "found a mapping", "m.yml:4:6"]);
        has_error(&errs, &["the value of `w` must be a quantity", "found the string `abc`", "m.yml:5:6"]);
        has_error(&errs, &["the value of `u` is missing"]);
        let (_, errs) = parse(&minimal("  type: 1 mV\n  2x: 3\nequations:\n  V: 0\n"));
        has_error(&errs, &["`type` cannot be used as a name: it is a Rust keyword", "m.yml:7:3"]);
        has_error(&errs, &["`2x` is not a valid name"]);
        let (_, errs) = parse(&minimal("  tau: 3 ms\nequations:\n  V: 0\n"));
        has_error(&errs, &["duplicate key `tau`", "m.yml:7:3", "the first one is on line 6"]);
        let (_, errs) = parse("name: [a]\ndescription: y\nstate:\n  V: 0\nequations:\n  V: 0\n");
        has_error(&errs, &["`name` must be the model's name", "found a sequence", "m.yml:1:7"]);
        let (_, errs) = parse(&minimal("equations:\n  V: 0\nparameters_extra: 1\n  bad: [\n"));
        assert!(!errs.is_empty());
    }

    #[test]
    fn merge_keys_are_refused_where_written() {
        let text =
            "name: x\ndescription: y\ncommon: &c\n  tau: 10 ms\nstate:\n  V: 0\nparameters:\n  <<: *c\n  El: 0\nequations:\n  V: 0\n";
        let (m, errs) = parse(text);
        assert_eq!(errs.len(), 1, "{}", errs.join("\n\n"));
        has_error(&errs, &["YAML merge keys (`<<`) are not supported in model files: write the entries out", "m.yml:8:3"]);
        assert_eq!(names(&m.unwrap().ast.params), ["El"]);
    }

    /// A byte-order mark takes no column, and CRLF or CR alone end lines as LF does: the
    /// errors of a file saved on Windows point where they do in the same file with LF.
    #[test]
    fn bom_and_line_ends_do_not_move_positions() {
        let text = "name: [a]\ndescription: y\nstate:\n  V: 0\nequations:\n  V: 1 +\nparameters:\n  El: -60 mV/\n";
        for (label, file) in [
            ("LF", text.to_string()),
            ("BOM", format!("\u{feff}{text}")),
            ("CRLF", text.replace('\n', "\r\n")),
            ("CR", text.replace('\n', "\r")),
            ("BOM CRLF", format!("\u{feff}{}", text.replace('\n', "\r\n"))),
        ] {
            let (_, errs) = parse(&file);
            has_error(&errs, &["`name` must be the model's name", "m.yml:1:7", "1 | name: [a]\n  |       ^^^"]);
            has_error(&errs, &["expected an expression after `+`", "m.yml:6:8"]);
            has_error(&errs, &["malformed unit `mV/`", "m.yml:8:13", "8 |   El: -60 mV/\n"]);
            assert!(errs.iter().all(|e| !e.contains(['\r', '\u{feff}'])), "{label}: {errs:?}");
        }
    }

    /// The description becomes the type's docs, which rustdoc doctests in the crate that
    /// includes the model: a bare fence or an indented block there must not be Rust.
    #[test]
    fn free_text_does_not_become_doctests() {
        let text = "name: m\ndescription: |\n  A passive membrane:\n  ```\n  dV/dt = (El - V)/tau\n  ```\n\n      indented\n  ~~~python\n    x = 1\n  ~~~\n\
                    comments: \"```rust,should_panic\\n  body\\n```\"\nstate:\n  V: 0\nequations:\n  V: 0\n";
        let (m, errs) = parse(text);
        assert!(errs.is_empty(), "{}", errs.join("\n\n"));
        #[rustfmt::skip]
        let expected = [
            " A passive membrane:", " ```text", " dV/dt = (El - V)/tau", " ```", " ", " indented",
            " ~~~python", "   x = 1", " ~~~", "", " ```text", "   body", " ```",
        ];
        assert_eq!(m.unwrap().ast.doc, expected);
    }

    #[test]
    fn unit_errors_point_at_the_unit() {
        let (m, errs) = parse(&minimal("equations:\n  V: 0\nforcing:\n  I: 2 pA/(ms\n"));
        assert!(m.is_some());
        has_error(&errs, &["malformed unit", "m.yml:10:"]);
    }
}
