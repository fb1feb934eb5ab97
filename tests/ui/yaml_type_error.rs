// Mistake: `state` is a list of numbers instead of a mapping `name: quantity`.
spyks::include_model!("models/type_error.yml");

fn main() {}
