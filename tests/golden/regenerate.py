"""Regenerate the golden expectations on purpose: python tests/golden/regenerate.py [SOURCE]."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.golden.golden import HERE, SPEC, extract  # noqa: E402

for name in sys.argv[1:] or list(SPEC):
    fields = extract(name)
    if fields is None:
        print(f"{name}: page not available (../shared absent?), kept as is")
        continue
    (HERE / f"{name}.json").write_text(json.dumps(fields, ensure_ascii=False, indent=2) + "\n",
                                       encoding="utf-8")
    print(f"{name}: written")
