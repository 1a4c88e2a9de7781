"""The matrix of host configurations: the file syntax, one cell's run.sh
command line, and the merged outputs (matrix.json, junit.xml, matrix.html and
the terminal table).  Used by tools/matrix/run and tools/matrix/merge; see
README.md here.  Python 3 standard library only.
"""
import html
import json
import os
import re
import shlex
import xml.etree.ElementTree as ET

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# the run.sh each cell runs; tests/matrix/run puts a stand-in here to make
# infrastructure failures on purpose
RUN_SH = os.environ.get("HVPROBE_MATRIX_RUN_SH") or os.path.join(REPO, "run.sh")

# The keys of a matrix line and the run.sh option each becomes.  None: the
# runner handles the key itself.
KEYS = {
    "name": None,           # the configuration's name: its directory and column
    "host": "--host",       # sim, tcg, kvm, nested (tools/host/*)
    "l2": "--l2-qemu",      # nested: L2's QEMU, 10 or 7.2
    "smp": "--smp",         # kvm, nested: vCPUs
    "mem": None,            # kvm, nested: MiB, through HVPROBE_MEM
    "hv": "--hv-flags",     # kvm, nested: the hv-* list (comma-separated)
    "expect": "--expect",   # hyperv, qemu, none or a profile file
    "config": "--config",   # a hvprobe.cfg to start from
    "set": "--set",         # KEY=VALUE for hvprobe.cfg, repeatable
    "scenario": "--scenario",  # sim: a tests/sim scenario
    "balloon": "--balloon",  # kvm, nested: a Dynamic Memory cycle of MIB
    "timeout": "--timeout",  # seconds for the guest (run.sh's default 120)
    "want": None,           # PASS, FAIL or NO-HYPERV: the verdict this cell must give
}
# keys that only some hosts take (run.sh refuses or ignores them elsewhere)
HOST_ONLY = {
    "l2": ("nested",),
    "smp": ("kvm", "nested"),
    "mem": ("kvm", "nested"),
    "hv": ("kvm", "nested"),
    "balloon": ("kvm", "nested"),
    "scenario": ("sim",),
}
NUMERIC = ("smp", "mem", "balloon", "timeout")
VERDICTS = ("PASS", "FAIL", "NO-HYPERV")
PROFILES = ("hyperv", "qemu", "none")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# what a cell costs, roughly, in wall time (for the order cells start in)
WEIGHT = {"nested": 60, "kvm": 20, "tcg": 15, "sim": 2}

# run.sh's exit statuses and the verdicts they mean
EXIT_VERDICT = {0: "PASS", 1: "FAIL", 3: "NO-HYPERV"}


class MatrixError(Exception):
    """A line of the matrix file is wrong: FILE:LINE: what."""


def hosts():
    """The hosts run.sh has launchers for."""
    d = os.path.join(REPO, "tools", "host")
    return sorted(f for f in os.listdir(d)
                  if "." not in f and f != "README" and os.access(os.path.join(d, f), os.X_OK))


def _resolve(path, matrix_dir):
    """A file named on a matrix line: absolute, or relative to the repository
    root, or else to the matrix file's directory."""
    if os.path.isabs(path):
        return path
    for base in (REPO, matrix_dir):
        p = os.path.join(base, path)
        if os.path.exists(p):
            return os.path.abspath(p)
    return None


def parse(path):
    """The cells of a matrix file, in file order: a list of dicts with the
    line's keys (set: a list) plus name, line (number) and source (the text)."""
    cells, names, defaults = [], set(), {}
    matrix_dir = os.path.dirname(os.path.abspath(path))
    known_hosts = hosts()
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for lineno, text in enumerate(lines, 1):
        where = "%s:%d" % (path, lineno)
        try:
            tokens = shlex.split(text, comments=True)
        except ValueError as e:
            raise MatrixError("%s: %s" % (where, e)) from None
        if not tokens:
            continue
        is_defaults = tokens[0] == "defaults"
        if is_defaults:
            tokens = tokens[1:]
        cell = {"set": list(defaults.get("set", []))}
        for k, v in defaults.items():
            if k != "set":
                cell[k] = v
        own = {"set": []}
        for tok in tokens:
            key, eq, value = tok.partition("=")
            if not eq:
                raise MatrixError("%s: '%s' is not KEY=VALUE" % (where, tok))
            if key not in KEYS:
                raise MatrixError("%s: unknown key '%s' (keys: %s)" % (where, key, ", ".join(KEYS)))
            if value == "":
                raise MatrixError("%s: %s= has no value" % (where, key))
            if key == "set":
                if "=" not in value:
                    raise MatrixError("%s: set=%s is not set=KEY=VALUE" % (where, value))
                own["set"].append(value)
            elif key in own:
                raise MatrixError("%s: %s= given twice" % (where, key))
            else:
                own[key] = value
        if is_defaults:
            if "name" in own:
                raise MatrixError("%s: a defaults line cannot set name=" % where)
            defaults = {k: v for k, v in own.items() if k != "set"}
            defaults["set"] = own["set"]
            continue
        cell.update({k: v for k, v in own.items() if k != "set"})
        cell["set"] += own["set"]
        name = cell.get("name")
        if not name:
            raise MatrixError("%s: no name= (every configuration needs one)" % where)
        if not NAME_RE.match(name):
            raise MatrixError("%s: name '%s': letters, digits, '.', '_' and '-' only" % (where, name))
        if name in names:
            raise MatrixError("%s: name '%s' used twice" % (where, name))
        host = cell.get("host")
        if not host:
            raise MatrixError("%s: %s has no host=" % (where, name))
        if host not in known_hosts:
            raise MatrixError("%s: unknown host '%s' (one of: %s)" % (where, host, " ".join(known_hosts)))
        for key, allowed in HOST_ONLY.items():
            if key in cell and host not in allowed:
                raise MatrixError("%s: %s= applies to host %s, not %s" % (where, key, " or ".join(allowed), host))
        for key in NUMERIC:
            if key in cell and not re.match(r"^[1-9][0-9]*$", cell[key]):
                raise MatrixError("%s: %s= takes a whole number, not '%s'" % (where, key, cell[key]))
        if "l2" in cell and cell["l2"] not in ("10", "7.2"):
            raise MatrixError("%s: l2= takes 10 or 7.2, not '%s'" % (where, cell["l2"]))
        if "hv" in cell and not re.match(r"^hv-[a-z0-9=-]+(,hv-[a-z0-9=-]+)*$", cell["hv"]):
            raise MatrixError("%s: hv= takes a comma-separated list of hv-* flags, not '%s'" % (where, cell["hv"]))
        want = cell.get("want") or ("NO-HYPERV" if host == "tcg" else "PASS")
        if want not in VERDICTS:
            raise MatrixError("%s: want= takes %s, not '%s'" % (where, ", ".join(VERDICTS), want))
        cell["want"] = want
        for key in ("scenario", "config"):
            if key in cell:
                p = _resolve(cell[key], matrix_dir)
                if not p:
                    raise MatrixError("%s: %s=%s: no such file" % (where, key, cell[key]))
                cell[key] = p
        if "expect" in cell and cell["expect"] not in PROFILES:
            p = _resolve(cell["expect"], matrix_dir)
            if not p:
                raise MatrixError("%s: expect=%s is neither %s nor a file" % (where, cell["expect"], ", ".join(PROFILES)))
            cell["expect"] = p
        names.add(name)
        cell.update(line=lineno, source=text.split("#", 1)[0].strip(), index=len(cells))
        cells.append(cell)
    if not cells:
        raise MatrixError("%s: no configuration in it" % path)
    return cells


def command(cell, outdir):
    """run.sh's argument vector and the extra environment for a cell."""
    argv = [RUN_SH, "--quiet", "--host", cell["host"], "--out", outdir]
    for key, opt in KEYS.items():
        if opt is None or key in ("host", "set") or key not in cell:
            continue
        argv += [opt, cell[key]]
    for s in cell["set"]:
        argv += ["--set", s]
    env = {}
    if "mem" in cell:
        env["HVPROBE_MEM"] = cell["mem"]
    return argv, env


def describe(cell):
    """A short line for a configuration: its keys but name and want."""
    parts = []
    for key in KEYS:
        if key in ("name", "want", "set") or key not in cell:
            continue
        v = cell[key]
        if key in ("scenario", "config", "expect") and os.path.isabs(v):
            v = os.path.relpath(v, REPO) if v.startswith(REPO + os.sep) else v
        parts.append("%s=%s" % (key, v))
    parts += ["set=%s" % s for s in cell["set"]]
    return " ".join(parts)


# ---- merging ---------------------------------------------------------------

def load_cells(outdir):
    """Every DIR/NAME/cell.json under outdir, in matrix order."""
    cells = []
    for name in sorted(os.listdir(outdir)):
        p = os.path.join(outdir, name, "cell.json")
        if os.path.isfile(p):
            with open(p, encoding="utf-8") as f:
                cells.append(json.load(f))
    cells.sort(key=lambda c: (c.get("index", 0), c["name"]))
    return cells


def load_results(outdir, cell):
    """The cell's results.json, or None."""
    p = os.path.join(outdir, cell["name"], "results.json")
    try:
        with open(p, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def check_rows(results_by_cell):
    """The union of the check ids, each configuration's order kept: an id
    not seen yet goes right after the id its configuration printed before it."""
    rows = []
    for checks in results_by_cell:
        mine = {c["id"] for c in checks}
        prev = None
        for c in checks:
            cid = c["id"]
            if cid in rows:
                prev = cid
                continue
            at = rows.index(prev) + 1 if prev is not None else 0
            # after the ids other configurations placed behind prev
            while prev is not None and at < len(rows) and rows[at] not in mine:
                at += 1
            rows.insert(at, cid)
            prev = cid
    return rows


def status_of(cells):
    """The matrix's exit status: 2 when a cell had an infrastructure failure,
    else 1 when a cell did not give the verdict it wants, else 0."""
    if any(c["outcome"] == "infra" for c in cells):
        return 2
    if any(c["outcome"] != "met" for c in cells):
        return 1
    return 0


def merge(outdir, cells, matrix_path=None, elapsed=None):
    """Write matrix.json, junit.xml and matrix.html into outdir; return
    (status, the terminal table as text)."""
    results = {c["name"]: load_results(outdir, c) for c in cells}
    per_cell_checks = [results[c["name"]]["checks"] if results[c["name"]] else [] for c in cells]
    rows = check_rows(per_cell_checks)
    status = status_of(cells)
    by_id = []
    for c in cells:
        r = results[c["name"]]
        by_id.append({x["id"]: x for x in r["checks"]} if r else {})
    doc = {
        "matrix": matrix_path,
        "status": status,
        "elapsed_s": elapsed,
        "counts": {o: sum(1 for c in cells if c["outcome"] == o) for o in ("met", "unmet", "infra")},
        "configurations": [],
        "checks": [],
    }
    for c, r in zip(cells, [results[c["name"]] for c in cells]):
        conf = {k: c.get(k) for k in ("name", "index", "line", "source", "options", "want", "verdict",
                                      "outcome", "reason", "exit_status", "attempts", "seconds",
                                      "shared_l1")}
        conf["report"] = "%s/report.html" % c["name"] if r else None
        conf["complete"] = r["complete"] if r else None
        conf["summary"] = r["summary"] if r else None
        conf["host_identity"] = r["host"] if r else None
        conf["checks"] = [{"id": x["id"], "result": x["result"], "reason": x["reason"]}
                          for x in r["checks"]] if r else []
        doc["configurations"].append(conf)
    for cid in rows:
        doc["checks"].append({"id": cid, "results": {c["name"]: (m[cid]["result"] if cid in m else None)
                                                     for c, m in zip(cells, by_id)}})
    with open(os.path.join(outdir, "matrix.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    write_junit(os.path.join(outdir, "junit.xml"), outdir, cells, results)
    write_html(os.path.join(outdir, "matrix.html"), cells, results, rows, by_id, matrix_path, status, elapsed)
    return status, table(cells, results, rows, by_id)


def write_junit(path, outdir, cells, results):
    """One testsuite per configuration: the testcases of the cell's own
    junit.xml (classname prefixed with the configuration, so CI systems that
    ignore suite names keep them apart), and matrix.expectation: whether the
    configuration gave the verdict it wants (an error for an infrastructure
    failure)."""
    root = ET.Element("testsuites", name="hvprobe matrix")
    tot = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for c in cells:
        suite = ET.SubElement(root, "testsuite", name=c["name"])
        props = ET.SubElement(suite, "properties")
        for k in ("source", "want", "verdict", "outcome"):
            ET.SubElement(props, "property", name=k, value=str(c.get(k) or ""))
        cases = []
        jp = os.path.join(outdir, c["name"], "junit.xml")
        if results[c["name"]] is not None and os.path.isfile(jp):
            for tc in ET.parse(jp).getroot().iter("testcase"):
                tc.set("classname", "%s.%s" % (c["name"], tc.get("classname", "")))
                cases.append(tc)
        exp = ET.Element("testcase", classname=c["name"], name="matrix.expectation",
                         time="%.3f" % (c.get("seconds") or 0))
        if c["outcome"] == "unmet":
            ET.SubElement(exp, "failure", message=c.get("reason") or "")
        elif c["outcome"] == "infra":
            ET.SubElement(exp, "error", message=c.get("reason") or "")
        cases.append(exp)
        n = {"tests": len(cases),
             "failures": sum(1 for t in cases if t.find("failure") is not None),
             "errors": sum(1 for t in cases if t.find("error") is not None),
             "skipped": sum(1 for t in cases if t.find("skipped") is not None)}
        for k, v in n.items():
            suite.set(k, str(v))
            tot[k] += v
        suite.set("time", "%.3f" % (c.get("seconds") or 0))
        suite.extend(cases)
    for k, v in tot.items():
        root.set(k, str(v))
    ET.indent(root, "  ")
    ET.ElementTree(root).write(path, encoding="UTF-8", xml_declaration=True)


LETTER = {"pass": ".", "fail": "F", "skip": "S", "warn": "W", None: "-"}
WORD = {"pass": "pass", "fail": "FAIL", "skip": "skip", "warn": "warn", None: "\u2014"}


def table(cells, results, rows, by_id):
    """The terminal table: one line per configuration, then the checks that
    are not a pass everywhere, one column per configuration."""
    out = []
    w = max([len(c["name"]) for c in cells] + [13])
    out.append("%-3s %-*s %-6s %-9s %-9s %5s %5s %5s %5s %6s  %s" % (
        "#", w, "configuration", "host", "want", "verdict", "pass", "fail", "skip", "warn", "time", "result"))
    for i, c in enumerate(cells, 1):
        r = results[c["name"]]
        s = r["summary"] if r else {}
        res = {"met": "ok", "unmet": "NOT MET", "infra": "INFRA"}[c["outcome"]]
        if c["outcome"] != "met" and c.get("reason"):
            res += ": " + c["reason"]
        out.append("%-3d %-*s %-6s %-9s %-9s %5s %5s %5s %5s %5ds  %s" % (
            i, w, c["name"], c["options"].get("host", ""), c["want"], c.get("verdict") or "-",
            s.get("passed", "-"), s.get("failed", "-"), s.get("skipped", "-"), s.get("warnings", "-"),
            round(c.get("seconds") or 0), res))
    same = [cid for cid in rows if all(m.get(cid, {}).get("result") in ("pass", None) for m in by_id)]
    shown = [cid for cid in rows if cid not in same]
    out.append("")
    out.append("%d checks pass in every configuration that ran them; the others "
               "(. pass, F fail, S skip, W warn, - not run; columns as numbered above):" % len(same))
    if shown:
        cw = max(len(x) for x in shown)
        out.append("%-*s %s" % (cw, "", " ".join("%-2d" % i for i in range(1, len(cells) + 1))))
        for cid in shown:
            out.append("%-*s %s" % (cw, cid, " ".join(
                "%-2s" % LETTER[m[cid]["result"] if cid in m else None] for m in by_id)))
    return "\n".join(out) + "\n"


CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}
table{border-collapse:collapse}
th,td{border:1px solid #ccc;padding:.2em .5em;text-align:center}
th.id,td.id{text-align:left;font-family:ui-monospace,monospace;white-space:nowrap}
thead th{background:#f4f4f4;vertical-align:bottom}
thead th.conf{max-width:12em}
td a{color:inherit;text-decoration:none;display:block}
.pass{background:#d8f0d8}.fail{background:#f6c5c5;font-weight:bold}.skip{background:#e8e8e8;color:#555}
.warn{background:#fbe7b5}.none{background:#fff;color:#aaa}
.met{color:#146c14}.unmet{color:#b00;font-weight:bold}.infra{color:#a05a00;font-weight:bold}
.PASS{color:#146c14}.FAIL{color:#b00}.NO-HYPERV{color:#555}
small{color:#666}
#status.s0{color:#146c14}#status.s1{color:#b00}#status.s2{color:#a05a00}
"""

JS = """
function f(){var only=document.getElementById('only').checked;
var rows=document.querySelectorAll('#matrix tbody tr');
for(var i=0;i<rows.length;i++){rows[i].style.display=(only&&rows[i].dataset.same==='1')?'none':'';}}
"""


def write_html(path, cells, results, rows, by_id, matrix_path, status, elapsed):
    """matrix.html: checks down, configurations across; each cell coloured by
    its outcome, the reason in its title (shown on hover), linked to the
    configuration's report.html.  Self-contained: no request leaves the page."""
    e = lambda s: html.escape(str(s), quote=True)
    words = {0: "every configuration gave the verdict it wants",
             1: "a configuration did not give the verdict it wants",
             2: "a configuration had an infrastructure failure"}
    counts = {o: sum(1 for c in cells if c["outcome"] == o) for o in ("met", "unmet", "infra")}
    p = []
    p.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
             "<title>hvprobe matrix</title><style>%s</style></head><body>\n" % CSS)
    p.append("<h1>hvprobe matrix: <span id=\"status\" class=\"s%d\">%s</span></h1>\n" % (status, e(words[status])))
    p.append("<p id=\"counts\">%d configurations: %d met, %d not met, %d infrastructure failures%s%s</p>\n" % (
        len(cells), counts["met"], counts["unmet"], counts["infra"],
        " &middot; %s" % e(matrix_path) if matrix_path else "",
        " &middot; %d s" % round(elapsed) if elapsed is not None else ""))
    p.append("<p><label><input type=\"checkbox\" id=\"only\" onchange=\"f()\"> only checks that are "
             "not a pass everywhere</label> &middot; <span class=\"pass\">pass</span> "
             "<span class=\"fail\">FAIL</span> <span class=\"skip\">skip</span> "
             "<span class=\"warn\">warn</span> <span class=\"none\">\u2014 not run</span>; "
             "the reason shows on hover; a column's name opens its report</p>\n")
    p.append("<table id=\"matrix\"><thead>\n<tr><th class=\"id\">configuration</th>")
    for c in cells:
        r = results[c["name"]]
        name = e(c["name"])
        if r:
            name = "<a href=\"%s/report.html\">%s</a>" % (e(c["name"]), name)
        p.append("<th class=\"conf\" title=\"%s\">%s</th>" % (e(c.get("source", "")), name))
    p.append("</tr>\n<tr><th class=\"id\">options</th>")
    for c in cells:
        p.append("<th class=\"conf\"><small>%s</small></th>" % e(c.get("describe", "")))
    p.append("</tr>\n<tr><th class=\"id\">verdict (want)</th>")
    for c in cells:
        v = c.get("verdict") or "none"
        p.append("<th class=\"%s\" data-outcome=\"%s\" title=\"%s\"><span class=\"%s\">%s</span> "
                 "<small>(%s)</small><br><span class=\"%s\">%s</span></th>" % (
                     e(c["outcome"]), e(c["outcome"]), e(c.get("reason") or "gave the verdict it wants"),
                     e(v), e(v), e(c["want"]), e(c["outcome"]),
                     {"met": "met", "unmet": "NOT MET", "infra": "INFRA"}[c["outcome"]]))
    p.append("</tr>\n</thead><tbody>\n")
    for cid in rows:
        same = all(m.get(cid, {}).get("result") in ("pass", None) for m in by_id)
        p.append("<tr data-same=\"%d\"><td class=\"id\">%s</td>" % (same, e(cid)))
        for c, m in zip(cells, by_id):
            x = m.get(cid)
            if x is None:
                why = "not reported by this configuration" if results[c["name"]] else "no result: " + (c.get("reason") or "")
                p.append("<td class=\"none\" title=\"%s\">\u2014</td>" % e(why))
            else:
                p.append("<td class=\"%s\" title=\"%s\"><a href=\"%s/report.html\">%s</a></td>" % (
                    e(x["result"]), e(x["reason"]), e(c["name"]), WORD[x["result"]]))
        p.append("</tr>\n")
    p.append("</tbody></table>\n<script>%s</script>\n</body></html>\n" % JS)
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(p))
