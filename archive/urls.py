from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerView

from archive import views
from publishing import oai
from publishing.urls import sitemap_patterns

admin.site.site_header = f"{settings.PUBLISHER['name']} archive"
admin.site.site_title = "Archive admin"
admin.site.index_title = "Editorial database"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("robots.txt", views.robots_txt, name="robots"),
    *sitemap_patterns,
    path("b/<int:pk>/", views.permalink, name="permalink"),
    path("oai/", oai.endpoint, name="oai"),
    path("", include("publishing.urls")),
    path("", include("actors.urls")),
    path("api/v1/", include("archive.api")),
    # Interactive docs for the current version; assets are local static files.
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="api:schema"),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]

# JSON errors under /api/, the site's pages elsewhere.
handler404 = "kernel.rest.page_not_found"
handler500 = "kernel.rest.server_error"
