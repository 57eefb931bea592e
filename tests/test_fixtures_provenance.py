"""The ClickSend fixtures are honest: each says where it comes from, a constructed one has its own
endpoint's shape (not a copy of another's), and the error cases cover every operation."""

from __future__ import annotations

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
    assert len(not_found) == 5
    for f, d in not_found.items():
        assert "Invalid endpoint" not in d["response"]["body"]["response_msg"], f
        assert "999999" in d["request"]["path"], f


def test_every_operation_has_an_error_case_and_403_and_500_are_covered():
    by_op: dict[str, set[int]] = {}
    for d in _all().values():
        by_op.setdefault(d["operation"], set()).add(d["response"].get("status", 200) if "response" in d else 200)
    assert [op for op, statuses in sorted(by_op.items()) if not any(s >= 400 for s in statuses)] == []
    every = set().union(*by_op.values())
    assert {403, 500} <= every
