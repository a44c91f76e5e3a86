from .offices import DepartmentForm, OfficeContactForm, OfficeForm
from .people import MemberAddForm, MembershipRoleForm, UserCreateForm, UserOfficeAddForm

__all__ = [
    "DepartmentForm",
    "MemberAddForm",
    "MembershipRoleForm",
    "OfficeContactForm",
    "OfficeForm",
    "UserCreateForm",
    "UserOfficeAddForm",
]
