"""Existing consent (the former checkbox) becomes a consent record, so it has a history."""

from django.db import migrations
from django.utils import timezone

NOTE = "บันทึกจากช่อง “ยินยอมให้เผยแพร่ชื่อ” เดิม เมื่อเปลี่ยนเป็นบันทึกความยินยอม"


def checkbox_to_records(apps, schema_editor):
    Person = apps.get_model("knowledge", "Person")
    ConsentRecord = apps.get_model("knowledge", "ConsentRecord")
    now = timezone.now()
    ConsentRecord.objects.bulk_create(
        ConsentRecord(person=person, given_at=now, note=NOTE)
        for person in Person.objects.filter(public_consent=True)
        if not ConsentRecord.objects.filter(person=person, withdrawn_at=None).exists()
    )


def records_to_checkbox(apps, schema_editor):
    """Back: the checkbox keeps its value (it is still in step); the migrated records go."""
    apps.get_model("knowledge", "ConsentRecord").objects.filter(note=NOTE).delete()


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_consent_records")]

    operations = [migrations.RunPython(checkbox_to_records, records_to_checkbox)]
