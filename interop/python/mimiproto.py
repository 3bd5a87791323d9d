"""The mimispec protocol loop shared by the adapters in interop/python/.

Not a library under test: it reads JSON lines from stdin, answers the
hello with the adapter's name, version, ops and features, and hands each
case's input to the adapter's function for its op. What an op function
returns is the answer without its id: {"result": ...}, {"error": ...},
{"accepted": True} or {"unsupported": ...}. An exception that escapes an op
function is a bug of the library or of the glue: it is answered as an error
whose code is "python.<ExceptionClass>" and logged on stderr with its
traceback, so a run shows it beside the case.
"""
import base64
import binascii
import json
import sys
import traceback
from datetime import timezone


class BadInput(Exception):
    """An input that breaks its op's documented shape (a harness bug)."""


def as_bytes(value):
    """A member documented as bytes: a JSON string or {"$base64": ...}."""
    if isinstance(value, str):
        try:
            return value.encode("utf-8")
        except UnicodeEncodeError as e:
            raise BadInput(f"bytes: {e}") from None
    if isinstance(value, dict) and list(value) == ["$base64"] and isinstance(value["$base64"], str):
        try:
            return base64.b64decode(value["$base64"], validate=True)
        except (binascii.Error, ValueError) as e:
            raise BadInput(f"$base64: {e}") from None
    raise BadInput('bytes are a string or {"$base64": "..."}')


def bytes_value(data):
    """Bytes for a result member: a string when UTF-8, else {"$base64": ...}."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return {"$base64": base64.b64encode(data).decode("ascii")}


def result(value):
    return {"result": value}


def error(code, message=""):
    return {"error": {"code": code, "message": message}}


def exc_error(e):
    """An error answer from a library exception: its class name and message."""
    return error(type(e).__name__, str(e))


def datetime_result(dt):
    """immi.datetime.parse's result from an aware datetime: the shape only.
    unknown_offset and fraction are placeholders the harness leaves
    uncompared (their features are not declared)."""
    u = dt.astimezone(timezone.utc)
    return {
        "utc": f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}Z",
        "offset_minutes": int(dt.utcoffset().total_seconds() // 60),
        "unknown_offset": False,
        "fraction": None,
    }


def accepted():
    """Valid, but the library gives no result of the op's shape."""
    return {"accepted": True}


def serve(name, version, ops, features=()):
    """Answer hello and cases on stdin/stdout until stdin ends."""
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except ValueError:
            print(json.dumps({"id": None, "error": {"code": "mimispec.bad_request", "message": "not JSON"}}), flush=True)
            continue
        if request.get("type") == "hello":
            answer = {
                "type": "hello",
                "protocol": 1,
                "implementation": {"name": name, "version": version},
                "ops": sorted(ops),
                "features": list(features),
            }
        else:
            case_id = request.get("id")
            fn = ops.get(request.get("op"))
            if fn is None:
                answer = {"unsupported": "op not adapted"}
            else:
                try:
                    answer = fn(request.get("input") or {})
                except BadInput as e:
                    answer = error("mimispec.bad_input", str(e))
                except Exception as e:  # a library or glue bug: shown, not hidden
                    traceback.print_exc(file=sys.stderr)
                    sys.stderr.flush()
                    answer = error("python." + type(e).__name__, str(e))
            answer = {"id": case_id, **answer}
        print(json.dumps(answer), flush=True)
