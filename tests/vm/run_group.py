#!/usr/bin/env python3
"""Boot the test kernel in QEMU, run one test group in the guest and judge the result.

The group script tests/vm/groups/GROUP.sh says what the guest runs; its header line
    # vm: memory=1G smp=2 timeout=900 disks=work:1G:ext4,swap:256M expect=all-pass
says what the VM needs:
    memory   guest RAM (QEMU syntax)
    smp      virtual CPUs
    timeout  seconds from boot to the end marker before the guest counts as hung
    disks    NAME:SIZE[:ext4[:BLOCKSIZE]] images attached as virtio disks, in order (vda, vdb,
             ...); mkfs.ext4 picks 1024-byte blocks below 512M unless BLOCKSIZE says otherwise
    expect   all-pass: every test program and test case must pass;
             baseline: no regression against tests/vm/baseline/GROUP.txt, recorded on the
             unpatched kernel (see docs/testing.md), except known-flaky cases
    cmdline  one more kernel command line parameter (repeat the setting for several)
    boots    boot the guest this many times in a row (default 1), keeping the disks: two
             hosts in turn, sharing a disk. Each boot runs the group script with $boot set
             (swapns.boot=K on the command line); test names must differ between boots.
             The timeout is per boot; console.log and tap.log hold every boot in order.

A run fails when the end marker is missing (hang, panic), when the kernel console shows a
warning, BUG, lockdep report, Oops or call trace, or when the results differ from the
expectation. Logs go to --out: console.log (kernel), tap.log (tests), results.txt.
"""
import argparse
import fnmatch
import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Any of these on the kernel console fails the run, even if every test passed.
KERNEL_PROBLEMS = re.compile(
    r"BUG:|WARNING:|Oops|Call Trace|Kernel panic|kernel BUG at|"
    r"general protection fault|possible circular locking|possible recursive locking|"
    r"inconsistent lock state|suspicious RCU usage|rcu_sched detected stall|"
    r"rcu: INFO:|UBSAN:|KASAN:|list_add corruption|list_del corruption|"
    r"INFO: task .* blocked for more than|soft lockup|hard LOCKUP"
)

TAP_RESULT = re.compile(r"^(not ok|ok)\s+(\d+)\s*(?:-\s*)?(.*?)\s*$")
TAP_PLAN = re.compile(r"^1\.\.(\d+)(.*)$")
TEST_BEGIN = re.compile(r"^SWAPNS-TEST-BEGIN (\S+)")
TEST_END = re.compile(r"^SWAPNS-TEST-END (\S+) rc=(\d+)")


def parse_header(script):
    """The '# vm:' settings of a group script."""
    settings = {"memory": "512M", "smp": "2", "timeout": "600", "disks": "",
                "expect": "all-pass", "clock": "host", "cmdline": "", "boots": "1"}
    for line in script.read_text().splitlines():
        if line.startswith("# vm:"):
            for item in line[len("# vm:"):].split():
                key, _, value = item.partition("=")
                if key not in settings:
                    raise SystemExit(f"{script}: unknown vm setting '{key}'")
                if key == "cmdline":
                    value = f"{settings[key]} {value}".strip()
                settings[key] = value
    return settings


def case_result(status, rest):
    """Result of one TAP line: PASS, FAIL, SKIP or XFAIL, and its description."""
    desc, _, directive = rest.partition("#")
    directive = directive.strip()
    word = directive.split()[0].upper() if directive else ""
    if word == "SKIP":
        return "SKIP", directive[4:].strip() or desc.strip()
    if word in ("XFAIL", "TODO"):
        return "XFAIL", desc.strip()
    return ("PASS" if status == "ok" else "FAIL"), desc.strip()


def parse_tap_log(text):
    """Results keyed 'test' (the program) and 'test#N' (its cases), with descriptions.

    Returns (results, group_complete, kernel_release)."""
    results = {}
    current = None
    cases = {}
    plan = None
    complete = False
    release = "unknown"
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        if line.startswith("SWAPNS-GROUP-BEGIN"):
            parts = line.split()
            release = parts[2] if len(parts) > 2 else release
            continue
        if line.startswith("SWAPNS-GROUP-END"):
            complete = True
            continue
        m = TEST_BEGIN.match(line)
        if m:
            current, cases, plan = m.group(1), {}, None
            continue
        m = TEST_END.match(line)
        if m and current == m.group(1):
            rc = int(m.group(2))
            # Older selftests print no TAP and only exit 0 or non-zero: judge by the status.
            if rc == 137:
                verdict = "TIMEOUT"
            elif plan is not None and not plan[1] and len(cases) < plan[0]:
                verdict = "INCOMPLETE"
            elif plan is not None and plan[0] == 0 and rc == 0:
                # '1..0 # SKIP reason' (or a bare '1..0'): the program ran nothing, whatever
                # its exit status says.
                verdict = "SKIP"
            elif rc == 0:
                verdict = "PASS"
            elif rc == 4:
                verdict = "SKIP"
            else:
                verdict = "FAIL"
            results[current] = (verdict, f"rc={rc}")
            for num, (res, desc) in cases.items():
                results[f"{current}#{num}"] = (res, desc)
            current = None
            continue
        if current is None:
            continue
        m = TAP_PLAN.match(line)
        if m and plan is None:
            plan = (int(m.group(1)), "SKIP" in m.group(2).upper())
            continue
        m = TAP_RESULT.match(line)
        if m:
            cases[int(m.group(2))] = case_result(m.group(1), m.group(3))
    if current is not None:
        results[current] = ("INCOMPLETE", "no end marker")
    return results, complete, release


# An OOM report (dump_header() in mm/oom_kill.c) is the kernel doing its job: memcg tests
# provoke them on purpose. It starts with "invoked oom-killer:" and dumps the invoking task's
# stack; that one "Call Trace:" is not a problem. Nothing else is excused: the report's stack
# dump ends at "</TASK>" (or the memory state that follows it), and however the report ends
# (a victim killed, "Out of memory and no killable processes...", a victim already exiting),
# every later line is judged again.
OOM_REPORT_START = re.compile(r"invoked oom-killer:")
OOM_STACK_END = re.compile(r"</TASK>|Mem-Info:|memory: usage|Tasks state|Killed process|"
                           r"no killable processes|oom-kill:")
CALL_TRACE = re.compile(r"Call Trace:")


def kernel_problems(console):
    problems = []
    oom_trace_excused = False
    for line in console.splitlines():
        if OOM_REPORT_START.search(line):
            oom_trace_excused = True
            continue
        if oom_trace_excused and OOM_STACK_END.search(line):
            oom_trace_excused = False
        if not KERNEL_PROBLEMS.search(line):
            continue
        if oom_trace_excused and CALL_TRACE.search(line) and \
                not KERNEL_PROBLEMS.search(CALL_TRACE.sub("", line)):
            oom_trace_excused = False
            continue
        problems.append(line)
    return problems


CPUS_BROUGHT_UP = re.compile(r"smp: Brought up \d+ nodes?, (\d+) CPUs?")


def guest_cpus(console):
    """How many CPUs the guest kernel brought up, or None if the console does not say."""
    m = CPUS_BROUGHT_UP.search(console)
    return int(m.group(1)) if m else None


def load_results_file(path):
    """A results or baseline file: 'KEY RESULT [description]' per line, # comments."""
    out = {}
    for line in path.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split(None, 2)
        out[parts[0]] = (parts[1], parts[2] if len(parts) > 2 else "")
    return out


def load_flaky(path):
    """known-flaky.txt: patterns 'GROUP/KEY' (fnmatch) of results that may differ from run to
    run, and 'rerun GROUP/KEY' entries for cases that must pass on one rerun if they fail.

    Returns (flaky patterns, rerun patterns). Comments are whole lines starting with '#': keys
    themselves contain '#' ('program#N').
    """
    patterns, reruns = [], []
    if path.exists():
        for line in path.read_text().splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            word, _, rest = line.partition(" ")
            if word == "rerun" and rest.strip():
                reruns.append(rest.strip())
            elif " " in line:
                raise SystemExit(f"{path}: cannot parse '{line}': expected GROUP/KEY or rerun GROUP/KEY")
            else:
                patterns.append(line)
    return patterns, reruns


def is_flaky(patterns, group, key):
    return any(fnmatch.fnmatchcase(f"{group}/{key}", p) for p in patterns)


def compare_with_baseline(base, results, flaky):
    """Split differences from the unpatched kernel's results into regressions and improvements.

    Only a result that is PASS here can be better than the unpatched kernel: a recorded
    failure, skip or crash that now passes, or a new case that passes. Every other difference
    is a regression, whatever the baseline says: a case that passed there and does not here,
    SKIP that became TIMEOUT, FAIL that became INCOMPLETE, a new program that times out or
    skips, a case that disappeared. Improvements are reported and do not fail the run, so a
    baseline recorded before a config change that enables more tests stays valid.
    """
    regressions, improvements = [], []
    for key in sorted(set(base) | set(results), key=sort_key):
        if flaky(key):
            continue
        want = base.get(key, ("MISSING", ""))[0]
        got, desc = results.get(key, ("MISSING", ""))
        if want == got:
            continue
        line = f"{key}: {got} on this kernel, {want} on the unpatched one ({desc})"
        if got == "PASS":
            improvements.append(line)
        else:
            regressions.append(line)
    return regressions, improvements


def all_pass_failures(results, allow_skip, flaky):
    """expect=all-pass: every program and case passed, but skips allowed by --allow-skip
    patterns (kernel variants without a feature) and known-flaky results."""
    if not results:
        return ["no test results"]
    failures = []
    for key in sorted(results, key=sort_key):
        res, desc = results[key]
        if res == "SKIP" and any(fnmatch.fnmatchcase(key, p) for p in allow_skip):
            continue
        if res != "PASS" and not flaky(key):
            failures.append(f"{key} {res} {desc}")
    return failures


RERUN_SUFFIX = ".rerun"


def apply_reruns(results, rerun, baseline=None):
    """Judge the cases that may fail once and must then pass on a rerun in the same boot.

    rerun(key) says whether a key has such an entry in known-flaky.txt. The group script reruns
    the program as 'PROGRAM.rerun' when one of those cases failed (run_test_rerun in the guest's
    init). A case that did not pass and whose rerun passed counts as passed; the program's own
    verdict is left as it ran. Returns (results without the rerun programs, notes to log,
    failures): a case that failed without a rerun, or failed in the rerun too, is a failure.

    A rerun entry exists so that a case the unpatched kernel passes cannot fail a run by its
    known race alone. Where baseline (expect=baseline groups) records that the unpatched kernel
    does not pass the case either, its failures are not the series' to explain: the case keeps
    its first result, and the comparison with the baseline judges it like any other (FAIL
    against FAIL is no regression; TIMEOUT against FAIL is).
    """
    judged = {k: v for k, v in results.items() if RERUN_SUFFIX not in k.partition("#")[0]}
    notes, failures = [], []
    for key in sorted(judged, key=sort_key):
        got, desc = judged[key]
        if "#" not in key or got == "PASS" or not rerun(key):
            continue
        program, _, num = key.partition("#")
        again = results.get(f"{program}{RERUN_SUFFIX}#{num}")
        # A case the baseline does not record must pass like one it records as passing.
        base = (baseline or {}).get(key, ("PASS", ""))[0]
        if base != "PASS" and (again is None or again[0] != "PASS"):
            notes.append(f"{key}: {got} ({desc}); the unpatched kernel gives {base} too, "
                         f"so the baseline judges it, not the rerun")
        elif again is None:
            failures.append(f"{key}: {got} ({desc}) and not rerun: the group script must run "
                            f"{program} with run_test_rerun")
        elif again[0] == "PASS":
            notes.append(f"{key}: {got} ({desc}), passed on its rerun in the same boot")
            judged[key] = ("PASS", f"{desc} (passed on rerun after {got})")
        else:
            failures.append(f"{key}: {got} ({desc}), and {again[0]} again on its rerun")
    return judged, notes, failures


def write_results(path, results, header):
    with open(path, "w") as f:
        for line in header:
            f.write(f"# {line}\n")
        for key in sorted(results, key=sort_key):
            res, desc = results[key]
            f.write(f"{key} {res} {desc}".rstrip() + "\n")


def sort_key(key):
    name, _, num = key.partition("#")
    return (name, int(num) if num.isdigit() else -1)


def make_disks(spec, out):
    for item in filter(None, spec.split(",")):
        parts = item.split(":")
        name, size = parts[0], parts[1]
        image = out / f"disk-{name}.img"
        image.unlink(missing_ok=True)
        subprocess.run(["truncate", "-s", size, str(image)], check=True)
        if len(parts) > 2 and parts[2] == "ext4":
            block_size = ["-b", parts[3]] if len(parts) > 3 else []
            subprocess.run(["mkfs.ext4", "-q", "-F", *block_size, "-L", name, str(image)], check=True)
    return disk_args(spec, out)


def disk_args(spec, out):
    """QEMU's arguments for the disks make_disks() made, as they are now."""
    args = []
    for item in filter(None, spec.split(",")):
        image = out / f"disk-{item.split(':')[0]}.img"
        args += ["-drive", f"file={image},format=raw,if=virtio,cache=unsafe"]
    return args


def kvm_works(args, out):
    """Whether KVM can boot this kernel: /dev/kvm can exist yet fail (nested setups seen
    hanging or aborting on MSR writes), so boot it once and wait for the first kernel line.
    The answer is cached next to the group logs; SWAPNS_QEMU_ACCEL=kvm|tcg overrides."""
    forced = os.environ.get("SWAPNS_QEMU_ACCEL")
    if forced:
        return forced == "kvm"
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return False
    cache = out.parent / ".kvm-probe"
    if cache.exists():
        return cache.read_text().strip() == "kvm"
    log = out / "kvm-probe.log"
    log.unlink(missing_ok=True)
    proc = subprocess.Popen([args.qemu, "-nodefaults", "-no-reboot", "-display", "none", "-machine", "pc",
                             "-accel", "kvm", "-cpu", "host", "-m", "128M", "-kernel", str(args.kernel),
                             "-append", "console=ttyS0 panic=-1", "-serial", f"file:{log}"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    works = False
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and proc.poll() is None:
        if log.exists() and "Linux version" in log.read_text(errors="replace"):
            works = True
            break
        time.sleep(0.2)
    proc.kill()
    proc.wait()
    log.unlink(missing_ok=True)
    cache.write_text("kvm\n" if works else "tcg\n")
    if not works:
        print("run_group: /dev/kvm is there but does not boot the kernel; using TCG", flush=True)
    return works


def qemu_command(args, settings, out, kvm, boot=1):
    cmd = [args.qemu, "-nodefaults", "-no-reboot", "-display", "none",
           "-machine", "pc", "-accel", "kvm" if kvm else "tcg",
           "-cpu", "host" if kvm else "max",
           "-smp", settings["smp"], "-m", settings["memory"],
           "-kernel", str(args.kernel), "-initrd", str(args.initramfs),
           "-append", " ".join(filter(None, ["console=ttyS0 panic=-1 loglevel=7",
                                             f"swapns.group={args.group}",
                                             f"swapns.boot={boot}" if boot > 1 else "",
                                             settings.get("cmdline", ""), args.append])),
           "-serial", f"file:{out / serial_log('console', boot)}",
           "-serial", f"file:{out / serial_log('tap', boot)}"]
    # clock=icount (SWAPNS_VM_CLOCK=host|icount overrides the group's setting): under TCG the guest's clocks count executed instructions (one per ns), so
    # CPU time measured in the guest repeats from boot to boot and compares across kernels.
    # Idle time still passes in real time (sleep=on). KVM has no icount: clocks stay real.
    clock = os.environ.get("SWAPNS_VM_CLOCK", settings["clock"])
    if clock == "icount" and not kvm:
        cmd += ["-icount", "shift=0,sleep=on"]
    elif clock not in ("host", "icount"):
        raise SystemExit(f"run_group: unknown clock setting '{clock}'")
    return cmd + (make_disks(settings["disks"], out) if boot == 1 else disk_args(settings["disks"], out))


def serial_log(name, boot):
    """The file a boot's serial port writes: NAME.log, NAME-bootK.log for later boots."""
    return f"{name}.log" if boot == 1 else f"{name}-boot{boot}.log"


def read_log(path):
    return path.read_text(errors="replace") if path.exists() else ""


def installed_source_version():
    r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "linux-source-6.12"],
                       capture_output=True, text=True, check=False)
    return r.stdout.strip() or "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel", type=Path, required=True, help="bzImage")
    ap.add_argument("--initramfs", type=Path, required=True)
    ap.add_argument("--group", required=True)
    ap.add_argument("--out", type=Path, required=True, help="directory for logs and disk images")
    ap.add_argument("--source-version", default=installed_source_version(),
                    help="Debian linux-source version, for the record (default: the installed one)")
    ap.add_argument("--record-baseline", type=Path, help="write the results as the group's baseline")
    ap.add_argument("--append", default="", help="extra kernel command line")
    ap.add_argument("--allow-skip", action="append", default=[], metavar="PATTERN",
                    help="with expect=all-pass, accept a skip of the results matching PATTERN "
                         "(e.g. 'test_x#8'): for kernel variants that lack a feature")
    ap.add_argument("--qemu", default="qemu-system-x86_64")
    args = ap.parse_args()

    script = HERE / "groups" / f"{args.group}.sh"
    if not script.exists():
        sys.exit(f"run_group: no group script {script}")
    settings = parse_header(script)
    args.out.mkdir(parents=True, exist_ok=True)
    for name in ("console.log", "tap.log", "results.txt"):
        (args.out / name).unlink(missing_ok=True)

    kvm = kvm_works(args, args.out)
    boots = int(settings["boots"])
    start = time.monotonic()
    timed_out = False
    console, tap, complete = "", "", True
    for boot in range(1, boots + 1):
        cmd = qemu_command(args, settings, args.out, kvm, boot)
        with open(args.out / "qemu-command.txt", "w" if boot == 1 else "a") as f:
            f.write(shlex.join(cmd) + "\n")
        try:
            subprocess.run(cmd, stdin=subprocess.DEVNULL, timeout=int(settings["timeout"]), check=False)
        except subprocess.TimeoutExpired:
            timed_out = True
        boot_console, boot_tap = (read_log(args.out / serial_log(name, boot)) for name in ("console", "tap"))
        complete &= "SWAPNS-GROUP-END" in boot_tap
        console += boot_console
        tap += boot_tap
        if boot > 1:
            # One file of each for all boots, in order.
            for name, text in (("console", boot_console), ("tap", boot_tap)):
                with open(args.out / f"{name}.log", "a") as f:
                    f.write(text)
                (args.out / serial_log(name, boot)).unlink(missing_ok=True)
        if timed_out or not complete:
            break
    elapsed = time.monotonic() - start
    for image in args.out.glob("disk-*.img"):
        image.unlink()

    results, _, release = parse_tap_log(tap)
    header = [f"group {args.group}: kernel {release}, linux-source {args.source_version}",
              f"{'kvm' if kvm else 'tcg'}, {elapsed:.0f}s"]
    write_results(args.out / "results.txt", results, header)

    failures = []
    if timed_out:
        failures.append(f"guest did not finish within {settings['timeout']}s (hang?)")
    if not complete:
        failures.append("no SWAPNS-GROUP-END marker: the guest crashed, hung or the group script broke")
    cpus = guest_cpus(console)
    if cpus is not None and cpus < int(settings["smp"]):
        # Known: without ACPI the guest finds only the boot CPU (docs/testing.md).
        print(f"{args.group}: warning: the guest brought up {cpus} of {settings['smp']} CPUs", flush=True)
    problems = kernel_problems(console)
    if problems:
        failures.append("kernel reported problems on the console:\n    " + "\n    ".join(problems[:20]))

    flaky, reruns = load_flaky(HERE / "known-flaky.txt")
    base_file = HERE / "baseline" / f"{args.group}.txt"
    base = None
    if settings["expect"] == "baseline" and base_file.exists():
        base = load_results_file(base_file)
    if not args.record_baseline:
        results, notes, rerun_failures = apply_reruns(
            results, lambda key: is_flaky(reruns, args.group, key), base)
        for note in notes:
            print(f"{args.group}: rerun: {note}", flush=True)
        failures.extend(rerun_failures)
    if args.record_baseline:
        # The baseline records each case as it first ran; reruns are not part of it.
        first_run = {k: v for k, v in results.items() if RERUN_SUFFIX not in k.partition("#")[0]}
        write_results(args.record_baseline, first_run,
                      header + ["recorded on the unpatched kernel by tests/vm/record-baseline"])
    elif settings["expect"] == "all-pass":
        failures.extend(all_pass_failures(results, args.allow_skip,
                                          lambda key: is_flaky(flaky, args.group, key)))
    elif settings["expect"] == "baseline":
        if base is None:
            failures.append(f"no baseline {base_file}: record one with tests/vm/record-baseline")
        else:
            regressions, improvements = compare_with_baseline(
                base, results, lambda key: is_flaky(flaky, args.group, key))
            failures.extend(regressions)
            for note in improvements:
                print(f"{args.group}: better than the unpatched kernel: {note}")
    else:
        failures.append(f"unknown expect={settings['expect']}")

    counts = {}
    for res, _ in results.values():
        counts[res] = counts.get(res, 0) + 1
    summary = ", ".join(f"{n} {r.lower()}" for r, n in sorted(counts.items()))
    print(f"{args.group}: kernel {release}, {elapsed:.0f}s, {summary or 'no results'}; logs in {args.out}")
    if failures:
        print(f"{args.group}: FAILED")
        for f in failures:
            print("  " + f)
        return 1
    print(f"{args.group}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
