"""Demo data for ACVS: the real network of Var (83) and Alpes-de-Haute-Provence (04) with invented offers.

Plain modules, not a Django app; run through `manage.py load_demo` (see acvs.demo.loader).
"""
