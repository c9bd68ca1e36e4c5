from django.contrib import admin

from signin.models import SignInFailure


@admin.register(SignInFailure)
class SignInFailureAdmin(admin.ModelAdmin):
    """The failed sign-in log: read-only, for editors."""

    list_display = ["at", "username", "user", "step", "address", "user_agent"]
    list_filter = ["step", "at"]
    search_fields = ["username", "address"]
    date_hierarchy = "at"
    list_select_related = ["user"]
    fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
