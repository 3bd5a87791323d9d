#!/usr/bin/env python3
"""Checks a `mimispec run --json` report of a skeleton in ci/skeletons/.

    report_check.py check REPORT SCHEMAS LABEL   every case unsupported, answered by the skeleton
    report_check.py slice REPORT N               N case ids per op, for a one-shot run

SCHEMAS is `mimispec schema` output: the suite's ops, and where their
inputs hold bytes. Exit status 1 names what is wrong (at most 10 cases).
"""
import base64
import json
import re
import sys

REASON = re.compile(r"not implemented yet(?: \(bytes read: (\d+(?:, \d+)*)\))?\Z")


def byte_sizes(value, schema, defs):
    """The sizes of the bytes members of `value`, walked by its schema."""
    ref = schema.get("$ref", "")
    if ref == "#/$defs/Bytes":
        if isinstance(value, str):
            return [len(value.encode("utf-8"))]
        return [len(base64.b64decode(value["$base64"], validate=True))]
    if ref:
        return byte_sizes(value, defs[ref.rsplit("/", 1)[1]], defs)
    sizes = []
    if isinstance(value, dict):
        for name, member in schema.get("properties", {}).items():
            if name in value:
                sizes += byte_sizes(value[name], member, defs)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for item in value:
            sizes += byte_sizes(item, schema["items"], defs)
    return sizes


def problem(case, schemas):
    """What is wrong with one case's record, or None."""
    if case["verdict"] != "unsupported":
        return f"verdict {case['verdict']}, not unsupported"
    kinds = [f.get("kind") for f in case["findings"]]
    if kinds == ["feature-not-declared"]:
        return None  # the skeletons declare no feature: never sent
    if kinds != ["unsupported"]:
        return f"findings {kinds}: not answered unsupported by the skeleton"
    reason = (case["actual"] or {}).get("unsupported")
    m = REASON.match(reason) if isinstance(reason, str) else None
    if m is None:
        return f"reason {json.dumps(reason)[:200]} is not the stubs'"
    said = sorted(int(n) for n in m.group(1).split(", ")) if m.group(1) else []
    schema = schemas[case["op"]]["input"]
    want = sorted(byte_sizes(case["input"], schema, schema.get("$defs", {})))
    if said != want:
        return f"the stub read bytes of sizes {said}, the input holds {want}"
    return None


def check(report_path, schemas_path, label):
    report = json.load(open(report_path, encoding="utf-8"))
    schemas = json.load(open(schemas_path, encoding="utf-8"))
    cases = report["cases"]
    errors = []
    declared = report["implementation"]["ops"]
    if sorted(declared) != sorted(schemas):
        missing = sorted(set(schemas) - set(declared))
        extra = sorted(set(declared) - set(schemas))
        errors.append(f"the hello's ops differ from the suite's: missing {missing}, unknown {extra}, {len(declared)} listed")
    if not cases or report["summary"]["total"] != len(cases):
        errors.append(f"{len(cases)} cases in the report, summary says {report['summary']['total']}")
    if not report["summary"]["ok"]:
        errors.append("the summary is not ok")
    bad = [(c["id"], p) for c in cases if (p := problem(c, schemas))]
    for case_id, p in bad[:10]:
        errors.append(f"{json.dumps(case_id)}: {p}")
    if len(bad) > 10:
        errors.append(f"... and {len(bad) - 10} more cases")
    answered = sum(1 for c in cases if [f.get("kind") for f in c["findings"]] == ["unsupported"])
    if not answered:
        errors.append("no case was answered by the skeleton")
    if errors:
        print(f"{label}: FAILED", *(f"  {e}" for e in errors), sep="\n", file=sys.stderr)
        return 1
    ops = len({c["op"] for c in cases})
    print(f"{label}: ok, {len(cases)} cases unsupported ({answered} answered by the skeleton over {ops} ops, "
          f"{len(cases) - answered} not sent: feature not declared)")
    return 0


def slice_ids(report_path, per_op):
    """The first `per_op` answered cases of each op, and the first case
    that was not sent, as ids that --filter reads as prefixes."""
    cases = json.load(open(report_path, encoding="utf-8"))["cases"]
    taken, ids, unsent = {}, [], None
    for c in cases:
        if any(ch in c["id"] for ch in "*?[{"):
            continue  # --filter would read it as a glob
        kinds = [f.get("kind") for f in c["findings"]]
        if kinds == ["unsupported"] and taken.get(c["op"], 0) < per_op:
            taken[c["op"]] = taken.get(c["op"], 0) + 1
            ids.append(c["id"])
        elif kinds == ["feature-not-declared"] and unsent is None:
            unsent = c["id"]
    print("\n".join(ids + ([unsent] if unsent else [])))
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) == 4 and args[0] == "check":
        sys.exit(check(*args[1:]))
    if len(args) == 3 and args[0] == "slice":
        sys.exit(slice_ids(args[1], int(args[2])))
    sys.exit(__doc__)
