from django.urls import path

from .views import departments, logins, offices, people, switch

app_name = "network"
urlpatterns = [
    path("switch/", switch.switch_office, name="switch_office"),
    path("departments/", departments.department_list, name="departments"),
    path("departments/new/", departments.department_create, name="department_create"),
    path("departments/<id:pk>/edit/", departments.department_edit, name="department_edit"),
    path("offices/", offices.office_list, name="offices"),
    path("offices/new/", offices.office_create, name="office_create"),
    path("offices/<id:pk>/", offices.office_detail, name="office_detail"),
    path("offices/<id:pk>/edit/", offices.office_edit, name="office_edit"),
    path("offices/<id:pk>/deactivate/", offices.office_deactivate, name="office_deactivate"),
    path("offices/<id:pk>/members/add/", offices.member_add, name="member_add"),
    path("users/", people.user_list, name="users"),
    path("users/new/", people.user_create, name="user_create"),
    path("users/<id:pk>/", people.user_detail, name="user_detail"),
    path("users/<id:pk>/offices/add/", people.user_office_add, name="user_office_add"),
    path("memberships/<id:pk>/edit/", people.membership_edit, name="membership_edit"),
    path("memberships/<id:pk>/deactivate/", people.membership_deactivate, name="membership_deactivate"),
    path("logins/", logins.login_audit, name="logins"),
    path("logins/unlock/", logins.lockout_lift, name="lockout_lift"),
]
