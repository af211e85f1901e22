from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from archive import views

admin.site.site_header = f"{settings.PUBLISHER['name']} archive"
admin.site.site_title = "Archive admin"
admin.site.index_title = "Editorial database"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("", include("briefs.urls")),
    path("admin/", admin.site.urls),
]
