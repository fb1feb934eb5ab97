//! The item emitted when a model has errors: an empty model of the same name, so that code
//! using it compiles on and the user sees the real error, not a cascade of "cannot find type".

use crate::ast::ModelAst;
use crate::ir::Model;

/// A model with the same name and visibility as `ast` but no variables.
pub fn empty_model(ast: &ModelAst) -> Model {
    Model {
        name: ast.name.name.clone(),
        vis: ast.vis.clone(),
        doc: vec![" (This model failed to compile; see the errors.)".into()],
        origin: ast.origin.clone(),
        state: Vec::new(),
        params: Vec::new(),
        inputs: Vec::new(),
        named: Vec::new(),
        named_defs: Vec::new(),
        rhs: Vec::new(),
        threshold: None,
        reset: Vec::new(),
        clip: Vec::new(),
        refractory: None,
        tables: None,
    }
}
