"""The ClickSend fixtures are honest: each says where it comes from, a constructed one has its own
endpoint's shape (not a copy of another's), and the error cases cover every operation."""

from __future__ import annotations

import base64
from collections import Counter

import yaml
from conftest import ROOT

FIXTURES = ROOT / "connector" / "fixtures"
KINDS = ("documented", "observed", "constructed")


def _all():
    return {f: yaml.safe_load(f.read_text(encoding="utf-8")) for f in sorted(FIXTURES.glob("*/*.yaml"))}


def test_every_fixture_says_whether_it_is_documented_observed_or_constructed():
    unsaid = [f.relative_to(FIXTURES).as_posix() for f, d in _all().items() if str(d["source"]).split(":")[0] not in KINDS]
    assert unsaid == []


def test_invalid_recipients_have_their_own_endpoints_shape():
    fixtures = {op: yaml.safe_load((FIXTURES / op / "invalid-recipient.yaml").read_text(encoding="utf-8"))
                for op in ("sms_send", "send_mms", "send_voice", "send_fax")}
    failed = {op: d["response"]["body"]["data"]["messages"][0] for op, d in fixtures.items()}
    for op in ("send_mms", "send_voice", "send_fax"):
        success = yaml.safe_load((FIXTURES / op / "success.yaml").read_text(encoding="utf-8"))
        documented = set(success["response"]["body"]["data"]["messages"][0])
        assert set(failed[op]) <= documented, (op, set(failed[op]) - documented)  # no field the endpoint does not document
        assert fixtures[op]["response"]["body"]["response_msg"] == success["response"]["body"]["response_msg"], op
        assert failed[op]["status"] == "INVALID_RECIPIENT" and str(fixtures[op]["source"]).startswith("constructed:")
    assert "fax" in fixtures["send_fax"]["response"]["body"]["response_msg"].lower()
    ids = Counter(m["message_id"] for m in failed.values())
    assert max(ids.values()) == 1, ids


def test_not_found_is_an_unknown_id_not_an_unknown_path():
    not_found = {f: d for f, d in _all().items() if "response" in d and d["response"]["status"] == 404}
    # Every operation on a list, contact or rule id has one, and only those.
    with_ids = {op for op, spec in _source()["operations"].items() if "{" in spec["request"]}
    assert {d["operation"] for d in not_found.values()} == with_ids
    for f, d in not_found.items():
        assert "Invalid endpoint" not in d["response"]["body"]["response_msg"], f
        assert "999999" in d["request"]["path"], f


def _source() -> dict:
    return yaml.safe_load((ROOT / "connector" / "clicksend.yaml").read_text(encoding="utf-8"))


def _wrong(field: str, value) -> bool:
    """Empty, or (upload_media's content) not Base64."""
    if value in ("", [], None):
        return True
    try:
        base64.b64decode(str(value), validate=True)
    except ValueError:
        return field == "content"
    return False


def _find(node, key):
    """Every value of key anywhere in node (a request body: its fields and its messages' fields)."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                yield v
            yield from _find(v, key)
    elif isinstance(node, list):
        for v in node:
            yield from _find(v, key)


def test_each_400_names_a_field_its_own_request_gets_wrong():
    """ClickSend's documented 400 body maps each invalid field to a message (S1 400_error). Each 400 fixture's
    request has the fault its answer names, in a field of that endpoint (never the example's name/email)."""
    source = _source()
    bad = {f: d for f, d in _all().items() if "response" in d and d["response"]["status"] == 400}
    assert len(bad) >= 10
    for f, d in bad.items():
        op = source["operations"][d["operation"]]
        declared = set((op.get("parameters") or {})) | set(yaml.safe_dump(op.get("body") or {}).split())
        fields = d["response"]["body"]["data"]
        assert fields, f
        for field in fields:
            assert field in declared or f"{field}:" in declared, (f, field)
            request = d["request"]
            values = [request.get("query", {}).get(field)] if field in (op.get("parameters") or {}) else list(_find(request.get("body"), field))
            assert values == [] or all(_wrong(field, v) for v in values), (f, field, values)
        assert str(d["source"]).startswith("constructed:"), f


def test_send_fixtures_answer_for_the_messages_they_sent():
    """A send's answer has one message per message sent (a list send: per contact), and its totals count them."""
    for f, d in _all().items():
        body = d.get("response", {}).get("body")
        if d.get("kind") == "notification" or d["response"]["status"] != 200 or not isinstance(body, dict):
            continue
        data = body.get("data")
        sent = (d["request"].get("body") or {}) if isinstance(d["request"].get("body"), dict) else {}
        key = "messages" if "messages" in sent else "recipients" if "recipients" in sent else None
        if key is None or not isinstance(data, dict):
            continue
        answered = data[key]
        assert data["total_count"] == len(answered), f
        to_lists = [m for m in sent[key] if "list_id" in m]
        if not to_lists:
            assert len(answered) == len(sent[key]), f
            for m, a in zip(sent[key], answered):
                echoed = {field for field in m if field in a and field != "list_id"}
                assert echoed and all(a[field] == m[field] for field in echoed), (f, {x: (m[x], a[x]) for x in echoed})
        else:
            assert d["operation"] == "sms_send_to_list" and all(a["body"] == to_lists[0]["body"] for a in answered), f


def test_subscribe_fixtures_answer_with_the_rule_they_created():
    for f, d in _all().items():
        if not f.stem.startswith("subscribe") or d["response"]["status"] != 200:
            continue
        sent, rule = d["request"]["body"], d["response"]["body"]["data"]
        for field in ("action", "action_address", "rule_name", "enabled", "message_search_type", "match_type", "dedicated_number"):
            if field in sent and field in rule:
                assert rule[field] == sent[field], (f, field)
        if "inbound_rule_id" in rule or "receipt_rule_id" in rule:  # a whole rule, not the answer without the id
            assert rule["action"] == "URL" and rule["action_address"] == sent["action_address"], f


def test_every_operation_has_an_error_case_and_403_and_500_are_covered():
    by_op: dict[str, set[int]] = {}
    for d in _all().values():
        by_op.setdefault(d["operation"], set()).add(d["response"].get("status", 200) if "response" in d else 200)
    assert [op for op, statuses in sorted(by_op.items()) if not any(s >= 400 for s in statuses)] == []
    every = set().union(*by_op.values())
    assert {403, 500} <= every
