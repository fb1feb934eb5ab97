// Mistake: `include_model!` names a file that does not exist.
spyks::include_model!("models/does_not_exist.yml");

fn main() {}
