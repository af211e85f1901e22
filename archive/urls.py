from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularSwaggerView

from archive import views
from languages.views import choose_language
from publishing import oai
from publishing.urls import sitemap_patterns

# Lazy: the admin speaks the editor's language (languages/middleware.py).
admin.site.site_header = format_lazy(
    _("{name} archive"), name=settings.PUBLISHER["name"]
)
admin.site.site_title = _("Archive admin")
admin.site.index_title = _("Editorial database")

# Machine addresses and the admin: unprefixed, one address each.
urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    *sitemap_patterns,
    path("b/<int:pk>/", views.permalink, name="permalink"),
    path("oai/", oai.endpoint, name="oai"),
    path("api/v1/", include("archive.api")),
    # Interactive docs for the current version; assets are local static files.
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="api:schema"),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
    # A draft's preview shared with a reviewer without an account (unprefixed:
    # it is shown in the brief's own language).
    path("", include("editorial.urls")),
    path("language/<str:code>/", choose_language, name="choose-language"),
]

# The public pages, in each language: English unprefixed, /sr/ and /sr-latn/
# for Serbian (languages/codes.py; languages/middleware.py picks the language).
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("about/", views.about, name="about"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("", include("publishing.urls")),
    path("", include("actors.urls")),
    prefix_default_language=False,
)

# JSON errors under /api/, the site's pages elsewhere.
handler404 = "kernel.rest.page_not_found"
handler500 = "kernel.rest.server_error"
