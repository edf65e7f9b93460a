"""The atomistic modelling and chemistry extension (AMML.md): structures, calculators,
algorithms, properties, constraints, species and reactions on ASE.

Everything that knows about atoms lives in this package. The core language reaches it
through a few hooks (evaluation and typing rules registered on first use, values that
know their printed form, accessors and stored form), so a model that uses none of it
never imports this package, and ASE is imported only when a value needs it.
"""
