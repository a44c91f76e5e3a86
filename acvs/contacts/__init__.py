"""Each office's prospect file: contacts, their consents and rights (never shared between offices)."""
