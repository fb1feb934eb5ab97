// Mistake: a unit error inside a YAML equation (a voltage plus a current); the message names
// the file, line and column and shows the offending snippet.
spyks::include_model!("models/unit_error.yml");

fn main() {}
