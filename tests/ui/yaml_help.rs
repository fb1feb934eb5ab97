// Mistakes in a YAML model: a symbol declared nowhere (`qqq`), an equation for an undeclared
// variable (`z`), and a state variable without an equation (`w`). The help says where to fix
// them in the YAML file's own terms (`state:`, `forcing:`, `equations:`).
spyks::include_model!("models/yaml_help.yml");

fn main() {}
