from django.db import migrations

HOME_TITLE = "คลังความรู้"
HOME_SLUG = "คลังความรู้"


def create_km_home(apps, schema_editor):
    """Replace Wagtail's welcome page with the KM home page as the site root."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    KMHomePage = apps.get_model("home.KMHomePage")

    welcome_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=welcome_type, depth=2, slug="home").delete()
    root = Page.objects.get(depth=1)
    home_type, _ = ContentType.objects.get_or_create(model="kmhomepage", app_label="home")
    home = KMHomePage.objects.create(
        title=HOME_TITLE,
        draft_title=HOME_TITLE,
        slug=HOME_SLUG,
        content_type=home_type,
        path=root.path + "0001",
        depth=2,
        numchild=0,
        url_path=f"/{HOME_SLUG}/",
        locale=Locale.objects.order_by("pk").first(),
        live=True,
    )
    root.numchild = 1
    root.save(update_fields=["numchild"])
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)


def remove_km_home(apps, schema_editor):
    apps.get_model("home.KMHomePage").objects.filter(depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [("home", "0001_initial")]

    operations = [migrations.RunPython(create_km_home, remove_km_home)]
