"""10000 independent neurons of the spyks `biocm` model in Brian2 (see brian2_spyks_model.py)."""
from brian2_spyks_model import main

main("biocm")
