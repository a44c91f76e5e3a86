"""The whole small network at once, for the permission matrix and the happy paths."""

from types import SimpleNamespace

import pytest

from acvs.network.models import Membership

from .helpers import ACTORS


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(
    cavalaire, croix_valmer, greoux, cdt_var, network_admin, department_admin, manager, agent, partner, other_agent,
    ahp_agent,
):  # fmt: skip
    """Every office and every person; `ms[actor]` is that person's (single) membership."""
    people = dict(
        zip(ACTORS, [network_admin, department_admin, manager, agent, partner, other_agent, ahp_agent], strict=True)
    )
    memberships = {m.user_id: m for m in Membership.objects.select_related("user", "office", "office__department")}
    return SimpleNamespace(
        cavalaire=cavalaire,
        croix_valmer=croix_valmer,
        greoux=greoux,
        cdt_var=cdt_var,
        people=people,
        ms={name: memberships[user.pk] for name, user in people.items()},
    )
