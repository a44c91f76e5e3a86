"""Resolve the office a user acts for, once per request, and act within its tenancy scope."""

from acvs.core import tenancy

from .models import Membership

SESSION_KEY = "acvs_office_id"


def active_memberships(user):
    """`user`: a user or its id."""
    return (
        Membership.objects.filter(user=user, is_active=True, office__is_active=True)
        .select_related("office", "office__department")
        .order_by("office__name")
    )


class OfficeMiddleware:
    """Sets request.membership (the user's role in the current office) and request.office, and runs the view and
    its template rendering in that office's scope (no office: no office-private row is visible).

    A streaming response is produced after the view returns: its content is read in the scope too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.office = None
        if request.user.is_authenticated:
            # MembershipBackend read them with the user; other backends (tests' force_login) did not.
            memberships = getattr(request.user, "active_memberships", None)
            if memberships is None:
                memberships = list(active_memberships(request.user))
                for m in memberships:
                    m.user = request.user  # already loaded: spares a query wherever membership.user is read
            request.memberships = memberships
            wanted = request.session.get(SESSION_KEY)
            current = next((m for m in memberships if m.office_id == wanted), None)
            if current is None and memberships:
                current = memberships[0]
            if current is not None:
                request.membership = current
                request.office = current.office
        with tenancy.scope_for(office=request.office):
            response = self.get_response(request)
        if response.streaming:
            response.streaming_content = _in_scope(response.streaming_content, request.office)
        return response


def _in_scope(chunks, office):
    """Each chunk is made in the office's scope, which is left between chunks (the server runs there)."""
    iterator = iter(chunks)
    while True:
        with tenancy.scope_for(office=office):
            chunk = next(iterator, None)
        if chunk is None:
            return
        yield chunk
