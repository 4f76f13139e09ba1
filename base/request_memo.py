"""Values read at most once per request, such as the public content version.

A search asks for the content version in several places (its cached answer, the
reader's visible pages, the spelling vocabulary's freshness), each a statement; on a
busy database each round trip costs milliseconds. Inside a request the first answer
is remembered until the request ends; outside one (commands, the shell, tests calling
functions directly) nothing is remembered. Whoever changes a remembered value forgets
it (PublicContentVersion.bump), so a request that publishes sees its own change.
"""

import threading

from django.core.signals import request_finished, request_started

_local = threading.local()


def remembered(key, compute):
    """compute(), or what it gave earlier in this request."""
    memo = getattr(_local, "memo", None)
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget(key):
    memo = getattr(_local, "memo", None)
    if memo is not None:
        memo.pop(key, None)


def _start(**kwargs):
    _local.memo = {}


def _finish(**kwargs):
    _local.memo = None


def connect():
    request_started.connect(_start, dispatch_uid="khlang_request_memo_start")
    request_finished.connect(_finish, dispatch_uid="khlang_request_memo_finish")
