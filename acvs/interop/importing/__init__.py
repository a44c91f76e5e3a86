"""Imports of other systems' offers. One connector per source reads a file into mapped records (pure); `run`
resolves them against the base and writes through the offer services, with a dry run and an all-or-nothing commit."""
