// Mistake: a derived model whose `base:` names a model file that does not exist.
spyks::include_model!("models/missing_base.yml");

fn main() {}
