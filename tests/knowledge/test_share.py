"""Share links on knowledge pages (LINE, e-mail, copy link) with no third-party script."""

import re
from urllib.parse import quote

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_share_links_use_the_site_address_and_no_outside_script(client, article):
    call_command("setup_site", "--base-url", "https://km.example.go.th", stdout=open("/dev/null", "w"))
    html = client.get(article.url).content.decode()
    url = f"https://km.example.go.th{article.url}"
    assert f'https://social-plugins.line.me/lineit/share?url={quote(url, safe="")}' in html
    assert f'mailto:?subject={quote(article.title, safe="")}&amp;body={quote(url, safe="")}' in html
    assert f'data-copy-url="{url}"' in html
    assert re.search(r"<button[^>]*data-copy-url[^>]*hidden", html)  # shown by share.js where copying works
    scripts = re.findall(r"<script[^>]*src=\"([^\"]+)\"", html)
    assert scripts and all(src.startswith("/static/") for src in scripts)


def test_print_stylesheet_hides_share_links_and_writes_out_link_targets():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "print.css").read_text()
    assert re.search(r"\.share[^{]*\{\s*display: none", css)
    assert 'content: " (" attr(href) ")"' in css
    assert re.search(r"table[^{]*\{[^}]*page-break-inside: avoid", css)
