"""One digit style per page, the agency's choice: dates, counts and addresses alike, links untouched."""

import re
from html.parser import HTMLParser

import pytest

from base.models import AgencySettings
from thai.digits import ARABIC, THAI, THAI_DIGITS


class Reading(HTMLParser):
    """The text a reader sees and the links they follow."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.text, self.links, self.skipping = [], [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "textarea"):
            self.skipping = tag
        if tag == "a" and dict(attrs).get("href"):
            self.links.append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        if tag == self.skipping:
            self.skipping = None

    def handle_data(self, data):
        if not self.skipping:
            self.text.append(data)


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200
    page = Reading(response.content.decode())
    return " ".join(page.text), page.links


def choose(home, style):
    agency = AgencySettings.for_site(home.get_site())
    agency.digits = style
    agency.address = "99/9 หมู่ ๙ ตำบลคลอง"
    agency.save()


@pytest.mark.parametrize("path", ["library", "article"])
def test_thai_style_shows_no_arabic_digit_and_keeps_every_link(client, home, library, article, path):
    url = {"library": library.url, "article": article.url}[path]
    choose(home, ARABIC)
    arabic_text, arabic_links = read(client, url)
    assert re.search(r"[0-9]", arabic_text)  # dates, counts and the address have digits
    assert not re.search(f"[{THAI_DIGITS}]", arabic_text)

    choose(home, THAI)
    text, links = read(client, url)
    assert not re.search(r"[0-9]", text), re.findall(r".{20}[0-9]+.{5}", text)
    assert "๙๙/๙ หมู่ ๙" in text and re.search(f"[{THAI_DIGITS}]{{4}}", text)  # the address and a year
    assert links == arabic_links
    for link in {link for link in links if link.startswith("/") and "/admin" not in link}:
        assert client.get(link).status_code in (200, 301, 302), link
