#!/usr/bin/env python3
"""mimispec adapter for python-dateutil (PyPI), its ISO 8601 parser
dateutil.parser.isoparse (RFC 3339 date-times are a profile of ISO 8601;
dateutil has no RFC 3339 entry of its own).

Ops and the one library call each maps:

- immi.datetime.parse -> dateutil.parser.isoparse(text), which returns a
  datetime.datetime or raises ValueError (OverflowError for some values).
  Glue, the result shape only: for an aware datetime, "utc" is
  .astimezone(timezone.utc) written YYYY-MM-DDTHH:MM:SSZ and
  "offset_minutes" is .utcoffset() in minutes. A datetime without an offset
  (isoparse accepts ISO 8601 local times) has no instant in UTC, so it is
  answered {"accepted": true}: the library found it valid but gives no
  result of the op's shape. The library exposes neither whether the offset
  was written -00:00 nor the fraction's digits as written, so the features
  datetime-unknown-offset and datetime-fraction are not declared and
  "unknown_offset": false, "fraction": null are placeholders the schema
  requires.
"""
import os
import sys
from importlib.metadata import version

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from dateutil.parser import isoparse  # noqa: E402

from mimiproto import accepted, datetime_result, exc_error, result, serve  # noqa: E402


def datetime_parse(inp):
    try:
        dt = isoparse(inp["text"])
    except (ValueError, OverflowError) as e:
        return exc_error(e)
    if dt.utcoffset() is None:
        return accepted()
    return result(datetime_result(dt))


if __name__ == "__main__":
    serve("python-dateutil", version("python-dateutil"), {"immi.datetime.parse": datetime_parse})
