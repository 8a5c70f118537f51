"""Defensive JSON parsing (pure helpers of survey/api/http.py)."""

from __future__ import annotations

import pytest

from survey.api.http import (
    ApiError,
    depth_exceeds,
    has_lone_surrogate,
    is_json_mimetype,
    parse_json,
)


def test_parse_json_accepts_plain_documents_and_a_bom() -> None:
    assert parse_json(b'{"answers": {"a": [1, 2.5, "x"]}}') == {"answers": {"a": [1, 2.5, "x"]}}
    assert parse_json('\ufeff{"a": "中文"}'.encode()) == {"a": "中文"}


@pytest.mark.parametrize("raw", [
    b"", b"{", b"NaN", b'{"a": Infinity}', b"\xc3\x28", b"[" * 50_000,
    b'{"a": "\\udc00"}', b"[" * 17 + b"]" * 17, b"9" * 5000,
])
def test_parse_json_refuses_with_400(raw: bytes) -> None:
    with pytest.raises(ApiError) as caught:
        parse_json(raw)
    assert caught.value.status == 400


def test_depth_limit_is_exact() -> None:
    nested: object = 1
    for _ in range(16):
        nested = [nested]
    assert not depth_exceeds(nested, 16)
    assert depth_exceeds([nested], 16)
    assert not depth_exceeds({"a": {"b": "c"}}, 2)


def test_lone_surrogates_are_found_in_keys_and_values() -> None:
    assert has_lone_surrogate({"\ud800": 1})
    assert has_lone_surrogate([["ok", "\udfff"]])
    assert not has_lone_surrogate({"k": ["😀", "中文"]})


@pytest.mark.parametrize(("mimetype", "ok"), [
    ("application/json", True), ("application/problem+json", True),
    ("text/json", False), ("application/jsonp", False), ("", False),
])
def test_json_mimetypes(mimetype: str, ok: bool) -> None:
    assert is_json_mimetype(mimetype) is ok
