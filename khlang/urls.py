from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView, TemplateView
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from base import routing
from knowledge.feeds import LatestKnowledgeAtomFeed, LatestKnowledgeFeed
from search import views as search_views

from . import views

urlpatterns = [
    path("django-admin/", admin.site.urls),
    # Wagtail has no page at /admin/reports/ (its reports are a menu): the site's history stands in.
    path("admin/reports/", RedirectView.as_view(pattern_name="wagtailadmin_reports:site_history")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search_views.search, name="search"),
    path("api/search/", search_views.api_search, name="api_search"),
    path("api/search/suggest/", search_views.api_suggest, name="api_search_suggest"),
    path("feeds/latest/", LatestKnowledgeFeed(), name="feed_latest"),
    path("feeds/latest/atom/", LatestKnowledgeAtomFeed(), name="feed_latest_atom"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("privacy/", TemplateView.as_view(template_name="readership/privacy.html"), name="privacy"),
    path("language/<str:code>/", views.switch_language, name="switch_language"),
    path("healthz/", views.health, name="health"),
    path("_util/content-version/", views.content_version, name="content_version"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's own serve pattern only accepts \w characters, which excludes Thai
# vowel and tone marks (combining marks), so pages with readable Thai slugs
# would 404. These are wagtail.urls with a serve pattern that accepts them.
urlpatterns += [
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        wagtail_views.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path(
        "_util/login/",
        auth_views.LoginView.as_view(template_name="wagtailcore/login.html"),
        name="wagtailcore_login",
    ),
    # base.routing.serve: Wagtail's serve view, with routes kept per content version
    re_path(r"^((?:[^/]+/)*)$", routing.serve, name="wagtail_serve"),
]
