//! The model files shipped with the Python spyks 0.7, compiled unchanged by `include_model!`
//! (the files and their provenance are in `spyks-core/models/spyks/`).

crate::include_model!("../../models/spyks/adex.yml");
crate::include_model!("../../models/spyks/biocm.yml");
crate::include_model!("../../models/spyks/nakl.yml");
crate::include_model!("../../models/spyks/passive.yml");
crate::include_model!("../../models/spyks/passive_ei.yml");
crate::include_model!("../../models/spyks/pospischil.yml");
