"""One module per estimator family; each defines cases(kit) yielding generate.Case."""
