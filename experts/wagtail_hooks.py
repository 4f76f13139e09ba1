from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from knowledge.models import PERSON_LINKS_HOOK

from .directory import directory_page


@hooks.register(PERSON_LINKS_HOOK)
def link_to_the_directory(person, request):
    """Every person card links to the person's department in the expert directory."""
    page = directory_page()
    if page is None:
        return []
    query = "?" + urlencode({"department": person.department.code}) if person.department_id else ""
    return [(_("ดูในทำเนียบผู้รู้"), f"{page.get_url(request=request)}{query}#person-{person.pk}")]
