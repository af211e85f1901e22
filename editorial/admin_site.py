"""The admin site: Django's own, with each user's editorial to-do list on its index."""

from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse

from editorial.logins import StaffLoginForm
from editorial.workflow import editorial_dashboard


class ArchiveAdminSite(admin.AdminSite):
    # Refuses sign-in for a while after repeated wrong passwords (editorial/logins.py).
    login_form = StaffLoginForm

    def index(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> TemplateResponse:
        # Drafts, reviews, requested changes, scheduled and recent releases:
        # what is this user's to do (templates/admin/index.html shows it).
        extra_context = {
            **(extra_context or {}),
            "dashboard": editorial_dashboard(request.user),
        }
        return super().index(request, extra_context)
