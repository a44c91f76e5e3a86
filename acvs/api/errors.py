"""How the API's refusals read: a status and a reason (or each field's errors), never a page."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from acvs.core.exceptions import ConflictError


def exception_handler(exc, context):
    """The services' refusals as API answers: a stale version 409, invalid data 400 with the fields' errors."""
    if isinstance(exc, ConflictError):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(errors, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):  # not Django's "No Offer matches the given query": the model's name is not the API's
        exc = NotFound()
    if isinstance(exc, PermissionDenied) and not exc.args:
        exc = PermissionDenied(_("You are not allowed to do this."))
    return drf_exception_handler(exc, context)
