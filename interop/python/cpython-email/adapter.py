#!/usr/bin/env python3
"""mimispec adapter for CPython's standard-library `email` package.

The version reported is the Python version (the package has none of its own).

Ops and the one library call each maps:

- immi.msg_id.parse -> email._header_value_parser.parse_message_id(text).
  This is the function HeaderRegistry's MessageIDHeader uses as its
  value_parser (HeaderRegistry()('Message-ID', text) calls it), called
  directly because the header object exposes only the whole value as a
  string, while the parse tree gives the id-left and id-right tokens and
  the defects. Glue: any defect in the tree (tree.all_defects, obsolete-form
  defects included) is an error whose code is the defect's class name;
  otherwise id_left and id_right are the str() of the tokens before and
  after the "@" terminal of the msg-id token (the result shape).

- application_mime.content_type.parse ->
  email.policy.default.header_fetch_parse('Content-Type', text): the policy's
  own entry for a raw field value, which unfolds it (removes its CR/LF, as the
  policy does for every header it reads from a message) and calls the
  policy's HeaderRegistry, giving a ContentTypeHeader. HeaderRegistry() called
  directly on a folded value takes the CRLF as header text (NonPrintableDefect),
  which is not how the package reads a field. Glue: header.defects non-empty -> error
  (code: the first defect's class name); else type and subtype from
  header.maintype / header.subtype and parameters from header.params (RFC 2231
  already decoded by the library; names lowercased by the library).

- application_mime.multipart.parse ->
  email.parser.BytesParser(policy=email.policy.default).parsebytes(entity).
  Glue: the defects of the top-level message (msg.defects: boundary and
  structure defects land there) and of its Content-Type header object are
  an error (code: the first defect's class name); a message that the
  library does not read as multipart (msg.is_multipart() false) is an error
  "NotMultipart" (the op's result needs a multipart; the library raises
  nothing for a non-multipart type). The parts' own entities are opaque to
  this op, so their defects are not looked at. The library does not expose
  the raw octets of the parts (it re-serializes Message objects), so a
  valid multipart is answered {"accepted": true}.
"""
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import email.parser  # noqa: E402
import email.policy  # noqa: E402
from email import _header_value_parser as hvp  # noqa: E402

from mimiproto import accepted, as_bytes, error, result, serve  # noqa: E402

def defect_error(defects):
    d = defects[0]
    more = f" (+{len(defects) - 1} more)" if len(defects) > 1 else ""
    return error(type(d).__name__, str(d) + more)


def msg_id_parse(inp):
    tree = hvp.parse_message_id(inp["text"])
    defects = tree.all_defects
    if defects:
        return defect_error(defects)
    msg_id = tree[0]
    kids = list(msg_id)
    at = next(i for i, t in enumerate(kids) if getattr(t, "token_type", None) == "address-at-symbol")
    return result({"id_left": str(kids[at - 1]), "id_right": str(kids[at + 1])})


def content_type_parse(inp):
    header = email.policy.default.header_fetch_parse("Content-Type", inp["text"])
    if header.defects:
        return defect_error(header.defects)
    return result({"type": header.maintype, "subtype": header.subtype, "parameters": dict(header.params)})


def multipart_parse(inp):
    msg = email.parser.BytesParser(policy=email.policy.default).parsebytes(as_bytes(inp["entity"]))
    defects = list(msg.defects)
    ct = msg.get("content-type")
    if ct is not None:
        defects += list(getattr(ct, "defects", ()))
    if defects:
        return defect_error(defects)
    if not msg.is_multipart():
        return error("NotMultipart", f"the library reads it as {msg.get_content_type()}")
    return accepted()


if __name__ == "__main__":
    serve(
        "cpython-email",
        platform.python_version(),
        {
            "immi.msg_id.parse": msg_id_parse,
            "application_mime.content_type.parse": content_type_parse,
            "application_mime.multipart.parse": multipart_parse,
        },
    )
