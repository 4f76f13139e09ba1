"""Attachments follow their page: a document is served only to readers of a page that uses it.

Why a serve-time check through Wagtail's ReferenceIndex rather than collection privacy:
a document's privacy is then *derived* from the pages that attach it, at the moment it
is asked for, so it can never fall out of step with them. Collection privacy would have
to be kept in step by hand (or by signals) whenever a page is made private or public,
published, unpublished, retired, or starts or stops attaching the document, and one
document may be attached to a public page and a staff-only one at once, which a single
collection cannot express. The ReferenceIndex already records every use of a document
(attachment blocks, links in rich text), so the check is one indexed query plus the
page visibility every other surface uses (base.visibility).

Rules (the `before_serve_document` hook in knowledge.wagtail_hooks):
- some live page that attaches the document is readable by the requester → served;
- editors and other users of the admin → served (they preview drafts with their files);
- anonymous, and a live page attaching it is open to signed-in staff → the login page;
- otherwise (only drafts, retired or restricted pages, or no page at all) → 404.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import reverse
from wagtail.models import Page, ReferenceIndex

from base.visibility import is_signed_in, readable_pages


def pages_using(document):
    """The pages whose content references this document (attachments, rich-text links)."""
    references = ReferenceIndex.get_references_to(document).filter(
        base_content_type__app_label="wagtailcore", base_content_type__model="page"
    )
    return Page.objects.filter(pk__in=[int(r.object_id) for r in references])


def may_download(document, user):
    if is_signed_in(user) and user.has_perm("wagtailadmin.access_admin"):
        return True
    return readable_pages(user, pages_using(document).live()).exists()


def check_document_access(document, request):
    """before_serve_document: None to serve the file, or a response (login) / Http404."""
    user = getattr(request, "user", None)
    if may_download(document, user):
        return None
    if not is_signed_in(user) and pages_using(document).live().exists():
        # Attached to a live page the public may not read: staff may, once signed in.
        login_url = getattr(settings, "WAGTAIL_FRONTEND_LOGIN_URL", None) or reverse("wagtailcore_login")
        return redirect_to_login(request.get_full_path(), login_url)
    raise Http404
