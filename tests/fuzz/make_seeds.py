#!/usr/bin/env python3
"""Writes the seed corpus of checkpoint_readers_fuzzer (see its header for the input format):
valid manifests and images that the fuzzer mutates. Run from this directory; the output is
committed, so that the corpus does not change under the fuzzer between builds."""
import hashlib
import json
import struct
from pathlib import Path

PAGE = 4096
UUID = "12345678-9abc-4def-8123-456789abcdef"


def swap_header(pages):
    """The first page of a swap area as mkswap writes it (include/linux/swap.h)."""
    page = bytearray(PAGE)
    uuid = bytes.fromhex(UUID.replace("-", ""))
    struct.pack_into("<III16s16s", page, 1024, 1, pages - 1, 0, uuid, b"job")
    page[PAGE - 10:] = b"SWAPSPACE2"
    return bytes(page)


def manifest(storage, data_runs, chunk_sums, tasks, pages=64):
    text = json.dumps({
        "format": "swapns-checkpoint", "version": 1, "created": "2026-12-03T17:00:00Z",
        "source_kernel": "6.12", "page_size": PAGE,
        "device": {"uuid": UUID, "label": "job", "pages": pages, "source_path": "/var/swap/job",
                   "storage": storage, "generation": 3 if storage == "in_place" else 0},
        "cgroup": {"path": "/box", "memory_max": "16777216", "swap_max": "max"},
        "data_runs": data_runs, "chunk_bytes": 2 * PAGE, "chunk_sha256": chunk_sums,
        "tasks": tasks, "criu_files": []})
    return text.encode()


def image(man, data):
    return b"\x01" + struct.pack("<I", len(man)) + man + data


def main():
    out = Path("corpus/checkpoint_readers")
    out.mkdir(parents=True, exist_ok=True)
    # A copied image: the header and slots 5..6, two chunks.
    data = swap_header(64) + bytes([7]) * PAGE + bytes([9]) * PAGE
    sums = [hashlib.sha256(data[i:i + 2 * PAGE]).hexdigest() for i in range(0, len(data), 2 * PAGE)]
    tasks = [{"pid": 1, "runs": [[0x400000, 5, 2, 0], [0x800000, 40, 3, 1]]},
             {"pid": 12, "runs": [[0x400000, 6, 1, 2]]}]
    copied = manifest("copied", [[0, 1], [5, 2]], sums, tasks)
    (out / "manifest-copied").write_bytes(b"\x00" + copied)
    (out / "image-copied").write_bytes(image(copied, data))
    in_place = manifest("in_place", [], [], [{"pid": 3, "runs": [[0x1000, 60, 4, 0]]}])
    (out / "manifest-in-place").write_bytes(b"\x00" + in_place)
    (out / "image-in-place").write_bytes(image(in_place, b""))


if __name__ == "__main__":
    main()
