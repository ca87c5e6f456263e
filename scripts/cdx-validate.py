#!/usr/bin/env python3
"""Validates CycloneDX 1.6 JSON documents with the CycloneDX project's own
schema validator (PyPI cyclonedx-python-lib, strict: no property the
schema does not define), offline.

usage: cdx-validate.py FILE...   exit 0: all valid; 1: one is not (says why)
"""
import sys

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator


def main(paths):
    validator = JsonStrictValidator(SchemaVersion.V1_6)
    bad = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        error = validator.validate_str(text)
        if error is not None:
            print(f"{path}: not valid CycloneDX 1.6: {error}", file=sys.stderr)
            bad += 1
        else:
            print(f"{path}: valid CycloneDX 1.6")
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
