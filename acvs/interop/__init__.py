"""Connectors in and out: DATAtourisme, Apidae, Tourinsoft, legacy files; exports and feeds."""
