#!/usr/bin/env python3
"""Unit tests of the VM harness's judging logic (run on the host, no VM)."""
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run_group  # noqa: E402


def framed(name, body, rc):
    return f"SWAPNS-TEST-BEGIN {name}\n{body}SWAPNS-TEST-END {name} rc={rc}\n"


class ParseTapLog(unittest.TestCase):
    def test_complete_group(self):
        log = ("SWAPNS-GROUP-BEGIN g 6.12.117\n"
               + framed("t", "TAP version 13\n1..3\nok 1 a\nnot ok 2 b\nok 3 # SKIP no swap\n", 1)
               + "SWAPNS-GROUP-END g\n")
        results, complete, release = run_group.parse_tap_log(log)
        self.assertTrue(complete)
        self.assertEqual(release, "6.12.117")
        self.assertEqual(results["t"][0], "FAIL")
        self.assertEqual(results["t#1"], ("PASS", "a"))
        self.assertEqual(results["t#2"], ("FAIL", "b"))
        self.assertEqual(results["t#3"], ("SKIP", "no swap"))

    def test_missing_group_end_is_incomplete(self):
        log = "SWAPNS-GROUP-BEGIN g 6.12\n" + framed("t", "1..1\nok 1 a\n", 0)
        _, complete, _ = run_group.parse_tap_log(log)
        self.assertFalse(complete)

    def test_test_cut_off_is_incomplete(self):
        log = "SWAPNS-GROUP-BEGIN g 6.12\nSWAPNS-TEST-BEGIN t\n1..2\nok 1 a\n"
        results, _, _ = run_group.parse_tap_log(log)
        self.assertEqual(results["t"][0], "INCOMPLETE")

    def test_fewer_results_than_planned(self):
        results, _, _ = run_group.parse_tap_log(framed("t", "1..3\nok 1 a\n", 0))
        self.assertEqual(results["t"][0], "INCOMPLETE")

    def test_killed_by_timeout(self):
        results, _, _ = run_group.parse_tap_log(framed("t", "1..1\n", 137))
        self.assertEqual(results["t"][0], "TIMEOUT")

    def test_whole_program_skip(self):
        results, _, _ = run_group.parse_tap_log(framed("t", "1..0 # SKIP no cgroup v2\n", 4))
        self.assertEqual(results["t"][0], "SKIP")

    def test_empty_plan_with_status_zero_is_a_skip(self):
        for body in ("1..0 # SKIP no swap namespaces\n", "TAP version 13\n1..0\n"):
            results, _, _ = run_group.parse_tap_log(framed("t", body, 0))
            self.assertEqual(results["t"][0], "SKIP", body)

    def test_empty_plan_with_failure_status_is_a_failure(self):
        results, _, _ = run_group.parse_tap_log(framed("t", "1..0 # SKIP x\n", 1))
        self.assertEqual(results["t"][0], "FAIL")

    def test_program_without_tap_judged_by_status(self):
        results, _, _ = run_group.parse_tap_log(framed("a", "", 0) + framed("b", "oops\n", 1))
        self.assertEqual(results["a"][0], "PASS")
        self.assertEqual(results["b"][0], "FAIL")


class KernelProblems(unittest.TestCase):
    def test_warning_and_trace_are_problems(self):
        console = "[1] boot\n[2] WARNING: CPU: 0 PID: 1 at mm/x.c:1\n[3] Call Trace:\n"
        self.assertEqual(len(run_group.kernel_problems(console)), 2)

    def test_lockdep_and_panic(self):
        for line in ("[1] WARNING: possible circular locking dependency detected",
                     "[1] BUG: sleeping function called from invalid context",
                     "[1] Kernel panic - not syncing: sysrq triggered crash",
                     "[1] Oops: general protection fault"):
            self.assertTrue(run_group.kernel_problems(line), line)

    def test_oom_report_is_not_a_problem(self):
        console = ("[1] test invoked oom-killer: gfp_mask=0xcc0\n[2] Call Trace:\n[3]  dump_stack\n"
                   "[4] Memory cgroup out of memory: Killed process 5 (test)\n")
        self.assertEqual(run_group.kernel_problems(console), [])

    def test_trace_after_oom_report_is_a_problem(self):
        console = ("[1] t invoked oom-killer: x\n[2] Call Trace:\n"
                   "[3] Out of memory: Killed process 5 (t)\n[4] BUG: Bad page state\n")
        self.assertEqual(run_group.kernel_problems(console), ["[4] BUG: Bad page state"])


    MEMCG_OOM_NO_VICTIM = (
        "[1] t invoked oom-killer: gfp_mask=0xcc0, order=0, oom_score_adj=0\n"
        "[2] CPU: 0 UID: 0 PID: 7 Comm: t\n[3] Call Trace:\n[4]  <TASK>\n[5]  dump_stack_lvl\n"
        "[6]  </TASK>\n[7] memory: usage 16384kB, limit 16384kB\n"
        "[8] Out of memory and no killable processes...\n")

    def test_oom_report_without_victim_excuses_only_its_own_trace(self):
        self.assertEqual(run_group.kernel_problems(self.MEMCG_OOM_NO_VICTIM), [])
        for later in ("[9] BUG: Bad page state in process t",
                      "[9] WARNING: CPU: 1 PID: 9 at mm/swapfile.c:100 f",
                      "[9] WARNING: possible circular locking dependency detected",
                      "[9] Call Trace:"):
            self.assertEqual(run_group.kernel_problems(self.MEMCG_OOM_NO_VICTIM + later + "\n"),
                             [later], later)

    def test_problems_inside_an_oom_report_are_problems(self):
        # Another CPU's warning printed in the middle of the report, before its stack dump.
        console = ("[1] t invoked oom-killer: x\n[2] WARNING: CPU: 1 PID: 3 at mm/x.c:1 f\n"
                   "[3] Call Trace:\n[4] Call Trace:\n[5]  </TASK>\n")
        self.assertEqual(run_group.kernel_problems(console),
                         ["[2] WARNING: CPU: 1 PID: 3 at mm/x.c:1 f", "[4] Call Trace:"])

    def test_each_oom_report_excuses_one_trace(self):
        report = "[1] t invoked oom-killer: x\n[2] Call Trace:\n[3]  </TASK>\n"
        self.assertEqual(run_group.kernel_problems(report + report), [])
        self.assertEqual(run_group.kernel_problems(report + "[4] Call Trace:\n"), ["[4] Call Trace:"])


class GuestCpus(unittest.TestCase):
    def test_cpus_brought_up(self):
        self.assertEqual(run_group.guest_cpus("[ 0.5] smp: Brought up 1 node, 1 CPU\n"), 1)
        self.assertEqual(run_group.guest_cpus("[ 0.5] smp: Brought up 1 node, 2 CPUs\n"), 2)
        self.assertIsNone(run_group.guest_cpus("no smp line\n"))


class CompareWithBaseline(unittest.TestCase):
    BASE = {"t": ("PASS", ""), "t#1": ("PASS", "a"), "t#2": ("FAIL", "b"), "t#3": ("SKIP", "c")}

    def compare(self, results, flaky=lambda key: False):
        return run_group.compare_with_baseline(self.BASE, results, flaky)

    def test_same_results(self):
        self.assertEqual(self.compare(dict(self.BASE)), ([], []))

    def test_pass_to_fail_and_skip_are_regressions(self):
        results = dict(self.BASE, **{"t#1": ("SKIP", "a")})
        regressions, _ = self.compare(results)
        self.assertEqual(regressions, ["t#1: SKIP on this kernel, PASS on the unpatched one (a)"])

    def test_skip_to_fail_and_lost_case_are_regressions(self):
        results = dict(self.BASE, **{"t#3": ("FAIL", "c")})
        del results["t#2"]
        regressions, improvements = self.compare(results)
        self.assertEqual([r.split(":")[0] for r in regressions], ["t#2", "t#3"])
        self.assertEqual(improvements, [])

    def test_new_failing_case_is_a_regression(self):
        regressions, _ = self.compare(dict(self.BASE, **{"t#4": ("FAIL", "d")}))
        self.assertEqual(len(regressions), 1)

    def test_fixed_and_new_passing_cases_are_improvements(self):
        results = dict(self.BASE, **{"t#2": ("PASS", "b"), "t#4": ("PASS", "d")})
        regressions, improvements = self.compare(results)
        self.assertEqual(regressions, [])
        self.assertEqual([i.split(":")[0] for i in improvements], ["t#2", "t#4"])

    def test_new_case_that_does_not_pass_is_a_regression(self):
        for got in ("SKIP", "TIMEOUT", "INCOMPLETE", "XFAIL"):
            regressions, improvements = self.compare(dict(self.BASE, **{"t#5": (got, "e")}))
            self.assertEqual([r.split(":")[0] for r in regressions], ["t#5"], got)
            self.assertEqual(improvements, [])

    STATES = ("PASS", "FAIL", "SKIP", "XFAIL", "TIMEOUT", "INCOMPLETE", "MISSING")

    def test_every_transition(self):
        # Only a result that is PASS now may be better than the unpatched kernel; any other
        # change, whatever the baseline was, is a regression.
        for want in self.STATES:
            for got in self.STATES:
                base = {} if want == "MISSING" else {"t#1": (want, "a")}
                results = {} if got == "MISSING" else {"t#1": (got, "a")}
                regressions, improvements = run_group.compare_with_baseline(
                    base, results, lambda key: False)
                desc = "" if got == "MISSING" else "a"
                if want == got:
                    expected = ([], [])
                elif got == "PASS":
                    expected = ([], [f"t#1: PASS on this kernel, {want} on the unpatched one (a)"])
                else:
                    expected = ([f"t#1: {got} on this kernel, {want} on the unpatched one ({desc})"], [])
                self.assertEqual((regressions, improvements), expected, f"{want} -> {got}")

    def test_hang_of_a_skipped_program_is_a_regression(self):
        base = {"test_zswap": ("SKIP", "rc=4"), "test_hugetlb_memcg": ("SKIP", "rc=4")}
        results = {"test_zswap": ("TIMEOUT", "rc=137"), "test_hugetlb_memcg": ("INCOMPLETE", "")}
        regressions, improvements = run_group.compare_with_baseline(base, results, lambda key: False)
        self.assertEqual(len(regressions), 2)
        self.assertEqual(improvements, [])

    def test_flaky_cases_are_ignored(self):
        results = dict(self.BASE, **{"t#1": ("FAIL", "a")})
        self.assertEqual(self.compare(results, flaky=lambda key: key == "t#1"), ([], []))


class KnownFlaky(unittest.TestCase):
    def test_numbered_case_pattern_keeps_its_number(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "known-flaky.txt"
            path.write_text("# why\ncgroup/test_memcontrol#8\n\n  # indented comment\ncgroup/test_cpu*\n")
            patterns, reruns = run_group.load_flaky(path)
        self.assertEqual((patterns, reruns), (["cgroup/test_memcontrol#8", "cgroup/test_cpu*"], []))
        self.assertTrue(run_group.is_flaky(patterns, "cgroup", "test_memcontrol#8"))
        self.assertFalse(run_group.is_flaky(patterns, "cgroup", "test_memcontrol"))
        self.assertFalse(run_group.is_flaky(patterns, "cgroup", "test_memcontrol#7"))

    def test_rerun_entries(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "known-flaky.txt"
            path.write_text("g/a#1\nrerun g/b#2\n")
            self.assertEqual(run_group.load_flaky(path), (["g/a#1"], ["g/b#2"]))
            path.write_text("g/a#1 trailing words\n")
            with self.assertRaises(SystemExit):
                run_group.load_flaky(path)

    def test_committed_list_covers_only_timing_cases(self):
        flaky, reruns = run_group.load_flaky(run_group.HERE / "known-flaky.txt")
        for key in ("test_cpu", "test_cpu#3", "test_cpu#8"):
            self.assertTrue(run_group.is_flaky(flaky, "cgroup", key), key)
        # Deterministic cases, in code the series changes (0027: subsystem masks), are judged.
        for key in ("test_cpu#1", "test_cpu#2", "test_cpuset", "test_cpuset#1", "test_cpu#9",
                    "test_memcontrol#8", "test_kmem#2", "test_memcontrol", "test_kmem"):
            self.assertFalse(run_group.is_flaky(flaky, "cgroup", key), key)
        self.assertTrue(run_group.is_flaky(reruns, "cgroup", "test_memcontrol#8"))
        self.assertTrue(run_group.is_flaky(reruns, "cgroup", "test_kmem#2"))
        self.assertFalse(run_group.is_flaky(reruns, "cgroup", "test_memcontrol#7"))


class Reruns(unittest.TestCase):
    RERUN = staticmethod(lambda key: key == "t#2")

    def test_failure_that_passes_on_rerun_counts_as_passed(self):
        results = {"t": ("FAIL", "rc=1"), "t#1": ("PASS", "a"), "t#2": ("FAIL", "b"),
                   "t.rerun": ("FAIL", "rc=1"), "t.rerun#2": ("PASS", "b"), "t.rerun#1": ("FAIL", "a")}
        judged, notes, failures = run_group.apply_reruns(results, self.RERUN)
        self.assertEqual(failures, [])
        self.assertEqual(len(notes), 1)
        self.assertEqual(judged["t#2"][0], "PASS")
        self.assertEqual(judged["t"], ("FAIL", "rc=1"))
        self.assertEqual(sorted(judged), ["t", "t#1", "t#2"])

    def test_failure_on_rerun_too_is_a_failure(self):
        results = {"t#2": ("FAIL", "b"), "t.rerun#2": ("TIMEOUT", "b")}
        judged, _, failures = run_group.apply_reruns(results, self.RERUN)
        self.assertEqual(len(failures), 1)
        self.assertEqual(judged["t#2"][0], "FAIL")

    def test_failure_without_rerun_is_a_failure(self):
        _, _, failures = run_group.apply_reruns({"t#2": ("SKIP", "b")}, self.RERUN)
        self.assertEqual(len(failures), 1)
        self.assertIn("run_test_rerun", failures[0])

    def test_cases_without_rerun_entry_are_untouched(self):
        results = {"t#1": ("FAIL", "a"), "t.rerun#1": ("PASS", "a")}
        judged, notes, failures = run_group.apply_reruns(results, self.RERUN)
        self.assertEqual((judged, notes, failures), ({"t#1": ("FAIL", "a")}, [], []))


    def test_case_the_unpatched_kernel_fails_is_judged_by_the_baseline(self):
        results = {"t#2": ("FAIL", "b"), "t.rerun#2": ("FAIL", "b")}
        judged, notes, failures = run_group.apply_reruns(results, self.RERUN, {"t#2": ("FAIL", "b")})
        self.assertEqual((judged, failures), ({"t#2": ("FAIL", "b")}, []))
        self.assertIn("unpatched kernel gives FAIL", notes[0])
        regressions, _ = run_group.compare_with_baseline({"t#2": ("FAIL", "b")}, judged, lambda k: False)
        self.assertEqual(regressions, [])

    def test_worse_than_the_failing_baseline_is_still_a_regression(self):
        results = {"t#2": ("TIMEOUT", "b")}
        judged, _, failures = run_group.apply_reruns(results, self.RERUN, {"t#2": ("FAIL", "b")})
        self.assertEqual(failures, [])
        regressions, _ = run_group.compare_with_baseline({"t#2": ("FAIL", "b")}, judged, lambda k: False)
        self.assertEqual(len(regressions), 1)

    def test_case_the_unpatched_kernel_passes_must_pass_its_rerun(self):
        results = {"t#2": ("FAIL", "b"), "t.rerun#2": ("FAIL", "b")}
        _, _, failures = run_group.apply_reruns(results, self.RERUN, {"t#2": ("PASS", "b")})
        self.assertEqual(len(failures), 1)
        _, _, failures = run_group.apply_reruns({"t#2": ("FAIL", "b")}, self.RERUN, {})
        self.assertEqual(len(failures), 1, "a case missing from the baseline is not excused")


class AllPass(unittest.TestCase):
    def test_whole_program_skip_with_status_zero_fails(self):
        results, _, _ = run_group.parse_tap_log(framed("t", "1..0 # SKIP no swap namespaces\n", 0))
        self.assertEqual(run_group.all_pass_failures(results, [], lambda key: False),
                         ["t SKIP rc=0"])

    def test_allowed_skip_and_flaky(self):
        results = {"t": ("PASS", ""), "t#1": ("SKIP", "x"), "t#2": ("FAIL", "y")}
        self.assertEqual(run_group.all_pass_failures(results, ["t#1"], lambda key: key == "t#2"), [])
        self.assertEqual(run_group.all_pass_failures(results, [], lambda key: False),
                         ["t#1 SKIP x", "t#2 FAIL y"])
        self.assertEqual(run_group.all_pass_failures({}, [], lambda key: False), ["no test results"])


class Header(unittest.TestCase):
    def test_every_group_header_parses(self):
        for script in (Path(run_group.HERE) / "groups").glob("*.sh"):
            settings = run_group.parse_header(script)
            self.assertIn(settings["expect"], ("all-pass", "baseline"), script)
            int(settings["timeout"])
            self.assertIn(settings["clock"], ("host", "icount"), script)


    def test_cmdline_settings_add_up(self):
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "g.sh"
            script.write_text("# vm: cmdline=cgroup_no_v1=memory,pids cmdline=quiet\n")
            self.assertEqual(run_group.parse_header(script)["cmdline"],
                             "cgroup_no_v1=memory,pids quiet")


class QemuCommand(unittest.TestCase):
    def command(self, clock, kvm):
        args = type("Args", (), {"qemu": "qemu", "kernel": "bzImage", "initramfs": "initrd",
                                 "group": "g", "append": ""})()
        settings = {"smp": "2", "memory": "512M", "disks": "", "clock": clock}
        with tempfile.TemporaryDirectory() as out:
            return run_group.qemu_command(args, settings, Path(out), kvm)

    def test_group_cmdline_reaches_the_kernel(self):
        args = type("Args", (), {"qemu": "qemu", "kernel": "bzImage", "initramfs": "initrd",
                                 "group": "g", "append": "x=1"})()
        settings = {"smp": "2", "memory": "512M", "disks": "", "clock": "host",
                    "cmdline": "cgroup_no_v1=memory"}
        with tempfile.TemporaryDirectory() as out:
            cmd = run_group.qemu_command(args, settings, Path(out), False)
        append = cmd[cmd.index("-append") + 1]
        self.assertTrue(append.endswith("swapns.group=g cgroup_no_v1=memory x=1"), append)

    def test_icount_only_under_tcg(self):
        self.assertIn("-icount", self.command("icount", kvm=False))
        self.assertNotIn("-icount", self.command("icount", kvm=True))
        self.assertNotIn("-icount", self.command("host", kvm=False))

    def test_unknown_clock_is_refused(self):
        with self.assertRaises(SystemExit):
            self.command("tsc", kvm=False)


class Disks(unittest.TestCase):
    def block_size(self, image):
        import subprocess
        out = subprocess.run(["dumpe2fs", "-h", str(image)], capture_output=True, text=True,
                             check=True).stdout
        return next(int(line.split()[-1]) for line in out.splitlines()
                    if line.startswith("Block size:"))

    def test_ext4_block_size(self):
        with tempfile.TemporaryDirectory() as tmp:
            args = run_group.make_disks("small:64M:ext4,pages:64M:ext4:4096,raw:8M", Path(tmp))
            self.assertEqual(args.count("-drive"), 3)
            self.assertEqual(self.block_size(Path(tmp) / "disk-small.img"), 1024)
            self.assertEqual(self.block_size(Path(tmp) / "disk-pages.img"), 4096)


if __name__ == "__main__":
    unittest.main()
