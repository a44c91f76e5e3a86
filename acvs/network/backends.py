"""Authentication backend: the user and the offices they act for, read together."""

from django.contrib.auth.backends import ModelBackend

from .middleware import active_memberships


class MembershipBackend(ModelBackend):
    """Every page needs the user and their active memberships (OfficeMiddleware): one query instead of two.

    A user without an active membership (a superuser, someone whose offices were all closed) is read alone.
    """

    def get_user(self, user_id):
        memberships = list(active_memberships(user_id).select_related("user"))
        if not memberships:
            return super().get_user(user_id)
        user = memberships[0].user
        for m in memberships:
            m.user = user
        user.active_memberships = memberships
        return user if self.user_can_authenticate(user) else None
