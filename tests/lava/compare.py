#!/usr/bin/python3
"""compare.py LAVA_LOG DIR: do LAVA's test cases say what hvprobe printed?

LAVA_LOG is what lava-run wrote on its standard output: one YAML mapping per
line (lvl target or feedback: a line of the device's serial console, with '"' written
as '\\"'; lvl results: a test case).  The serial console is written to
DIR/serial.log and read by the project's own parser (build/hvreport, into
DIR/results.json); every check it finds must be a test case of the monitor
"hvprobe" with the same outcome (pass, fail, skip; warn is a pass for LAVA),
under its id (extra.test_case_id; case: the id with '.' made '_'), and LAVA
must have no other case there.  What hvprobe printed: each TAP line, read
here line by line (a crash can come between a check's TAP line and its JSON
line, which is all hvreport reads); hvreport's results must agree with them.  Prints one line of counts, or each
disagreement and exits 1.  Standard library and PyYAML (a lava-dispatcher
dependency).
"""
import json
import os
import re
import subprocess
import sys

import yaml

log, outdir = sys.argv[1], sys.argv[2]
os.makedirs(outdir, exist_ok=True)
serial, cases, lava = [], {}, {}
with open(log, encoding="utf-8", errors="replace") as f:
    for line in f:
        try:
            d = yaml.safe_load(line)
        except yaml.YAMLError:
            continue
        if not isinstance(d, dict):
            continue
        # "feedback": console text LAVA read after the monitor's end pattern
        # matched (the rest of the verdict line, when it arrived in a later
        # read than the pattern), logged by the finalize step's read-feedback
        if d.get("lvl") in ("target", "feedback") and isinstance(d.get("msg"), str):
            # LAVA drops the escape character of the firmware's terminal
            # codes but keeps the rest of them ("[0m[37m[40m"): removed here
            text = d["msg"].replace('\\"', '"')
            serial.append(re.sub(r"^(\[[0-9;?=]*[A-Za-z])+", "", text))
        elif d.get("lvl") == "results" and isinstance(d.get("msg"), dict):
            m = d["msg"]
            if m.get("definition") == "hvprobe":
                cid = (m.get("extra") or {}).get("test_case_id", m.get("case"))
                if cid in cases:
                    print("LAVA has %s twice" % cid)
                    sys.exit(1)
                cases[cid] = (m.get("case"), m.get("result"))
            elif m.get("definition") == "lava":
                lava[m.get("case")] = m.get("result")

with open(os.path.join(outdir, "serial.log"), "w", encoding="utf-8") as f:
    f.write("\n".join(serial) + "\n")
repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
subprocess.run([os.path.join(repo, "build", "hvreport"), os.path.join(outdir, "serial.log"), outdir],
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    with open(os.path.join(outdir, "results.json"), encoding="utf-8") as f:
        res = json.load(f)
except (OSError, ValueError) as e:
    print("hvreport read nothing from the serial console LAVA logged: %s" % e)
    sys.exit(1)

bad = []
lava_of = {"pass": "pass", "fail": "fail", "skip": "skip", "warn": "pass"}
printed = {}
for line in serial:
    m = re.match(r"^(not ok|ok) [0-9]+ - (\S+?)(?:: | # (SKIP|WARN) )", line)
    if m:
        printed[m.group(2)] = "fail" if m.group(1) == "not ok" else (m.group(3) or "pass").lower()
for c in res["checks"]:
    if printed.get(c["id"]) != c["result"]:
        bad.append("%s: hvreport reads %s, the TAP line says %s" % (c["id"], c["result"], printed.get(c["id"])))
# hvreport reads every check too, but in a log cut short the last TAP line's
# JSON line may never have been printed
unread = [cid for cid in printed if cid not in {c["id"] for c in res["checks"]}]
if unread and (res["complete"] or unread != list(printed)[-1:]):
    bad.append("hvreport did not read %s from the serial console LAVA logged" % ", ".join(unread[:5]))
for cid, result in printed.items():
    if cid not in cases:
        bad.append("%s (%s) printed but not a LAVA test case" % (cid, result))
        continue
    case, got = cases[cid]
    if got != lava_of[result]:
        bad.append("%s: LAVA says %s, hvprobe printed %s" % (cid, got, result))
    if case != re.sub(r"\W+", "_", cid.lower()):
        bad.append("%s: LAVA's case name is %s" % (cid, case))
for cid in cases:
    if cid not in printed:
        bad.append("LAVA has a test case %s that hvprobe did not print" % cid)
if not printed:
    bad.append("no check in the serial console LAVA logged")
if bad:
    print("\n".join(bad[:20]))
    sys.exit(1)
n = {k: sum(1 for r in printed.values() if r == k) for k in ("pass", "fail", "skip", "warn")}
print("same: %d checks (%d pass, %d fail, %d skip, %d warn), verdict %s, monitor %s, job %s" % (
    len(printed), n["pass"], n["fail"], n["skip"], n["warn"], res["verdict"],
    lava.get("lava-test-monitor"), lava.get("job")))
