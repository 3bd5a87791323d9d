#!/usr/bin/env python3
"""A minimal mimispec adapter in Python, to copy from.

It answers one op, immi.msg_id.parse, with a regular expression written from
the ABNF of immi-content section 5.1, and declares only that op, so every
other case is "unsupported". Run it with:

    mimispec run --impl 'python3 ci/examples/python_adapter.py' --filter immi-content/msg-id/

It works in both modes: persistent (one process, a JSON line per case) and
--one-shot (one process per line), because it simply answers every line it
reads until stdin ends.
"""
import json
import re
import sys

ATEXT = r"[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]"
DOT_ATOM = rf"{ATEXT}+(?:\.{ATEXT}+)*"
DTEXT = r"[\x21-\x5a\x5e-\x7e]"
MSG_ID = re.compile(rf"<({DOT_ATOM})@({DOT_ATOM}|\[{DTEXT}*\])>\Z")


def answer(request):
    if request.get("type") == "hello":
        return {
            "type": "hello",
            "protocol": 1,
            "implementation": {"name": "python-example", "version": "0.1"},
            "ops": ["immi.msg_id.parse"],
            "features": [],
        }
    case_id = request.get("id")
    if request.get("op") != "immi.msg_id.parse":
        return {"id": case_id, "unsupported": "only immi.msg_id.parse"}
    m = MSG_ID.match(request["input"]["text"])
    if m is None:
        # Our own code; map it onto the suite's with an error-map if wanted.
        return {"id": case_id, "error": {"code": "E_SYNTAX", "message": "not a msg-id"}}
    return {"id": case_id, "result": {"id_left": m.group(1), "id_right": m.group(2)}}


for line in sys.stdin:
    if line.strip():
        print(json.dumps(answer(json.loads(line))), flush=True)
