class ConflictError(Exception):
    """Someone else saved the record since it was loaded: the save is refused, nothing is lost silently."""
