"""What every management view shares: the entry check, service errors on forms."""

from django.core.exceptions import PermissionDenied, ValidationError

from acvs.core.forms import attach_errors


def require(allowed: bool) -> None:
    """Forbidden actions answer 403; objects out of reach answer 404 earlier, in the lookups."""
    if not allowed:
        raise PermissionDenied


def show_errors(form, error: ValidationError, rename: dict[str, str] | None = None) -> None:
    """A service's refusal goes under the field it concerns (`rename`: service name -> form field), or on top."""
    if rename and hasattr(error, "error_dict"):
        error = ValidationError({rename.get(name, name): errors for name, errors in error.error_dict.items()})
    attach_errors(form, error)


def posted(request):
    return request.POST if request.method == "POST" else None


def shown_again(request) -> int:
    """The status of a form page: 400 when it comes back after a refused POST (the views redirect on success)."""
    return 400 if request.method == "POST" else 200
