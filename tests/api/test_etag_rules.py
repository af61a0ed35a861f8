"""The one ETag home: body tags and If-None-Match as RFC 9110 compares them."""

from __future__ import annotations

from zicht.api.etag import body_etag, none_match


def test_body_etag_is_strong_and_depends_only_on_the_bytes() -> None:
    tag = body_etag(b"abc")
    assert tag.startswith('"') and tag.endswith('"') and not tag.startswith("W/")
    assert tag == body_etag(b"abc") != body_etag(b"abd")


def test_if_none_match_uses_weak_comparison_lists_and_star() -> None:
    tag = body_etag(b"x")
    assert none_match(tag, tag)
    assert none_match(f"W/{tag}", tag)
    assert none_match(f'"other", {tag}', tag)
    assert none_match("*", tag)
    assert not none_match(None, tag)
    assert not none_match("", tag)
    assert not none_match('"other"', tag)
