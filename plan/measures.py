"""What the site can measure for a KM plan: one entry per indicator the plan can target.

The keys are read by other tools (`km_indicators --json`): keep them.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str
    lower_is_better: bool = False


MEASURES = [
    Measure("items_published", _("ความรู้ที่เผยแพร่"), _("เรื่อง")),
    Measure("best_practices_published", _("แนวปฏิบัติที่ดีที่เผยแพร่"), _("เรื่อง")),
    Measure("items_refined", _("ความรู้ที่ผ่านการกลั่นกรองครบตามรายการตรวจ"), _("เรื่อง")),
    Measure("exchange_meetings", _("เวทีแลกเปลี่ยนเรียนรู้ที่จัด"), _("ครั้ง")),
    Measure("meeting_participants", _("ผู้เข้าร่วมเวทีแลกเปลี่ยนเรียนรู้"), _("คน")),
    Measure("active_communities", _("ชุมชนนักปฏิบัติที่มีการพบกัน"), _("ชุมชน")),
    Measure("accesses", _("การเข้าถึงความรู้"), _("ครั้ง")),
    Measure("knowledge_needs_captured", _("ความรู้ที่จำเป็นซึ่งบันทึกในคลังแล้ว"), _("เรื่อง")),
    Measure("items_overdue_review", _("ความรู้ที่เลยกำหนดทบทวน"), _("เรื่อง"), lower_is_better=True),
    Measure("items_retired", _("ความรู้ที่ปลดระวาง"), _("เรื่อง")),
    Measure("searches_without_results", _("การค้นหาที่ไม่พบผลลัพธ์"), _("ครั้ง"), lower_is_better=True),
]
BY_KEY = {measure.key: measure for measure in MEASURES}

# An activity whose indicator no record can give (e.g. the share of staff who know the
# KM goal): its measured value is entered by hand, with evidence.
MANUAL = "manual"
MEASURE_CHOICES = [
    ("", _("— ไม่วัด —")),
    *[(measure.key, measure.label) for measure in MEASURES],
    (MANUAL, _("กรอกผลเอง (พร้อมหลักฐาน)")),
]

# The one hook through which an app that counts reads reports them (the access-counts app):
# fn(first_day, last_day) → {page_id: reads}, over the inclusive range of days.
COUNT_ACCESSES_HOOK = "count_accesses"
