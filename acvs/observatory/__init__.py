"""Statistics of demand and offer/demand fit, from rollup tables kept by the worker."""
