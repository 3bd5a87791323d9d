#!/usr/bin/env python3
"""mimispec adapter for dkimpy's DKIM tag-list parser (RFC 6376 §3.2).

Ops and the one library call each maps:

- discovery.mssi.parse -> dkim.util.parse_tag_value(text.encode("utf-8")),
  the parser dkimpy itself applies to DKIM-Signature values and to the
  TXT records of DKIM keys. Only the tag-list layer is this library's: the
  MSSSI semantics of mimi-discovery §4.3 (v=MIMI1, required a and e, p an
  integer, ...) are not, so a tag list that parses is answered
  {"accepted": true} (valid, no result of the op's shape) and one that does
  not is an error whose code is the exception's class name
  (dkim.util.InvalidTagSpec, dkim.util.DuplicateTag). Glue: the text is
  encoded as UTF-8, since the library parses bytes. No other logic.

Run it on the cases whose rule is RFC 6376's: --tag layer:rfc6376.
"""
import os
import sys
from importlib.metadata import version

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import dkim.util  # noqa: E402

from mimiproto import accepted, exc_error, serve  # noqa: E402


def mssi_parse(inp):
    try:
        dkim.util.parse_tag_value(inp["text"].encode("utf-8"))
    except dkim.util.InvalidTagValueList as e:
        return exc_error(e)
    return accepted()


if __name__ == "__main__":
    serve("dkimpy", version("dkimpy"), {"discovery.mssi.parse": mssi_parse})
