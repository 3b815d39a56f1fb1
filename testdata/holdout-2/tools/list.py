#!/usr/bin/env python3
"""Prints each entry of a scenario's trace.har with the facts that matter for
labelling: index, method, path, status, Authorization/Cookie sent, the
challenge, Set-Cookie, Location and the start of the body.
    python3 tools/list.py SCENARIO"""
import json
import os
import sys
from urllib.parse import urlsplit

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def hdr(hs, name):
    return [h["value"] for h in hs if h["name"].lower() == name]


def main(name):
    har = json.load(open(os.path.join(HERE, name, "trace.har")))
    for i, e in enumerate(har["log"]["entries"]):
        q, r = e["request"], e["response"]
        u = urlsplit(q["url"])
        line = f"{i:2} {q['method']:6} {u.scheme}://{u.netloc}{u.path}{'?' + u.query if u.query else ''} {r['status']}"
        facts = []
        for n in ("authorization", "cookie", "dpop"):
            for v in hdr(q["headers"], n):
                facts.append(f"{n}={v[:40]}")
        for n in ("www-authenticate", "proxy-authenticate", "set-cookie", "location", "retry-after", "server"):
            for v in hdr(r["headers"], n):
                facts.append(f"<{n}={v[:90]}")
        body = (r.get("content") or {}).get("text") or ""
        if r["status"] >= 300 and body:
            facts.append("body=" + " ".join(body.split())[:90])
        if r.get("_failureText"):
            facts.append("failure=" + r["_failureText"])
        print(line)
        for f in facts:
            print("      ", f)


if __name__ == "__main__":
    main(sys.argv[1])
