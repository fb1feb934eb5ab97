//! The `neuron_model!` and `include_model!` macros. All the work is in `spyks-lang`.
use proc_macro::TokenStream;

/// Defines a neuron model inline.
#[proc_macro]
pub fn neuron_model(input: TokenStream) -> TokenStream {
    input
}

/// Includes a model from a spyks YAML file.
#[proc_macro]
pub fn include_model(input: TokenStream) -> TokenStream {
    input
}
