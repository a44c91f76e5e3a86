"""Demo data for ACVS: the real network of Var (83) and Alpes-de-Haute-Provence (04) with invented offers.

An app without models, the top of the house (it may import every app): `manage.py load_demo` (acvs.demo.loader).
"""
