// Mistake: a YAML equation uses a symbol that is not declared (`gL` for `gl`).
spyks::include_model!("models/unknown_symbol.yml");

fn main() {}
