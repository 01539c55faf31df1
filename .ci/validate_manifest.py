"""Check manifest.yml against Slack's own app-manifest JSON Schema (draft-07).

CI passes the schema's path (it lives outside the project, in ../shared/specs); a user's clone
has no such file, so this is a CI step, not a test."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml
from jsonschema import Draft7Validator


def main(schema_path: str, manifest_path: str = "manifest.yml") -> int:
    schema = json.loads(Path(schema_path).read_text())
    manifest = yaml.safe_load(Path(manifest_path).read_text())
    problems = sorted(Draft7Validator(schema).iter_errors(manifest), key=lambda e: list(e.path))
    for problem in problems:
        where = "/".join(str(part) for part in problem.path) or "(top)"
        print(f"manifest.yml: {where}: {problem.message}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
