"""Consent as a record: given, recorded by whom, withdrawn; withdrawal clears every public surface
at once, cached pages included."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cop.models import CommunityPage
from experts.models import ExpertDirectoryPage
from knowledge.models import ConsentRecord, KnowledgeArticle, Person

pytestmark = pytest.mark.django_db


def test_demo_and_migrated_consent_are_records():
    chatchai = Person.objects.get(email="chatchai@example.org")
    record = chatchai.current_consent()
    assert record and record.given_at and record.note
    assert set(Person.objects.filter(public_consent=True)) == {
        r.person for r in ConsentRecord.objects.filter(withdrawn_at=None)
    }


def test_migration_turns_the_old_checkbox_into_records():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("knowledge.migrations.0003_consent_from_checkbox")
    person = Person.objects.create(name="นางเดิม ยินยอม", position="ทดสอบ")
    Person.objects.filter(pk=person.pk).update(public_consent=True)  # as the checkbox left it
    migration.checkbox_to_records(apps, None)
    assert ConsentRecord.objects.get(person=person).note == migration.NOTE


def test_withdrawal_removes_the_name_everywhere_at_once(client, staff):
    chatchai = Person.objects.get(email="chatchai@example.org")
    article = KnowledgeArticle.objects.live().public().filter(holder=chatchai).first()
    community = CommunityPage.objects.live().filter(members__person=chatchai).first()
    directory = ExpertDirectoryPage.objects.live().get()
    urls = [article.url, community.url, directory.url, reverse("search") + "?q=" + article.title]
    for url in urls[:3]:  # fill the page and fragment caches while the name may be shown
        client.get(url)
        assert chatchai.name in client.get(url).content.decode(), url
    assert client.get(article.url)["X-Khlang-Cache"] == "hit"

    chatchai.withdraw_consent(withdrawn_by=staff["editor"], note="ขอถอนทางอีเมล")

    record = chatchai.consent_records.get()
    assert record.withdrawn_at <= timezone.now() and record.withdrawn_by == staff["editor"]
    for url in urls:
        assert chatchai.name not in client.get(url).content.decode(), url


def test_admin_records_who_gave_and_withdrew_consent(admin_client, staff):
    jintana = Person.objects.get(email="jintana@example.org")
    add = reverse("wagtailsnippets_knowledge_consentrecord:add")
    response = admin_client.post(add, {"person": jintana.pk, "given_at": "2025-01-06 09:00", "note": "หนังสือยินยอม"})
    assert response.status_code == 302, response.content.decode()[:2000]
    record = ConsentRecord.objects.get(person=jintana)
    assert record.recorded_by == staff["admin"]
    jintana.refresh_from_db()
    assert jintana.public_consent

    edit = reverse("wagtailsnippets_knowledge_consentrecord:edit", args=[record.pk])
    response = admin_client.post(edit, {
        "person": jintana.pk, "given_at": "2025-01-06 09:00", "note": "หนังสือยินยอม", "withdrawn_at": "2025-02-03 10:00",
    })
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.withdrawn_by == staff["admin"]
    jintana.refresh_from_db()
    assert not jintana.public_consent


def test_admin_person_list_searches_expertise(admin_client):
    response = admin_client.get(reverse("wagtailsnippets_knowledge_person:list"), {"q": "LTAX3000"})
    page = response.content.decode()
    assert "นายฉัตรชัย สายทอง" in page and "นางสาวกนกวรรณ ทองดี" not in page


def test_admin_person_form_points_to_the_consent_records(admin_client):
    chatchai = Person.objects.get(email="chatchai@example.org")
    page = admin_client.get(reverse("wagtailsnippets_knowledge_person:edit", args=[chatchai.pk])).content.decode()
    assert "บันทึกความยินยอม" in page and 'name="public_consent"' not in page
