#!/usr/bin/env python3
"""mimispec adapter for dnspython (PyPI).

Ops and the library calls each maps:

- discovery.enum.domain -> dns.e164.from_e164(number, origin) (RFC 6116
  §3.2). "apex", when given, is made a dns.name.Name with
  dns.name.from_unicode(apex, idna_codec=dns.name.IDNA_2008_UTS_46) (the
  same conversion as a MUI below: a name a user gives) and passed as
  origin, the library's own parameter, so the feature enum-apex is declared. Result shape:
  name.to_text(omit_final_dot=True). Exceptions: error, code = class name.

- discovery.identifier.resolve -> dns.resolver.Resolver(configure=False)
  (nameservers = [input.dns.server's address], port = its port,
  timeout = lifetime = input.dns.timeout_ms, no cache, no search list)
  and Resolver.resolve(name, rdtype, search=False), which sends the queries
  over UDP, asks again over TCP when an answer is truncated, ignores
  datagrams that do not match the query, and follows the CNAME chain in
  the answer (dns.message.ChainTooLong past 16 links).

  MIMI and MIMIX are registered with the library as private types under
  the codes in input.dns (dns.rdata.register_type), so that the library
  decodes their RDATA: MIMI as a TXT-like type (dns.rdtypes.txtbase.TXTBase:
  one or more character-strings, the suite's DISCOVERY-MIMI-RDATA), MIMIX
  as an uncompressed domain name (dns.rdtypes.nsbase.UncompressedNS, RFC 3597
  §4). A malformed RDATA therefore makes dnspython drop the whole answer
  as undecodable (the resolver ignores it and times out): that is the
  library's behaviour and is recorded, not worked around.

  Names: a MUI is dns.name.from_unicode(identifier,
  idna_codec=dns.name.IDNA_2008_UTS_46) (the library's IDNA 2008 + UTS #46
  codec, each label converted and checked by the idna package); a telephone
  number is dns.e164.from_e164(identifier); an email address's domain is
  dns.name.from_unicode(domain, ...) and its MUI is
  dns.name.from_unicode(local_part, origin=<MIMIX target>, ...).

  GLUE, written plainly because no library has it (mimi-discovery §4.4,
  §5.1.1, §5.1.2, §5.2.1, §5.2.2 and PROTOCOL.md's resolve section):
  * email: split the address at its last "@" (neither side may be empty:
    RFC 5322 addr-spec); ask the domain for MIMIX; for each MIMIX target
    in the order of the answer, ask <local-part>.<target> for MIMI and use
    the first that resolves; if none does, the last failure is the answer.
  * mui: ask the name for MIMI. tel: ask the ENUM name for MIMI.
  * oracle (when input.oracle is given): for email when the MIMIX step
    failed (any DNS error or no MIMIX data), for tel when the ENUM name
    gave no valid record; GET <oracle>?id=<identifier percent-encoded> with
    urllib.request; 200 gives {"records": [...]}, 404 is "not found".
  * each MIMI record: its character-strings joined without separator and
    decoded as UTF-8 (not UTF-8: skipped), then the DKIM tag-list parser of
    dkimpy, dkim.util.parse_tag_value (invalid list: skipped), then the
    MSSSI rules of §4.3 written plainly: v must be exactly "MIMI1" (else
    the record is ignored), a and e must be there, p (if there) must be
    ASCII digits, read as an integer; v, a, e, pv, p, s are kept, other tags
    dropped (the resolve result's record shape). No valid record: error
    NoValidRecords.
  * order: by p, lower first, records without p after them, otherwise as
    the answer gave them (Python's sort is stable).
  Error codes are the library's exception class names (dns.resolver.NXDOMAIN,
  NoAnswer, NoNameservers for SERVFAIL/REFUSED, LifetimeTimeout,
  dns.message.ChainTooLong, dns.name.EmptyLabel, ...) or, for the glue,
  NoAt, EmptyLocalPart, EmptyDomain, NoValidRecords, OracleNotFound,
  OracleFailed.
"""
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from importlib.metadata import version

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import dkim.util  # noqa: E402
import dns.e164  # noqa: E402
import dns.exception  # noqa: E402
import dns.name  # noqa: E402
import dns.rdata  # noqa: E402
import dns.rdatatype  # noqa: E402
import dns.resolver  # noqa: E402
import dns.rdtypes.nsbase  # noqa: E402
import dns.rdtypes.txtbase  # noqa: E402

from mimiproto import error, exc_error, result, serve  # noqa: E402

CODEC = dns.name.IDNA_2008_UTS_46


class MIMI(dns.rdtypes.txtbase.TXTBase):
    """MIMI: one or more character-strings (the suite's wire convention)."""


class MIMIX(dns.rdtypes.nsbase.UncompressedNS):
    """MIMIX: one domain name, uncompressed (RFC 3597 §4)."""


REGISTERED = {}


def register(code, cls, text):
    """Register a private type once per code (register_type refuses twice)."""
    if REGISTERED.get(code) is cls:
        return
    if code in REGISTERED:
        raise RuntimeError(f"type code {code} already registered as {REGISTERED[code].__name__}")
    dns.rdata.register_type(cls, code, text)
    REGISTERED[code] = cls


class Failure(Exception):
    """A failure of the glue, reported under its own code."""

    def __init__(self, code, message=""):
        super().__init__(message)
        self.code = code


def enum_domain(inp):
    try:
        if "apex" in inp and inp["apex"] is not None:
            name = dns.e164.from_e164(inp["number"], origin=dns.name.from_unicode(inp["apex"], idna_codec=CODEC))
        else:
            name = dns.e164.from_e164(inp["number"])
    except Exception as e:  # the library's exceptions (dns.exception.*, ValueError)
        return exc_error(e)
    return result({"domain": name.to_text(omit_final_dot=True)})


def mssi_record(text):
    """§4.3 on a definition string; None when the record is not usable."""
    try:
        tags = dkim.util.parse_tag_value(text.encode("utf-8"))
    except dkim.util.InvalidTagValueList:
        return None
    tags = {k.decode("utf-8"): v.decode("utf-8") for k, v in tags.items()}
    if tags.get("v") != "MIMI1" or "a" not in tags or "e" not in tags:
        return None
    record = {"v": tags["v"], "a": tags["a"], "e": tags["e"]}
    if "p" in tags:
        p = tags["p"]
        if not (p.isascii() and p.isdigit()):
            return None
        record["p"] = int(p)
    for k in ("pv", "s"):
        if k in tags:
            record[k] = tags[k]
    return record


def ordered(records):
    return sorted(records, key=lambda r: (0, r["p"]) if "p" in r else (1, 0))


def ask_mimi(resolver, name, mimi_type):
    answer = resolver.resolve(name, mimi_type, search=False)
    records = []
    for rdata in answer:
        try:
            text = b"".join(rdata.strings).decode("utf-8")
        except UnicodeDecodeError:
            continue
        record = mssi_record(text)
        if record is not None:
            records.append(record)
    if not records:
        raise Failure("NoValidRecords", f"no valid MIMI1 record at {name}")
    return ordered(records)


def ask_oracle(url, identifier, timeout):
    query = urllib.parse.urlencode({"id": identifier}, quote_via=urllib.parse.quote)
    sep = "&" if "?" in url else "?"
    try:
        with urllib.request.urlopen(url + sep + query, timeout=timeout) as response:
            body = json.load(response)
    except urllib.error.HTTPError as e:
        if e.code == 404:
            raise Failure("OracleNotFound", "the oracle knows nothing of it") from None
        raise Failure("OracleFailed", f"HTTP {e.code}") from None
    except (OSError, ValueError) as e:
        raise Failure("OracleFailed", str(e)) from None
    records = [r for r in (mssi_record(t) for t in body.get("records", []) if isinstance(t, str)) if r]
    if not records:
        raise Failure("OracleNotFound", "no valid record from the oracle")
    return result({"mui": None, "via": "oracle", "services": ordered(records)})


def resolve(inp):
    d = inp["dns"]
    host, _, port = d["server"].rpartition(":")
    timeout = (d.get("timeout_ms") or 400) / 1000.0
    mimi_type, mimix_type = d["mimi_type"], d["mimix_type"]
    register(mimi_type, MIMI, "MIMI")
    register(mimix_type, MIMIX, "MIMIX")
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [host.strip("[]")]
    resolver.port = int(port)
    resolver.timeout = timeout
    resolver.lifetime = timeout
    resolver.cache = None
    oracle = inp.get("oracle")
    identifier, kind = inp["identifier"], inp["kind"]
    try:
        if kind == "mui":
            name = dns.name.from_unicode(identifier, idna_codec=CODEC)
            services = ask_mimi(resolver, name, mimi_type)
            return result({"mui": name.to_text(omit_final_dot=True), "via": "dns", "services": services})
        if kind == "tel":
            name = dns.e164.from_e164(identifier)
            try:
                services = ask_mimi(resolver, name, mimi_type)
            except (dns.exception.DNSException, Failure):
                if oracle:
                    return ask_oracle(oracle, identifier, timeout)
                raise
            return result({"mui": name.to_text(omit_final_dot=True), "via": "dns", "services": services})
        # email
        local, at, domain = identifier.rpartition("@")
        if not at:
            raise Failure("NoAt", "addr-spec = local-part \"@\" domain")
        if not local:
            raise Failure("EmptyLocalPart", "the local part is empty")
        if not domain:
            raise Failure("EmptyDomain", "the domain is empty")
        domain_name = dns.name.from_unicode(domain, idna_codec=CODEC)
        try:
            targets = [rdata.target for rdata in resolver.resolve(domain_name, mimix_type, search=False)]
        except dns.exception.DNSException:
            if oracle:
                return ask_oracle(oracle, identifier, timeout)
            raise
        last = None
        for target in targets:
            try:
                name = dns.name.from_unicode(local, origin=target, idna_codec=CODEC)
                services = ask_mimi(resolver, name, mimi_type)
            except (dns.exception.DNSException, Failure) as e:
                last = e
                continue
            return result({"mui": name.to_text(omit_final_dot=True), "via": "dns", "services": services})
        raise last
    except Failure as e:
        return error(e.code, str(e))
    except dns.exception.DNSException as e:
        return exc_error(e)


if __name__ == "__main__":
    serve(
        "dnspython",
        version("dnspython"),
        {"discovery.enum.domain": enum_domain, "discovery.identifier.resolve": resolve},
        features=["enum-apex"],
    )
