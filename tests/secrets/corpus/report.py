"""Print the corpus figures: `python3 tests/secrets/corpus/report.py [options]` from the repository root.

Records the whole corpus live from a local server (as tests/secrets/test_shape_corpus.py does) and prints, per
split, the secrets leaked into cassettes and reports, the look-alikes scrubbed, and what `contracts scan` flags
on unscrubbed copies, with the failing ids of the tune split. `--write-holdout` rewrites holdout_ids.txt;
`--keep DIR` records into DIR and leaves it there to look at; `--no-ids` prints the counts only;
`--holdout-too` also lists the failing ids of the held-out third (for the closing figures, not for tuning).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]
sys.path.append(str(HERE.parents[2] / "src"))  # PYTHONPATH, when set, names the tree measured

from plant_support import PlantServer  # noqa: E402
from shape_harness import build_corpus, environ, format_figures, holdout_ids, run_corpus  # noqa: E402


def _run_cli(*args: str) -> tuple[int, str, str]:
    from contractkit.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def main() -> int:
    if "--write-holdout" in sys.argv:
        (HERE / "holdout_ids.txt").write_text("\n".join(holdout_ids(build_corpus())) + "\n")
        return 0
    os.environ.update(environ())
    os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
    keep = sys.argv[sys.argv.index("--keep") + 1] if "--keep" in sys.argv else None
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(keep or tmp)
        root.mkdir(parents=True, exist_ok=True)
        cwd = os.getcwd()
        os.chdir(root)
        try:
            outcome = run_corpus(root, _run_cli, PlantServer)
        finally:
            os.chdir(cwd)
    import contractkit

    print(f"measured: {Path(contractkit.__file__).parent}")
    print(format_figures(outcome, ids="--no-ids" not in sys.argv, holdout="--holdout-too" in sys.argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
