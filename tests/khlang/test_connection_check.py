"""The content version's read is a page request's database health check (base.models.
PublicContentVersion._read_versions): no SELECT 1 before it, and a kept connection the database
closed meanwhile is replaced, so the request still succeeds (what CONN_HEALTH_CHECKS is for)."""

import pytest
from django.db import OperationalError, connections

from base.models import PublicContentVersion

# transaction: a reconnect cannot happen inside a test's atomic block; serialized_rollback: the
# flush after it leaves the demo site for the next test, as every transactional test here does.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class FailsOnce:
    """An execute wrapper: the first statement fails as on a connection the server closed."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append(sql)
        if len(self.statements) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


@pytest.fixture
def kept_connection():
    connection = connections["default"]
    PublicContentVersion.bump()
    health_checks = connection.health_check_enabled
    connection.health_check_enabled, connection.health_check_done = True, False  # a new request's state
    yield connection
    connection.health_check_enabled = health_checks


def test_a_closed_kept_connection_is_replaced_by_the_version_read(kept_connection, monkeypatch):
    pinged = []
    monkeypatch.setattr(type(kept_connection), "is_usable", lambda self: pinged.append(1) or True)
    failing = FailsOnce()
    with kept_connection.execute_wrapper(failing):
        versions = PublicContentVersion._read_versions()
    assert versions.version >= 1
    assert len(failing.statements) == 2  # failed, reconnected, read again
    assert not pinged  # Django's SELECT 1 was not run before it


def test_other_first_queries_keep_djangos_check(kept_connection, monkeypatch):
    pinged = []
    monkeypatch.setattr(type(kept_connection), "is_usable", lambda self: pinged.append(1) or True)
    from wagtail.models import Page

    Page.objects.count()
    assert pinged == [1]
