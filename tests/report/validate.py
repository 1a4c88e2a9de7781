#!/usr/bin/python3
"""validate.py JUNIT.XML RESULTS.JSON — junit.xml against tests/report/junit.xsd
(python3-lxml), results.json by the json module; prints the reason and exits 1
on the first problem."""
import json
import os
import sys

from lxml import etree

schema = etree.XMLSchema(etree.parse(os.path.join(os.path.dirname(__file__), "junit.xsd")))
doc = etree.parse(sys.argv[1])
if not schema.validate(doc):
    print(f"{sys.argv[1]}: {schema.error_log.last_error}")
    sys.exit(1)
with open(sys.argv[2], encoding="utf-8") as f:
    data = json.load(f)
for key in ("verdict", "complete", "summary", "host", "checks", "metrics"):
    if key not in data:
        print(f"{sys.argv[2]}: no '{key}'")
        sys.exit(1)
print("valid")
