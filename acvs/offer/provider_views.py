from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from acvs.core.audit import audit_history
from acvs.core.forms import SearchTextForm, attach_errors, formset_rows
from acvs.core.paginator import paginate
from acvs.network import rules

from . import providers
from .forms import ContactFormSet, ProviderForm, communes_for_datalist
from .models import Provider


def provider_list(request):
    search = SearchTextForm(request.GET)
    text = search.text()
    page = paginate(request, providers.providers_search(text), 30)
    context = {"page": page, "q": text, "search_errors": search.errors.get("q", [])}
    return render(request, "offer/provider_list.html", context, status=400 if search.errors else 200)


def provider_detail(request, pk):
    provider = providers.get_provider(pk)
    context = {
        "provider": provider,
        "offers": provider.offers.select_related("commune").order_by("name"),
        "can_change": rules.can_change_provider(request.membership, provider),
        "history": audit_history(provider)[:30],
    }
    return render(request, "offer/provider_detail.html", context)


def _edit(request, provider: Provider | None):
    instance = provider or Provider()
    if request.method == "POST":
        form = ProviderForm(request.POST, instance=instance)
        contacts = ContactFormSet(request.POST, instance=instance, prefix="contacts")
        if form.is_valid() and contacts.is_valid():
            try:
                saved = providers.provider_save(
                    membership=request.membership, provider=provider, fields=form.cleaned_data,
                    contacts=formset_rows(contacts),
                )  # fmt: skip
                messages.success(request, _("Provider “%(name)s” saved.") % {"name": saved.name})
                return redirect("offer:provider_detail", saved.pk)
            except ValidationError as error:
                attach_errors(form, error)
    else:
        form = ProviderForm(instance=instance)
        contacts = ContactFormSet(instance=instance, prefix="contacts")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "contacts": contacts, "provider": provider, "communes": communes_for_datalist()}
    return render(request, "offer/provider_edit.html", context, status=status)


@rules.requires("offer.create")
def provider_create(request):
    return _edit(request, None)


def provider_edit(request, pk):
    provider = providers.get_provider(pk)
    if not rules.can_change_provider(request.membership, provider):
        raise PermissionDenied
    return _edit(request, provider)
