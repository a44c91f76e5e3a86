from .importing import ImportedRecord, ImportRun

__all__ = ["ImportRun", "ImportedRecord"]
