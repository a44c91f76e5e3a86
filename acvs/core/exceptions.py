from django.utils import timezone
from django.utils.translation import gettext as _


class ConflictError(Exception):
    """Someone else saved the record since it was loaded: the save is refused, nothing is lost silently."""


def check_version(locked, version: int, message: str) -> None:
    """Refuse a save based on an older version of `locked` (read under lock) with `message`, a translated text with
    %(user)s and %(time)s: who saved in between, and when."""
    if locked.version != version:
        raise ConflictError(
            message
            % {
                "user": locked.updated_by or _("Someone"),
                "time": timezone.localtime(locked.updated_at).strftime("%H:%M:%S"),
            }
        )
