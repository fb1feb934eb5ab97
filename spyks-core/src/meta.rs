//! Compile-time descriptions of a model's variables, for docs, messages, files and plots.

/// What kind of variable an entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VarKind {
    /// A state variable (integrated).
    State,
    /// A parameter.
    Param,
    /// An input (forcing).
    Input,
    /// A named intermediate expression (read-only).
    Expr,
}

/// Name, kind and units of one variable of a model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VarInfo {
    /// The name as declared.
    pub name: &'static str,
    /// What kind of variable it is.
    pub kind: VarKind,
    /// Its unit in the internal system, e.g. `"mV"` or `"nS/µm^2"`.
    pub unit: &'static str,
    /// The unit the model file declared it in, e.g. `"mS/cm^2"`.
    pub declared_unit: &'static str,
    /// The SI value of one internal unit of this dimension (`1e-3` for mV), so that
    /// `si = internal * si_per_unit`.
    pub si_per_unit: f64,
    /// Exponents of (length, mass, time, current, temperature, amount, luminosity), as uom
    /// orders them; `None` for fractional dimensions.
    pub dimension: Option<[i32; 7]>,
    /// The default (parameters, inputs) or initial (state) value in internal units.
    pub default: f64,
    /// The doc comment.
    pub doc: &'static str,
}
