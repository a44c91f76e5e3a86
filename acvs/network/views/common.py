"""What every management view shares: the entry check, service errors on forms, safe returns."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

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


def redirect_back(request, default: str):
    """Back to the page the action started from (?next=), if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)
