#!/usr/bin/env python3
"""mimispec adapter for ciso8601 (PyPI), its RFC 3339 parser.

Ops and the one library call each maps:

- immi.datetime.parse -> ciso8601.parse_rfc3339(text), which returns an
  aware datetime.datetime or raises ValueError. Glue, the result shape only:
  "utc" is the datetime converted with .astimezone(timezone.utc) and written
  YYYY-MM-DDTHH:MM:SSZ; "offset_minutes" is .utcoffset() in minutes. The
  library exposes neither whether the offset was written -00:00 nor the
  fraction's digits as written (only microseconds), so the adapter does not
  declare the features datetime-unknown-offset and datetime-fraction, and
  fills "unknown_offset": false and "fraction": null only because the
  result schema has the members; a harness that knows those features does
  not compare them for this adapter.
"""
import os
import sys
from importlib.metadata import version

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import ciso8601  # noqa: E402

from mimiproto import datetime_result, exc_error, result, serve  # noqa: E402


def datetime_parse(inp):
    try:
        dt = ciso8601.parse_rfc3339(inp["text"])
    except ValueError as e:
        return exc_error(e)
    return result(datetime_result(dt))


if __name__ == "__main__":
    serve("ciso8601", version("ciso8601"), {"immi.datetime.parse": datetime_parse})
