"""The groups of the editorial process and the review workflow, created idempotently.

Group and workflow names are data (shown in the admin), written in Thai.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail import hooks
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from cop.models import CoPIndexPage
from knowledge.models import BestPracticeIndexPage, KnowledgeIndexPage

from .models import DepartmentReviewTask, RefinementTask

AUTHORS = "คุณกิจ (ผู้เขียนความรู้)"
REVIEWERS = "หัวหน้าส่วนราชการ (ผู้ตรวจความถูกต้อง)"
EDITORS = "คณะทำงาน KM (ผู้กลั่นกรองและเผยแพร่)"
ADMINISTRATORS = "ผู้ดูแลระบบ"

WORKFLOW = "ประมวลและกลั่นกรองความรู้"
DEPARTMENT_TASK = "ตรวจความถูกต้องโดยหัวหน้าส่วนราชการ"
REFINEMENT_TASK = "กลั่นกรองโดยคณะทำงาน KM"

ACCESS_ADMIN = ["wagtailadmin.access_admin"]
REFERENCE_DATA = [
    f"knowledge.{action}_{model}"
    for model in ("department", "knowledgecategory", "person")
    for action in ("add", "change", "delete")
]
ADMINISTRATION = [
    f"{app}.{action}_{model}"
    for app, model in [
        ("auth", "user"), ("auth", "group"), ("review", "staffmembership"),
        ("wagtailcore", "workflow"), ("wagtailcore", "task"), ("wagtailcore", "site"),
        ("wagtailcore", "collection"), ("wagtailredirects", "redirect"),
        ("wagtailsearchpromotions", "searchpromotion"),
    ]
    for action in ("add", "change", "delete")
] + ["base.change_agencysettings", "wagtailcore.view_workflow", "wagtailcore.view_task"]

# Registration point for apps above this one: fn() → {group name: [dotted permissions]};
# a group named there that does not exist yet is created, with access to the admin.
ROLE_PERMISSIONS_HOOK = "register_role_permissions"
# Registration point for apps above this one: fn(groups) sets up what their roles need beyond
# permissions, such as a workflow of their own, once every group exists ({name: Group}).
SETUP_ROLES_HOOK = "after_setup_roles"

MEDIA_APPS = {"document": "wagtaildocs", "image": "wagtailimages"}


def section_pages():
    """The library sections whose pages go through the review workflow."""
    return [page for model in (KnowledgeIndexPage, BestPracticeIndexPage, CoPIndexPage) for page in model.objects.all()]


def _permission(dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def page_permissions(group, pages, actions):
    """Give `group` these page actions (add, change, publish …) on `pages` and below."""
    page_type = ContentType.objects.get_for_model(Page)
    for page in pages:
        for action in actions:
            permission = Permission.objects.get(content_type=page_type, codename=f"{action}_page")
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def _collection_permissions(group, actions):
    root = Collection.get_first_root_node()
    for model in MEDIA_APPS:
        for action in actions:
            permission = Permission.objects.get(
                content_type__app_label=MEDIA_APPS[model], codename=f"{action}_{model}"
            )
            GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)


def assign_workflow(name, tasks, pages):
    """The workflow of this name, created if missing, with these tasks in this order, on these pages."""
    workflow = Workflow.objects.filter(name=name).first() or Workflow.objects.create(name=name)
    for order, task in enumerate(tasks):
        WorkflowTask.objects.update_or_create(workflow=workflow, task=task, defaults={"sort_order": order})
    for page in pages:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return workflow


def task_for(model, name, group):
    """The task of this type and name, created if missing, that `group` takes."""
    task = model.objects.filter(name=name).first() or model.objects.create(name=name)
    task.groups.add(group)
    return task


@transaction.atomic
def setup_roles():
    """Create or complete the groups, their permissions and the review workflow."""
    groups = {
        name: Group.objects.get_or_create(name=name)[0]
        for name in (AUTHORS, REVIEWERS, EDITORS, ADMINISTRATORS)
    }
    model_permissions = {
        AUTHORS: ACCESS_ADMIN,
        REVIEWERS: ACCESS_ADMIN,
        EDITORS: ACCESS_ADMIN + REFERENCE_DATA,
        ADMINISTRATORS: ACCESS_ADMIN + REFERENCE_DATA + ADMINISTRATION,
    }
    for fn in hooks.get_hooks(ROLE_PERMISSIONS_HOOK):
        for name, permissions in fn().items():
            groups.setdefault(name, Group.objects.get_or_create(name=name)[0])
            model_permissions[name] = model_permissions.get(name, ACCESS_ADMIN) + permissions
    for name, permissions in model_permissions.items():
        groups[name].permissions.add(*[_permission(dotted) for dotted in permissions])

    sections = section_pages()
    site_roots = [site.root_page for site in Site.objects.all()]
    # Authors write in the library sections but cannot publish; reviewers need no
    # page permission: their review task opens the editor for them.
    page_permissions(groups[AUTHORS], sections, ["add", "change"])
    page_permissions(groups[EDITORS], site_roots, ["add", "change", "publish", "lock", "unlock"])
    page_permissions(
        groups[ADMINISTRATORS], [Page.get_first_root_node()],
        ["add", "change", "publish", "bulk_delete", "lock", "unlock"],
    )
    _collection_permissions(groups[AUTHORS], ["add", "choose"])
    _collection_permissions(groups[REVIEWERS], ["choose"])
    _collection_permissions(groups[EDITORS], ["add", "change", "choose", "delete"])
    _collection_permissions(groups[ADMINISTRATORS], ["add", "change", "choose", "delete"])

    tasks = [
        task_for(DepartmentReviewTask, DEPARTMENT_TASK, groups[REVIEWERS]),
        task_for(RefinementTask, REFINEMENT_TASK, groups[EDITORS]),
    ]
    workflow = assign_workflow(WORKFLOW, tasks, sections)
    for fn in hooks.get_hooks(SETUP_ROLES_HOOK):
        fn(groups)
    return groups, workflow, sections
