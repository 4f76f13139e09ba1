from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from wagtail.models import Site

from base.models import AgencySettings

from .models import published_knowledge

FEED_SIZE = 30


class LatestKnowledgeFeed(Feed):
    """RSS of newly published knowledge: only live, public items."""

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return Site.find_for_request(request)

    def title(self, site):
        name = AgencySettings.for_site(site).name if site else ""
        return _("ความรู้ล่าสุด — %(agency)s") % {"agency": name}

    def link(self, site):
        return site.root_page.url if site else "/"

    def description(self, site):
        return _("องค์ความรู้ แนวปฏิบัติที่ดี และสรุปการเสวนาที่เผยแพร่ใหม่")

    def items(self, site):
        return published_knowledge().order_by("-first_published_at")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_url(request=self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [str(item.category)] if item.category_id else []


class LatestKnowledgeAtomFeed(LatestKnowledgeFeed):
    feed_type = Atom1Feed
    subtitle = LatestKnowledgeFeed.description
