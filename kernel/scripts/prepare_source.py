#!/usr/bin/env python3
"""Keep a kernel source tree equal to the linux-source tarball plus kernel/patches/series.

usage: prepare_source.py TREE [--tarball FILE] [--count N]

--count N applies only the first N patches of the series (for checking that every prefix builds).

The first run extracts the tarball. Later runs only rewrite the files the old or the new
series touch, and only those whose content changes, so that an incremental kernel build
after editing one patch recompiles only what that patch affects. Pristine copies of patched
files are kept in TREE/.swapns/pristine.
"""
import argparse
import filecmp
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

KDIR = Path(__file__).resolve().parent.parent
DIFF_PATH = re.compile(r"^(?:---|\+\+\+) [ab]/(\S+)")


def series_patches():
    series = KDIR / "patches" / "series"
    names = [l.strip() for l in series.read_text().splitlines() if l.strip() and not l.startswith("#")]
    return [KDIR / "patches" / n for n in names]


def touched_paths(patches):
    paths = set()
    for p in patches:
        for line in p.read_text(errors="replace").splitlines():
            m = DIFF_PATH.match(line)
            if m:
                paths.add(m.group(1))
    return paths


def tarball_id(tarball):
    st = tarball.stat()
    return f"{tarball.resolve()}:{st.st_size}:{int(st.st_mtime)}"


def extract(tree, tarball):
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir(parents=True)
    print(f"prepare_source: extracting {tarball}", flush=True)
    subprocess.run(["tar", "-xf", str(tarball), "-C", str(tree), "--strip-components=1"], check=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tree", type=Path)
    ap.add_argument("--tarball", type=Path, default=Path("/usr/src/linux-source-6.12.tar.xz"))
    ap.add_argument("--count", type=int, help="apply only the first COUNT patches")
    args = ap.parse_args()
    tree = args.tree.resolve()
    meta = tree / ".swapns"
    state_file = meta / "state.json"

    if not args.tarball.exists():
        sys.exit(f"prepare_source: {args.tarball} not found; run kernel/scripts/fetch-source")
    state = json.loads(state_file.read_text()) if state_file.exists() else {}
    if state.get("tarball") != tarball_id(args.tarball) or not (tree / "Makefile").exists():
        extract(tree, args.tarball)
        state = {"tarball": tarball_id(args.tarball), "touched": [], "series": ""}

    patches = series_patches()
    if args.count is not None:
        patches = patches[:args.count]
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in patches)).hexdigest()
    if state.get("series") == digest:
        return 0

    old_touched = set(state["touched"])
    new_touched = touched_paths(patches)
    pristine_dir = meta / "pristine"
    with tempfile.TemporaryDirectory(dir=tree.parent) as tmp:
        stage = Path(tmp) / "stage"
        new_pristine = Path(tmp) / "pristine"
        stage.mkdir()
        new_pristine.mkdir()
        # Pristine version of every path involved: a saved copy if an old patch touched it,
        # the tree's own file if none did, nothing if an old patch created it.
        for path in sorted(old_touched | new_touched):
            if path in old_touched:
                src = pristine_dir / path
            else:
                src = tree / path
            if src.exists():
                for dst in (stage / path, new_pristine / path):
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(src, dst)
        for p in patches:
            r = subprocess.run(["patch", "-p1", "-s", "-f", "--no-backup-if-mismatch", "-d", str(stage), "-i", str(p)],
                               capture_output=True, text=True)
            if r.returncode != 0:
                sys.exit(f"prepare_source: {p.name} does not apply:\n{r.stdout}{r.stderr}")
        changed = 0
        for path in sorted(old_touched | new_touched):
            final, current = stage / path, tree / path
            if final.exists():
                if not current.exists() or not filecmp.cmp(final, current, shallow=False):
                    current.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(final, current)
                    shutil.copymode(final, current)
                    changed += 1
            elif current.exists():
                current.unlink()
                changed += 1
        if pristine_dir.exists():
            shutil.rmtree(pristine_dir)
        meta.mkdir(exist_ok=True)
        shutil.move(str(new_pristine), str(pristine_dir))
    state.update(touched=sorted(new_touched), series=digest)
    state_file.write_text(json.dumps(state, indent=1) + "\n")
    print(f"prepare_source: {len(patches)} patches applied, {changed} files changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
