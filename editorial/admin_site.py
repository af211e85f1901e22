"""The admin site: Django's own, with each user's editorial to-do list on its index."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import LoginView
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from briefs.hooks import public_record
from editorial import second_factor
from editorial.assessments import recommendations_due
from editorial.checks import blocked_briefs
from editorial.logins import StaffLoginForm
from editorial.workflow import (
    DASHBOARD_ROWS,
    UNPUBLISHED,
    editorial_dashboard,
    visible_briefs,
)


class ArchiveAdminSite(admin.AdminSite):
    # Refuses sign-in for a while after repeated wrong passwords (editorial/logins.py).
    login_form = StaffLoginForm

    def has_permission(self, request: HttpRequest) -> bool:
        # Whoever must use a second factor reaches no page without having
        # given a code this session (editorial/second_factor.py).
        return super().has_permission(request) and second_factor.satisfied(request)

    def login(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        """Django's admin sign-in, going on to the code step when one is owed."""
        redirect_url = LoginView().get_redirect_url(request) or reverse(
            "admin:index", current_app=self.name
        )
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(redirect_url)
        context = {
            **self.each_context(request),
            "title": _("Log in"),
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
            REDIRECT_FIELD_NAME: redirect_url,
            **(extra_context or {}),
        }
        request.current_app = self.name
        return second_factor.StaffLoginView.as_view(
            extra_context=context,
            authentication_form=self.login_form,
            template_name=self.login_template or "admin/login.html",
        )(request)

    def index(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> TemplateResponse:
        # Drafts, reviews, requested changes, scheduled and recent releases:
        # what is this user's to do (templates/admin/index.html shows it).
        extra_context = {
            **(extra_context or {}),
            "dashboard": editorial_dashboard(request.user),
            # What an error-level check keeps from publication, with the fix.
            "blocked": blocked_briefs(
                visible_briefs(request.user)
                .not_in_trash()
                .filter(status__in=UNPUBLISHED),
                limit=DASHBOARD_ROWS,
            ),
        }
        # Public translations behind a correction of their original
        # (publishing/translations.py decides, through briefs.hooks).
        if request.user.has_perm("briefs.change_brief"):
            extra_context["stale_translations"] = public_record().stale_translations()
        # Recommendations whose follow-up is due (editorial/assessments.py).
        if request.user.has_perm("briefs.add_assessment"):
            extra_context["due_assessments"] = recommendations_due()
            extra_context["reassess_after_days"] = settings.REASSESS_AFTER_DAYS
        return super().index(request, extra_context)

    def get_urls(self) -> list:
        urls = super().get_urls()
        # Django's "view on site" shortcut redirects any staff user to the
        # public address of any object; ours asks the object's admin first.
        for i, pattern in enumerate(urls):
            if getattr(pattern, "name", None) == "view_on_site":
                view = self.admin_view(self.view_on_site)
                view.admin_site = self
                view.login_url = pattern.callback.login_url
                urls[i] = path(str(pattern.pattern), view, name="view_on_site")
        # Not behind admin_view: whoever uses them is not signed in yet.
        site = {"site": self}
        return [
            path(
                "second-factor/",
                second_factor.token_view,
                site,
                name="second_factor",
            ),
            path(
                "second-factor/enrol/",
                second_factor.enrol_view,
                site,
                name="second_factor_enrol",
            ),
            *urls,
        ]

    def view_on_site(
        self, request: HttpRequest, content_type_id: str, object_id: str
    ) -> HttpResponse:
        """Redirect to an object's public address, if its admin would show it.

        An object the user may not see answers like one that does not exist
        (the admin's own queryset and object permissions decide, so a brief
        follows editorial.workflow.can_view_brief), and so does an object
        whose admin offers no public address (a brief that is not public).
        """
        try:
            model = ContentType.objects.get(pk=int(content_type_id)).model_class()
        except (ValueError, ContentType.DoesNotExist):
            raise Http404(_("No such object.")) from None
        model_admin = self._registry.get(model)
        obj = model_admin and model_admin.get_object(request, unquote(object_id))
        if obj is None or not model_admin.has_view_or_change_permission(request, obj):
            raise Http404(_("No such object."))
        if callable(model_admin.view_on_site):
            url = model_admin.view_on_site(obj)
            if not url:
                raise Http404(_("No such object."))
            return HttpResponseRedirect(url)
        if not model_admin.view_on_site:
            raise Http404(_("No such object."))
        return shortcut(request, content_type_id, object_id)
