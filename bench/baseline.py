"""A benchmark's figures against a saved baseline (`--compare FILE`): each figure's change printed, and flagged when
it moved more than REGRESSION the wrong way; the scripts exit 1 then."""

import json
from pathlib import Path

REGRESSION = 0.20
HIGHER, LOWER, SHOWN = 1, -1, 0  # which way is better; SHOWN: printed, never flagged (the bare loop's own rate)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def compared(path: Path, rows, *, about: str = "") -> bool:
    """rows: (label, baseline figure or None, figure, HIGHER | LOWER | SHOWN, format such as "{:.1f} ms").
    True when a figure regressed."""
    print(f"\nCompared with {path}{f' ({about})' if about else ''}:")
    regressed = False
    for label, old, new, better, fmt in rows:
        if not old:
            print(f"  {label:<18} not in the baseline")
            continue
        delta = (new - old) / old
        bad = better != SHOWN and -better * delta > REGRESSION
        regressed |= bad
        print(f"  {label:<18} {fmt.format(old)} -> {fmt.format(new)} ({delta:+.0%})  {'REGRESSION' if bad else 'ok'}")
    return regressed
