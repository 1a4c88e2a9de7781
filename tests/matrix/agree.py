#!/usr/bin/python3
"""agree.py DIR [PAGE]: do DIR/matrix.json, DIR/junit.xml and the matrix
page (PAGE: e.g. the DOM headless Chromium rendered; default DIR/matrix.html)
say what each configuration's own DIR/NAME/results.json says?  Prints
"agree", or each disagreement and exits 1."""
import json
import os
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

out = sys.argv[1]
page = sys.argv[2] if len(sys.argv) > 2 else os.path.join(out, "matrix.html")
bad = []


def disagree(msg):
    bad.append(msg)


with open(os.path.join(out, "matrix.json")) as f:
    m = json.load(f)
confs = m["configurations"]
own = {}
for c in confs:
    p = os.path.join(out, c["name"], "results.json")
    if os.path.exists(p):
        with open(p) as f:
            own[c["name"]] = json.load(f)
if not own:
    disagree("no configuration has a results.json")

# matrix.json
for c in confs:
    r = own.get(c["name"])
    if r is None:
        if c["checks"]:
            disagree("matrix.json: %s has checks but no results.json" % c["name"])
        continue
    mine = [(x["id"], x["result"], x["reason"]) for x in c["checks"]]
    theirs = [(x["id"], x["result"], x["reason"]) for x in r["checks"]]
    if mine != theirs:
        disagree("matrix.json: %s's checks differ from its results.json" % c["name"])
    if c["verdict"] != r["verdict"] or c["summary"] != r["summary"]:
        disagree("matrix.json: %s: verdict/summary %s %s, results.json %s %s"
                 % (c["name"], c["verdict"], c["summary"], r["verdict"], r["summary"]))
rows = {row["id"]: row["results"] for row in m["checks"]}
for name, r in own.items():
    for x in r["checks"]:
        if rows.get(x["id"], {}).get(name) != x["result"]:
            disagree("matrix.json checks: %s %s is %s, results.json %s"
                     % (name, x["id"], rows.get(x["id"], {}).get(name), x["result"]))
    ids = {x["id"] for x in r["checks"]}
    for cid, res in rows.items():
        if cid not in ids and res.get(name) is not None:
            disagree("matrix.json checks: %s %s is %s but not in results.json" % (name, cid, res.get(name)))

# junit.xml: a testsuite per configuration, in order
root = ET.parse(os.path.join(out, "junit.xml")).getroot()
suites = root.findall("testsuite")
if [s.get("name") for s in suites] != [c["name"] for c in confs]:
    disagree("junit.xml: suites %s, configurations %s" % ([s.get("name") for s in suites], [c["name"] for c in confs]))
total = 0
for s, c in zip(suites, confs):
    cases = s.findall("testcase")
    total += len(cases)
    if s.get("tests") != str(len(cases)):
        disagree("junit.xml: %s says tests=%s, has %d" % (c["name"], s.get("tests"), len(cases)))
    for what in ("failure", "skipped", "error"):
        n = sum(1 for t in cases if t.find(what) is not None)
        attr = {"failure": "failures", "skipped": "skipped", "error": "errors"}[what]
        if s.get(attr) != str(n):
            disagree("junit.xml: %s says %s=%s, has %d" % (c["name"], attr, s.get(attr), n))
    exp = [t for t in cases if t.get("name") == "matrix.expectation"]
    if len(exp) != 1:
        disagree("junit.xml: %s has %d matrix.expectation cases" % (c["name"], len(exp)))
    else:
        got = "unmet" if exp[0].find("failure") is not None else "infra" if exp[0].find("error") is not None else "met"
        if got != c["outcome"]:
            disagree("junit.xml: %s expectation %s, matrix.json %s" % (c["name"], got, c["outcome"]))
    r = own.get(c["name"])
    if r is None:
        continue
    by = {t.get("name"): t for t in cases if t.get("name") != "matrix.expectation"}
    for x in r["checks"]:
        t = by.get(x["id"])
        if t is None:
            disagree("junit.xml: %s has no testcase %s" % (c["name"], x["id"]))
            continue
        if not t.get("classname", "").startswith(c["name"] + "."):
            disagree("junit.xml: %s %s classname %s" % (c["name"], x["id"], t.get("classname")))
        got = ("fail" if t.find("failure") is not None else "skip" if t.find("skipped") is not None
               else "warn" if (t.findtext("system-out") or "").startswith("WARN") else "pass")
        if got != x["result"]:
            disagree("junit.xml: %s %s is %s, results.json %s" % (c["name"], x["id"], got, x["result"]))
        if x["result"] == "fail" and t.find("failure").get("message") != x["reason"]:
            disagree("junit.xml: %s %s: failure message differs from the reason" % (c["name"], x["id"]))
if root.get("tests") != str(total):
    disagree("junit.xml: testsuites tests=%s, %d testcases" % (root.get("tests"), total))


# the page: table#matrix, a column per configuration, a row per check
class Table(HTMLParser):
    def __init__(self):
        super().__init__()
        self.on = self.section = None
        self.head, self.rows, self.cell, self.text = [], [], None, ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("id") == "matrix":
            self.on = True
        if not self.on:
            return
        if tag in ("thead", "tbody"):
            self.section = tag
        elif tag == "tr":
            (self.head if self.section == "thead" else self.rows).append([])
        elif tag in ("td", "th"):
            self.cell = {"class": a.get("class"), "title": a.get("title"), "href": None}
            self.text = ""
        elif tag == "a" and self.cell is not None:
            self.cell["href"] = a.get("href")

    def handle_endtag(self, tag):
        if tag == "table":
            self.on = False
        if self.on and tag in ("td", "th") and self.cell is not None:
            self.cell["text"] = self.text.strip()
            (self.head if self.section == "thead" else self.rows)[-1].append(self.cell)
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.text += data


t = Table()
with open(page, encoding="utf-8") as f:
    t.feed(f.read())
if not t.head:
    disagree("%s: no table#matrix" % page)
else:
    names = [x["text"] for x in t.head[0][1:]]
    if names != [c["name"] for c in confs]:
        disagree("page: columns %s, configurations %s" % (names, [c["name"] for c in confs]))
    for x, c in zip(t.head[0][1:], confs):
        want = "%s/report.html" % c["name"] if c["name"] in own else None
        if x["href"] != want:
            disagree("page: %s's column links to %s, not %s" % (c["name"], x["href"], want))
    seen = set()
    for row in t.rows:
        cid = row[0]["text"]
        seen.add(cid)
        for x, c in zip(row[1:], confs):
            r = {y["id"]: y for y in own.get(c["name"], {"checks": []})["checks"]}.get(cid)
            want_class = r["result"] if r else "none"
            if x["class"] != want_class:
                disagree("page: %s %s is %s, results.json %s" % (c["name"], cid, x["class"], want_class))
            elif r and (x["title"] != r["reason"] or x["href"] != "%s/report.html" % c["name"]):
                disagree("page: %s %s: hover text or link differs (%r)" % (c["name"], cid, x["title"]))
    for name, r in own.items():
        for y in r["checks"]:
            if y["id"] not in seen:
                disagree("page: no row for %s (%s)" % (y["id"], name))

if bad:
    print("\n".join(bad[:20]))
    sys.exit(1)
print("agree")
