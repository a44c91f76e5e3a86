from .importing import ImportedProvider, ImportedRecord, ImportRun, LegacySource, Source

__all__ = ["ImportRun", "ImportedProvider", "ImportedRecord", "LegacySource", "Source"]
