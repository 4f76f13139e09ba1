"""Production: settings from the environment, and nginx in front of gunicorn for real."""

import gzip
import json
import os
import re
import shutil
import socket
import string
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SECRET = "x" * 20 + "production-test-secret-key-0123456789"


def production_env(tmp, **extra):
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "KHLANG_SEARCH_URL")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "khlang.settings.production",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "KHLANG_SQLITE_PATH": str(tmp / "db.sqlite3"),
        "KHLANG_STATIC_ROOT": str(tmp / "static"),
        "KHLANG_MEDIA_ROOT": str(tmp / "media"),
        "KHLANG_SSL_REDIRECT": "0",  # this test speaks plain HTTP to nginx
        **extra,
    })
    return env


def manage(env, *args, check=True):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=check)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


def fetch(url, method="GET", headers=None, data=None):
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = manage(env, "check", check=False)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = manage(production_env(tmp_path, KHLANG_SSL_REDIRECT="1"), "check", "--deploy", "--fail-level", "WARNING", check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """gunicorn (2 workers, production settings) behind Debian's nginx with deploy/nginx.conf.template."""
    if not os.path.exists(NGINX):
        if os.environ.get("CI"):
            pytest.fail("nginx must be installed under CI")
        pytest.skip("Debian nginx not installed")
    tmp = tmp_path_factory.mktemp("production")
    app_port, web_port = free_port(), free_port()
    base = f"http://127.0.0.1:{web_port}"
    env = production_env(tmp, KHLANG_FRONTEND_CACHES=base, KHLANG_BASE_URL="http://localhost")
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    gunicorn = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "khlang.wsgi"],
        cwd=ROOT, env={**env, "KHLANG_BIND": f"127.0.0.1:{app_port}", "KHLANG_WORKERS": "2"},
        stdout=subprocess.DEVNULL, stderr=open(tmp / "gunicorn.log", "w"),
    )
    site = string.Template((ROOT / "deploy" / "nginx.conf.template").read_text()).safe_substitute(
        KHLANG_LISTEN=f"127.0.0.1:{web_port}",
        KHLANG_SERVER_NAME="localhost",
        KHLANG_APP_SERVERS_BLOCK=f"server 127.0.0.1:{app_port};",
        KHLANG_STATIC_ROOT=str(tmp / "static"),
        KHLANG_MEDIA_ROOT=str(tmp / "media"),
        KHLANG_NGINX_CACHE=str(tmp / "nginx-cache"),
        KHLANG_ACCESS_LOG=str(tmp / "access.log"),
    )
    (tmp / "site.conf").write_text(site)
    (tmp / "nginx.conf").write_text(
        f"""user root;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
"""
    )
    subprocess.run([NGINX, "-t", "-c", str(tmp / "nginx.conf"), "-p", str(tmp)], check=True, capture_output=True)
    subprocess.run([NGINX, "-c", str(tmp / "nginx.conf"), "-p", str(tmp)], check=True)
    try:
        wait_for(f"http://127.0.0.1:{app_port}/healthz/")
        wait_for(base + "/healthz/")
        yield {"base": base, "app": f"http://127.0.0.1:{app_port}", "tmp": tmp, "env": env,
               "nginx": [NGINX, "-c", str(tmp / "nginx.conf"), "-p", str(tmp)]}
    finally:
        subprocess.run([NGINX, "-s", "quit", "-c", str(tmp / "nginx.conf"), "-p", str(tmp)], check=False)
        gunicorn.terminate()
        gunicorn.wait(timeout=30)


def test_nginx_serves_the_site_with_security_headers(stack):
    status, headers, body = fetch(stack["base"] + "/", headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers.get("Content-Encoding") == "gzip"
    html = gzip.decompress(body).decode()
    assert "คลังความรู้" in html
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'self'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "Server" not in headers or "nginx/" not in headers["Server"]


def test_hsts_and_secure_cookies_over_https(stack):
    status, headers, _ = fetch(stack["app"] + "/admin/login/", headers={"X-Forwarded-Proto": "https", "Host": "localhost"})
    assert status == 200
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    cookie = headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_nginx_serves_hashed_compressed_static_files(stack):
    manifest = json.loads((stack["tmp"] / "static" / "staticfiles.json").read_text())["paths"]
    css = manifest["css/khlang.css"]
    assert css != "css/khlang.css"  # hashed name
    status, headers, body = fetch(f"{stack['base']}/static/{css}", headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers.get("Content-Encoding") == "gzip"
    assert "immutable" in headers["Cache-Control"]
    assert b".skip-link" in gzip.decompress(body)
    status, _, _ = fetch(f"{stack['base']}/static/{manifest['fonts/sarabun/sarabun-thai-400-normal.woff2']}")
    assert status == 200


def test_nginx_limits_upload_size(stack):
    status, _, _ = fetch(stack["base"] + "/admin/login/", method="POST", data=b"x" * (26 * 1024 * 1024))
    assert status == 413


def test_documents_are_never_served_directly_from_media(stack):
    documents = stack["tmp"] / "media" / "documents"
    documents.mkdir(parents=True, exist_ok=True)
    (documents / "evil.html").write_text("<script>alert(1)</script>")
    status, _, body = fetch(stack["base"] + "/media/documents/evil.html")
    assert status == 404 and b"<script>" not in body
    (stack["tmp"] / "media" / "page.html").write_text("<script>alert(1)</script>")
    status, headers, _ = fetch(stack["base"] + "/media/page.html")
    assert headers.get("Content-Type") == "application/octet-stream"


def test_health_check_for_load_balancers(stack):
    status, _, body = fetch(stack["base"] + "/healthz/")
    assert status == 200 and body == b"ok"


FIND_ARTICLE = (
    "from knowledge.models import KnowledgeArticle\n"
    "article = KnowledgeArticle.objects.filter(title__contains='LTAX3000').get()\n"
)


def change_article(stack, code):
    """Run `code` on `article` (a demo article) in the app's database, as an editor would."""
    result = manage(stack["env"], "shell", "--no-imports", "-c", FIND_ARTICLE + code, check=False)
    assert result.returncode == 0, result.stderr


def article_url(stack):
    result = manage(stack["env"], "shell", "--no-imports", "-c", FIND_ARTICLE + "print(article.get_url())")
    return stack["base"] + result.stdout.strip()  # already percent-encoded


def test_nginx_caches_anonymous_pages_until_the_content_changes(stack):
    url = article_url(stack)
    fetch(url)
    status, headers, body = fetch(url)
    assert status == 200 and headers["X-Khlang-Edge-Cache"] == "HIT"
    assert "ภาษีที่ดิน" in body.decode()
    # the cached copy keeps every security header
    assert "unsafe-inline" not in headers["Content-Security-Policy"] and headers["X-Content-Type-Options"] == "nosniff"

    change_article(stack, "article.title = 'หัวข้อที่แก้แล้ว ' + article.title\narticle.save_revision().publish()")
    status, headers, body = fetch(url)
    assert headers["X-Khlang-Edge-Cache"] != "HIT"
    assert "หัวข้อที่แก้แล้ว" in body.decode()
    status, headers, body = fetch(url)
    assert headers["X-Khlang-Edge-Cache"] == "HIT" and "หัวข้อที่แก้แล้ว" in body.decode()

    # made private: anonymous readers get the login page, never the cached article
    change_article(stack, (
        "from wagtail.models import PageViewRestriction\n"
        "PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)"
    ))
    status, headers, body = fetch(url)
    assert "หัวข้อที่แก้แล้ว" not in body.decode()

    change_article(stack, "article.view_restrictions.all().delete()\narticle.unpublish()")
    status, headers, body = fetch(url)
    assert status == 404 and "หัวข้อที่แก้แล้ว" not in body.decode()


def test_nginx_never_caches_for_signed_in_readers_or_a_chosen_language(stack):
    fetch(stack["base"] + "/")
    status, headers, _ = fetch(stack["base"] + "/")
    assert headers["X-Khlang-Edge-Cache"] == "HIT"
    for cookie in ("sessionid=abc", "django_language=en"):
        status, headers, body = fetch(stack["base"] + "/", headers={"Cookie": cookie})
        assert status == 200 and headers["X-Khlang-Edge-Cache"] == "BYPASS", cookie
    status, headers, body = fetch(stack["base"] + "/", headers={"Cookie": "django_language=en"})
    assert 'lang="en"' in body.decode()
    # never looked up in the cache, so identical searches never wait for each other (proxy_cache_lock)
    for path in ("/search/?q=ภาษี", "/api/search/?q=ภาษี", "/admin/login/"):
        for _ in range(2):
            status, headers, _ = fetch(stack["base"] + quote_path(path))
            assert status == 200 and headers.get("X-Khlang-Edge-Cache") == "BYPASS", path


def quote_path(path):
    from urllib.parse import quote

    return quote(path, safe="/?=&")


def test_the_content_version_can_be_read_and_forgotten_but_not_set(stack):
    version = stack["base"] + "/_util/content-version/"
    status, headers, _ = fetch(version)
    assert status == 200 and headers["X-Khlang-Content-Version"].isdigit()
    assert "X-Accel-Expires" not in headers
    assert fetch(version)[1]["X-Khlang-Edge-Cache"] == "HIT"
    assert fetch(version, headers={"X-Khlang-Refresh": "1"})[1]["X-Khlang-Edge-Cache"] == "BYPASS"
    fetch(version, method="POST", data=b"version=999999", headers={"X-Khlang-Content-Version": "999999"})
    assert fetch(version)[1]["X-Khlang-Content-Version"] == headers["X-Khlang-Content-Version"]


BROWSER = {"User-Agent": "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) "
                         "Chrome/124.0 Mobile Safari/537.36"}
TOTAL_READS = (
    "from django.db.models import Sum\n"
    "from readership.models import PageReadCount\n"
    "print(PageReadCount.objects.aggregate(total=Sum('count'))['total'] or 0)\n"
)


def total_reads(stack):
    return int(manage(stack["env"], "shell", "--no-imports", "-c", TOTAL_READS).stdout.strip())


def import_log(stack):
    subprocess.run([*stack["nginx"], "-s", "reopen"], check=True)  # nginx writes out its log buffer
    time.sleep(1)
    return manage(stack["env"], "import_access_log", str(stack["tmp"] / "access.log")).stdout


def test_every_read_counts_once_whether_nginx_or_the_app_answers(stack):
    """The app counts what reaches it; nginx's cache hits come from its access log; nothing twice."""
    import_log(stack)  # whatever other tests left in the log
    before = total_reads(stack)
    url = stack["base"] + "/"
    seen = [fetch(url, headers=BROWSER)[1]["X-Khlang-Edge-Cache"] for _ in range(4)]
    assert "HIT" in seen
    assert fetch(url, headers={**BROWSER, "Cookie": "sessionid=abc"})[1]["X-Khlang-Edge-Cache"] == "BYPASS"
    # not counted: HEAD (nginx asks the app with GET, saying X-Khlang-Method: HEAD), crawlers, search
    status, headers, _ = fetch(stack["base"] + "/?head", method="HEAD", headers=BROWSER)
    assert status == 200 and headers["X-Khlang-Edge-Cache"] == "MISS"
    fetch(url, method="HEAD", headers=BROWSER)
    fetch(url, headers={"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"})
    fetch(stack["base"] + quote_path("/search/?q=ภาษี"), headers=BROWSER)
    # the session reader and the cache misses, counted by the app: each gunicorn worker writes its
    # reads within KHLANG_READS_BUFFER_SECONDS (5 in production), by a timer when no read follows
    deadline = time.monotonic() + 20
    while total_reads(stack) - before < 1 + seen.count("MISS") and time.monotonic() < deadline:
        time.sleep(1)
    assert total_reads(stack) - before == 1 + seen.count("MISS")
    summary = import_log(stack)
    assert total_reads(stack) - before == 5, summary
    import_log(stack)
    assert total_reads(stack) - before == 5  # the same log again adds nothing
    # nginx's combined format followed by the cache status, quoted
    log = (stack["tmp"] / "access.log").read_text()
    assert re.search(r'^127\.0\.0\.1 - - \[[^]]+\] "GET / HTTP/1\.1" 200 \d+ "-" "Mozilla/5\.0 \(Linux; Android 13[^"]*" "HIT"$',
                     log, re.MULTILINE)
