"""A few general starter synonyms of KM and Thai local government; editors keep the rest."""

from django.db import migrations

STARTER_GROUPS = [
    "KM\nการจัดการความรู้\nเคเอ็ม",
    "CoP\nชุมชนนักปฏิบัติ\nชุมชนแห่งการปฏิบัติ",
    "AAR\nAfter Action Review\nการทบทวนหลังการปฏิบัติงาน",
    "อปท.\nองค์กรปกครองส่วนท้องถิ่น",
    "อบต.\nองค์การบริหารส่วนตำบล",
    "อบจ.\nองค์การบริหารส่วนจังหวัด",
    "e-GP\nระบบจัดซื้อจัดจ้างภาครัฐ\nอีจีพี",
    "IDP\nแผนพัฒนารายบุคคล\nแผนพัฒนาบุคลากรรายบุคคล",
    "One Stop Service\nOSS\nจุดบริการเบ็ดเสร็จ\nศูนย์บริการเบ็ดเสร็จ",
    "KPI\nตัวชี้วัด",
    "Best Practice\nแนวปฏิบัติที่ดี",
    "QR Code\nคิวอาร์โค้ด",
    "IT\nไอที\nเทคโนโลยีสารสนเทศ",
    "พ.ร.บ.\nพระราชบัญญัติ",
    "ผู้สูงอายุ\nผู้สูงวัย\nคนชรา",
]


def seed(apps, schema_editor):
    synonym = apps.get_model("search", "SearchSynonym")
    for terms in STARTER_GROUPS:
        synonym.objects.get_or_create(terms=terms)


def unseed(apps, schema_editor):
    apps.get_model("search", "SearchSynonym").objects.filter(terms__in=STARTER_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0005_search_synonym")]

    operations = [migrations.RunPython(seed, unseed)]
