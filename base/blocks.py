from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]


def name_the_input(block, label):
    """Wagtail shows a stream or list child's label only in its header, not as the input's <label>."""
    block.field.widget.attrs["aria-label"] = label


class HeadingBlock(blocks.CharBlock):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_the_input(self, self.meta.label)

    class Meta:
        icon = "title"
        label = _("หัวข้อ")
        template = "blocks/heading.html"


class StepsBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(
            blocks.TextBlock(label=_("ขั้นตอน")),
            **kwargs,
        )
        name_the_input(self.child_block, self.child_block.label)

    class Meta:
        icon = "list-ol"
        label = _("ขั้นตอนเป็นข้อ ๆ")
        template = "blocks/steps.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("รูปภาพ"))
    alt_text = blocks.CharBlock(
        label=_("ข้อความแทนภาพ"),
        help_text=_("บรรยายภาพสำหรับผู้ที่มองไม่เห็นภาพ (จำเป็นต่อการเข้าถึงได้)"),
    )
    caption = blocks.CharBlock(label=_("คำบรรยายใต้ภาพ"), required=False)

    class Meta:
        icon = "image"
        label = _("รูปภาพ")
        template = "blocks/image.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("เอกสาร"))
    title = blocks.CharBlock(
        label=_("ชื่อที่แสดง"), required=False, help_text=_("เว้นว่างเพื่อใช้ชื่อเอกสาร")
    )

    class Meta:
        icon = "doc-full"
        label = _("เอกสาร")
        template = "blocks/document.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("ชนิด"),
        choices=[
            ("tip", _("เคล็ดลับ")),
            ("note", _("หมายเหตุ")),
            ("warning", _("ข้อควรระวัง")),
        ],
        default="tip",
    )
    text = blocks.RichTextBlock(label=_("ข้อความ"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        label = _("กล่องข้อความเน้น")
        template = "blocks/callout.html"


class KnowledgeBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("ย่อหน้า"), features=RICH_TEXT_FEATURES, icon="pilcrow"
    )
    steps = StepsBlock()
    table = TableBlock(
        label=_("ตาราง"),
        template="blocks/table.html",
        table_options={"contextMenu": True, "startRows": 3, "startCols": 3},
    )
    image = CaptionedImageBlock()
    document = DocumentLinkBlock()
    callout = CalloutBlock()


class AttachmentsBlock(blocks.StreamBlock):
    document = DocumentChooserBlock(label=_("ไฟล์แนบ"))


class RelatedPagesBlock(blocks.StreamBlock):
    page = blocks.PageChooserBlock(label=_("หน้าที่เกี่ยวข้อง"))


class KnowledgeAssetBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("ชื่อขุมความรู้"))
    description = blocks.TextBlock(label=_("รายละเอียด"))

    class Meta:
        icon = "pick"
        label = _("ขุมความรู้")


class KnowledgeAssetsBlock(blocks.StreamBlock):
    asset = KnowledgeAssetBlock()
