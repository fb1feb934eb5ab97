// Mistake: the model file is not valid YAML (an unclosed flow mapping).
spyks::include_model!("models/syntax_error.yml");

fn main() {}
