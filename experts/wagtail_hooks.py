import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from base.models import PublicContentVersion
from knowledge.models import PERSON_LINKS_HOOK

from .directory import directory_page


@hooks.register(PERSON_LINKS_HOOK)
def link_to_the_directory(person, request):
    """Every person card links to the person's department in the expert directory."""
    url = directory_url(request)
    if not url:
        return []
    query = "?" + urlencode({"department": person.department.code}) if person.department_id else ""
    return [(_("ดูในทำเนียบผู้รู้"), f"{url}{query}#person-{person.pk}")]


def directory_url(request):
    """The directory page's URL ("" without one). Two queries per card, so kept per structure
    version: its path, liveness and privacy change only with it (base.content_version)."""
    if request is None:
        page = directory_page()
        return page.get_url() if page else ""
    where = f"{request.get_host()}:{request.get_port()}:{translation.get_language()}"
    digest = hashlib.sha256(where.encode()).hexdigest()
    key = f"expert-directory-url:s{PublicContentVersion.versions_for_request(request).structure}:{digest}"
    url = cache.get(key)
    if url is None:
        page = directory_page()
        url = page.get_url(request=request) if page else ""
        cache.set(key, url, settings.KHLANG_PAGE_CACHE_SECONDS)
    return url
