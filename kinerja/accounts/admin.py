"""Set-up of governments, units, officials and accounts by the platform's superusers.

Day-to-day work happens in the application's own pages; the admin is for onboarding a
government. Django records every admin change in its own log (django_admin_log).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from kinerja.accounts.forms import AdminSignInForm
from kinerja.accounts.models import (
    Government,
    Person,
    Position,
    PositionAssignment,
    RoleAssignment,
    Unit,
    User,
)


@admin.register(Government)
class GovernmentAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "province"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "government"]
    list_filter = ["government", "kind"]
    search_fields = ["name", "code", "short_name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "nip", "government"]
    list_filter = ["government"]
    search_fields = ["name", "nip"]


class AssignmentInline(admin.TabularInline):
    model = PositionAssignment
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "unit", "government"]
    list_filter = ["government", "kind"]
    search_fields = ["title"]
    inlines = [AssignmentInline]


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "display_name", "government", "is_active"]
    list_filter = ["government", "is_active", "roles__role"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Kinerja", {"fields": ["government", "person"]}),
    )
    autocomplete_fields = ["person"]
    inlines = [RoleInline]


# The admin's sign-in is throttled by the same rule as the application's.
admin.site.login_form = AdminSignInForm
