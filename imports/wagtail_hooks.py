from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from knowledge.models import ATTACHMENT_TEXTS_HOOK

from . import views
from .attachments import attachment_texts
from .importer import Importer

hooks.register(ATTACHMENT_TEXTS_HOOK, attachment_texts)


@hooks.register("register_admin_urls")
def register_import_url():
    return [path("import-documents/", views.import_documents, name="import_documents")]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        library = Importer(kind="article").parent
        return bool(library and library.permissions_for_user(request.user).can_add_subpage())


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(_("นำเข้าเอกสาร"), reverse("import_documents"), icon_name="upload", order=250)
