from .logins import LockoutForm
from .offices import DepartmentForm, OfficeContactForm, OfficeForm
from .people import MemberAddForm, MembershipRoleForm, UserCreateForm, UserOfficeAddForm

__all__ = [
    "DepartmentForm",
    "LockoutForm",
    "MemberAddForm",
    "MembershipRoleForm",
    "OfficeContactForm",
    "OfficeForm",
    "UserCreateForm",
    "UserOfficeAddForm",
]
