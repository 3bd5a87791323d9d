#!/usr/bin/env python3
"""mimispec adapter for the `idna` package (PyPI; IDNA2008, RFC 5891, with
the UTS #46 mapping).

Ops and the one library call each maps:

- discovery.mui.parse -> idna.encode(text, uts46=True, transitional=False)
  (nontransitional UTS #46 processing, then IDNA2008 ToASCII; std3_rules and
  the other options left at the library's defaults). Glue: the result shape
  only: the returned bytes, decoded as ASCII, are "mui", less the one
  trailing root dot the library keeps (the op's result is the name in its
  relative form, PROTOCOL.md; the library accepted the dot, and accepting it
  is what DISCOVERY-MUI-ABSOLUTE-FORM asks; the Rust idna adapter does the
  same). An
  exception (idna.IDNAError and its subclasses, UnicodeError) is an error
  whose code is its class name. The URI form "mimi:<fqdn>" is passed as it
  is: the adapter strips no scheme, so the library judges the ":".
"""
import os
import sys
from importlib.metadata import version

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import idna  # noqa: E402

from mimiproto import exc_error, result, serve  # noqa: E402


def mui_parse(inp):
    try:
        out = idna.encode(inp["text"], uts46=True, transitional=False)
    except (idna.IDNAError, UnicodeError) as e:
        return exc_error(e)
    mui = out.decode("ascii")
    return result({"mui": mui[:-1] if mui.endswith(".") else mui})


if __name__ == "__main__":
    serve("python-idna", version("idna"), {"discovery.mui.parse": mui_parse})
