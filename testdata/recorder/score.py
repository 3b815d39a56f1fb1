#!/usr/bin/env python3
"""Usage: score.py [DIR ...]      (default: testdata/traces)

Scores `authlens analyze --format json` (the binary in $AUTHLENS) on every
trace directory (one holding trace.har) at or below each DIR -- all of
testdata/traces, one cause folder, one trace, or a recorder run's $OUT --
the same way analysis/scenarios_test.go does: cause= top-1, also= present,
not-problem listed with problem:false, ok not flagged, flagged a problem,
and no problem exchange left unnamed by expect.txt. The expectations are the
trace's own expect.txt, else the committed
testdata/traces/<cause>/<name>/expect.txt (for fresh recordings elsewhere)."""
import json
import os
import subprocess
import sys
from urllib.parse import urlsplit

TRACES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "traces")


def path_of(url):
    u = urlsplit(url)
    return (u.path or "/") + ("?" + u.query if u.query else "")


def causes(x):
    ds = x.get("diagnoses") or []
    return ", ".join(f"{d['cause']}({d['confidence']:.2f})" for d in ds) or "no diagnosis"


def read_expect(path):
    out = []
    for n, raw in enumerate(open(path), 1):
        line = raw.strip()
        if " #" in line:
            line = line[: line.index(" #")].strip()
        if not line or line.startswith("#"):
            continue
        idx, method, p, status, verdict = line.split()
        cause = None
        if "=" in verdict:
            verdict, cause = verdict.split("=", 1)
        out.append((n, int(idx), method, p, int(status), verdict, cause))
    return out


def expect_of(d):
    own = os.path.join(d, "expect.txt")
    if os.path.isfile(own):
        return own
    return os.path.join(TRACES, os.path.basename(os.path.dirname(d)), os.path.basename(d), "expect.txt")


def trace_dirs(paths):
    out = []
    for p in paths:
        for root, _, files in os.walk(p):
            if "trace.har" in files:
                out.append(os.path.normpath(root))
    return sorted(out)


def score(binary, d):
    har = json.load(open(os.path.join(d, "trace.har")))
    entries = har["log"]["entries"]
    r = subprocess.run([binary, "analyze", "--format", "json", os.path.join(d, "trace.har")], capture_output=True, text=True)
    if r.returncode not in (0, 1, 2) or not r.stdout.strip():
        return [f"analyzer failed (exit {r.returncode}): {r.stderr.strip()[:300]}"]
    rep = json.loads(r.stdout)
    by = {x["index"]: x for x in rep.get("exchanges") or []}
    errs, named = [], set()
    for (n, i, method, p, status, verdict, cause) in read_expect(expect_of(d)):
        where = f"entry {i} {method} {p} {status}"
        if i >= len(entries):
            errs.append(f"{where}: no such entry")
            continue
        e = entries[i]
        if (e["request"]["method"], path_of(e["request"]["url"]), e["response"]["status"]) != (method, p, status):
            errs.append(f"{where}: trace has {e['request']['method']} {path_of(e['request']['url'])} {e['response']['status']}")
            continue
        x = by.get(i)
        listed, prob = x is not None, bool(x and x.get("problem"))
        if verdict == "ok":
            if prob:
                errs.append(f"{where}: healthy, but flagged as a problem: {causes(x)}")
        elif verdict == "not-problem":
            if not listed or prob:
                errs.append(f"{where}: want listed with problem:false, got listed={listed} problem={prob}" + (f" ({causes(x)})" if prob else ""))
        elif verdict == "flagged":
            named.add(i)
            if not prob:
                errs.append(f"{where}: want a problem, got listed={listed} problem={prob}")
        else:
            named.add(i)
            if not prob:
                errs.append(f"{where}: want {verdict}={cause}, got listed={listed} problem={prob}" + (f" ({causes(x)})" if listed else ""))
            elif verdict == "cause":
                top = (x.get("diagnoses") or [{}])[0].get("cause")
                if top != cause:
                    errs.append(f"{where}: want top cause {cause}, got {causes(x)}")
            elif not any(dg["cause"] == cause for dg in x.get("diagnoses") or []):
                errs.append(f"{where}: want {cause} among causes, got {causes(x)}")
    for i, x in sorted(by.items()):
        if x.get("problem") and i not in named:
            errs.append(f"entry {i} {x['method']} {path_of(x['url'])} {x['status']}: flagged ({causes(x)}) but expect.txt does not name it")
    return errs


def main():
    binary = os.environ["AUTHLENS"]
    if sys.argv[1:2] in (["-h"], ["--help"]):
        sys.exit(__doc__)
    names = trace_dirs(sys.argv[1:] or [TRACES])
    if not names:
        sys.exit("score.py: no trace.har at or below " + " ".join(sys.argv[1:] or [TRACES]))
    passed = failed = 0
    for name in names:
        errs = score(binary, name)
        if errs:
            failed += 1
            print(f"FAIL {name}")
            for e in errs:
                print(f"     {e}")
        else:
            passed += 1
            print(f"PASS {name}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


sys.exit(main())
