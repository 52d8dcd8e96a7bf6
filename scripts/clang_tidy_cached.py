#!/usr/bin/env python3
"""Runs clang-tidy on source files, skipping those already found clean.

A file is skipped when a run with the same inputs found nothing: the same
clang-tidy version, the same .clang-tidy, the same compile flags, and the
same bytes in the file and in every header it includes (the compiler's own
dependency list, system headers included). Any change to one of them runs
clang-tidy again. Only clean results are remembered, so a finding is always
printed. The cache lives in ${XDG_CACHE_HOME:-~/.cache}/stytch-cpp/clang-tidy;
STYTCH_TIDY_CACHE=off runs every file.

Usage: clang_tidy_cached.py BUILD_DIR JOBS FILE...
Prints clang-tidy's findings; exits 1 when there are any.
"""

import concurrent.futures
import hashlib
import json
import os
import shlex
import subprocess
import sys


def compile_args(entry):
    if "arguments" in entry:
        return list(entry["arguments"])
    return shlex.split(entry["command"])


def dependency_args(args):
    """The compile command turned into one that lists the headers it reads."""
    out = []
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if arg in ("-c", "-MD", "-MMD"):
            continue
        out.append(arg)
    return out + ["-M"]


def dependencies(entry):
    args = dependency_args(compile_args(entry))
    made = subprocess.run(args, cwd=entry["directory"], capture_output=True, text=True, check=True)
    rule = made.stdout.replace("\\\n", " ")
    paths = rule.split(":", 1)[1].split()
    return [os.path.normpath(os.path.join(entry["directory"], p)) for p in paths]


def cache_key(entry, source_root, build_dir, fixed):
    digest = hashlib.sha256(fixed)

    def local(text):
        return text.replace(build_dir, "<build>").replace(source_root, "<source>")

    flags = dependency_args(compile_args(entry))
    digest.update(local(" ".join(flags)).encode())
    # In an order that does not depend on where the checkout is.
    for name, path in sorted((local(p), p) for p in set(dependencies(entry))):
        digest.update(name.encode() + b"\0")
        with open(path, "rb") as f:
            digest.update(hashlib.sha256(f.read()).digest())
    return digest.hexdigest()


def main():
    build_dir = os.path.realpath(sys.argv[1])
    jobs = int(sys.argv[2])
    files = [os.path.realpath(f) for f in sys.argv[3:]]
    source_root = os.path.realpath(os.path.join(os.path.dirname(__file__), ".."))
    with open(os.path.join(build_dir, "compile_commands.json")) as f:
        entries = {os.path.realpath(os.path.join(e["directory"], e["file"])): e for e in json.load(f)}

    use_cache = os.environ.get("STYTCH_TIDY_CACHE", "on") != "off"
    cache_dir = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "stytch-cpp",
                             "clang-tidy")
    os.makedirs(cache_dir, exist_ok=True)
    version = subprocess.run(["clang-tidy", "--version"], capture_output=True, text=True, check=True).stdout
    with open(os.path.join(source_root, ".clang-tidy"), "rb") as f:
        fixed = version.encode() + f.read()

    def check(path):
        entry = entries.get(path)
        if entry is None:
            return path, f"{path}: not in {build_dir}/compile_commands.json\n", False, False
        key = cache_key(entry, source_root, build_dir, fixed) if use_cache else None
        if key and os.path.exists(os.path.join(cache_dir, key)):
            return path, "", True, True
        tidy = subprocess.run(["clang-tidy", "-p", build_dir, "--quiet", path], capture_output=True, text=True)
        found = tidy.returncode != 0 or "warning:" in tidy.stdout or "error:" in tidy.stdout
        if key and not found:
            open(os.path.join(cache_dir, key), "w").close()
        return path, tidy.stdout if found else "", not found, False

    clean = True
    skipped = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for path, findings, ok, cached in pool.map(check, files):
            sys.stdout.write(findings)
            clean = clean and ok
            skipped += cached
    print(f"clang-tidy: {len(files)} files, {skipped} unchanged since a clean run")
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
