"""Checks bench/report.py on small synthetic results: medians, ratios, targets, the report.

    python3 -m unittest bench/test_report.py        (from the repository's top folder)

The figures below are made up to exercise the arithmetic; they are no measurement.
"""

import importlib.util
import json
import pathlib
import sys
import tempfile
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import report  # noqa: E402


def http_row(server, rps, round_, model="iris", batch=1, connections=16, p99=1.0, errors=0):
    return {
        "server": server, "model": model, "batch": batch, "connections": connections,
        "round": round_, "requests_per_second": rps, "latency_p50_ms": p99 / 2,
        "latency_p99_ms": p99, "requests": 1000, "errors": errors,
        "cpu_ms_per_request": 0.1, "rss_mb": 10.0, "pss_mb": 8.0,
    }


def outcome(checked, words):
    """The outcome of the one target whose text holds WORDS."""
    found = [result for _, target, result in checked if words in target]
    assert len(found) == 1, (words, [target for _, target, _ in checked])
    return found[0]


class HttpMedians(unittest.TestCase):
    def test_a_cell_is_the_median_of_its_rounds_and_counts_errors_over_all(self):
        http = report.Http([
            http_row("augur", 100.0, 1, errors=1),
            http_row("augur", 300.0, 2),
            http_row("augur", 200.0, 3, errors=2),
        ])
        cell = http.cell("augur", "iris", 1, 16)
        self.assertEqual(cell["requests_per_second"], 200.0)
        self.assertEqual(cell["errors"], 3)
        self.assertEqual(cell["rounds"], 3)

    def test_a_server_without_a_model_stands_for_every_model(self):
        http = report.Http([http_row("constant-fastcgi", 500.0, 1, model=None)])
        self.assertEqual(http.value("constant-fastcgi", "forest", 1, 16, "requests_per_second"),
                         500.0)
        self.assertIsNone(http.value("constant-fastcgi", "forest", 100, 16,
                                     "requests_per_second"))


class Targets(unittest.TestCase):
    def checked(self, http_rows=(), inprocess_rows=(), footprint_rows=()):
        return report.targets(report.Http(list(http_rows)), report.InProcess(list(inprocess_rows)),
                              report.Footprint(list(footprint_rows)))

    def test_the_ceiling_ratio_is_taken_between_medians(self):
        rows = []
        for connections in (16, 64):
            rows += [http_row("constant-fastcgi", 1000.0, k, connections=connections)
                     for k in (1, 2, 3)]
            # Augur's median is 900 (0.9×), though one round alone would be 0.5×.
            rows += [http_row("augur", rps, k, connections=connections)
                     for k, rps in ((1, 500.0), (2, 900.0), (3, 950.0))]
        result = outcome(self.checked(rows), "Augur ≥ 0.85× the constant FastCGI")
        self.assertTrue(result.met)
        self.assertIn("0.90×", result.measured)

    def test_a_connection_count_the_target_names_but_the_run_lacks_leaves_it_unjudged(self):
        rows = [http_row("constant-fastcgi", 1000.0, 1), http_row("augur", 900.0, 1)]
        result = outcome(self.checked(rows), "Augur ≥ 0.85× the constant FastCGI")
        self.assertIsNone(result.met)
        self.assertIn("not measured: iris, 64 conn.", result.measured)

    def test_a_model_server_does_not_stand_for_models_it_was_not_measured_with(self):
        rows = [http_row("constant-fastcgi", 1000.0, 1, model=None, connections=c)
                for c in (16, 64)]
        rows += [http_row("augur", 900.0, 1, model=None, connections=c) for c in (16, 64)]
        result = outcome(self.checked(rows), "forest and HistGradientBoosting")
        self.assertIsNone(result.met)

    def test_the_p99_of_failed_requests_meets_nothing(self):
        result = outcome(self.checked([http_row("augur", 1.0, 1, p99=0.3, errors=150000)]),
                         "p99 under 2 ms")
        self.assertFalse(result.met)

    def test_a_malformed_result_file_stops_the_report_naming_it(self):
        with tempfile.TemporaryDirectory() as folder:
            path = pathlib.Path(folder) / "http.json"
            for text in ("", "[]", '{"rows": [null]}', '{"rows": {"a": 1}}'):
                path.write_text(text)
                with self.assertRaises(SystemExit) as stopped:
                    report.load_results(pathlib.Path(folder))
                self.assertIn("http.json", str(stopped.exception))

    def test_a_ratio_below_the_target_at_any_connection_count_is_not_met(self):
        rows = [http_row("constant-fastcgi", 1000.0, 1, connections=c) for c in (16, 64)]
        rows += [http_row("augur", 900.0, 1, connections=16),
                 http_row("augur", 800.0, 1, connections=64)]
        result = outcome(self.checked(rows), "Augur ≥ 0.85× the constant FastCGI")
        self.assertFalse(result.met)
        self.assertIn("0.80× (iris, 64 conn.)", result.measured)

    def test_errors_on_augurs_side_fail_a_target_its_ratio_would_meet(self):
        rows = [http_row("fastapi", 100.0, 1), http_row("augur", 1000.0, 1, errors=4)]
        result = outcome(self.checked(rows), "Augur ≥ 5× FastAPI")
        self.assertFalse(result.met)
        self.assertIn("4 errors", result.measured)

    def test_the_p99_target(self):
        met = outcome(self.checked([http_row("augur", 1.0, 1, p99=1.5)]), "p99 under 2 ms")
        missed = outcome(self.checked([http_row("augur", 1.0, 1, p99=2.5)]), "p99 under 2 ms")
        self.assertTrue(met.met)
        self.assertFalse(missed.met)

    def test_a_target_the_run_did_not_measure_says_so(self):
        result = outcome(self.checked(), "Augur ≥ 5× MLServer")
        self.assertIsNone(result.met)

    def test_in_process_ratios_divide_the_others_time_by_augurs(self):
        rows = []
        for round_ in (1, 2, 3):
            rows += [
                {"model": "iris", "engine": "augur", "batch": 1, "seconds_per_call": 1e-6,
                 "calls": 1000, "round": round_},
                {"model": "iris", "engine": "sklearn", "batch": 1,
                 "seconds_per_call": 4e-5 * round_, "calls": 1000, "round": round_},
                {"model": "iris", "engine": "onnxruntime", "batch": 1,
                 "seconds_per_call": 5e-6, "calls": 1000, "round": round_},
            ]
        only_iris = self.checked(inprocess_rows=rows)
        # scikit-learn's median is 8e-5 s: 80× Augur's 1e-6 s.
        sklearn = outcome(only_iris, "one row: Augur ≥ 50× faster than scikit-learn")
        self.assertIn("80× (iris)", sklearn.measured)
        # "Each model": with iris alone the target is not judged.
        self.assertIsNone(sklearn.met)
        every_model = [dict(row, model=model) for row in rows for model in report.MODELS]
        checked = self.checked(inprocess_rows=every_model)
        self.assertTrue(outcome(checked, "one row: Augur ≥ 50× faster than scikit-learn").met)
        self.assertTrue(outcome(checked, "one row: Augur faster than onnxruntime").met)

    def test_start_compares_pythons_import_and_load_with_the_first_answer(self):
        rows = [
            {"kind": "first_request_seconds", "seconds": 0.2, "round": 1},
            {"kind": "python_import_and_load_seconds", "seconds": 1.0, "round": 1},
        ]
        result = outcome(self.checked(footprint_rows=rows), "first answer")
        self.assertFalse(result.met)
        self.assertIn("5.00×", result.measured)

    def test_model_scaling_compares_added_memory_with_added_model_bytes(self):
        rows = [
            {"kind": "model_scaling", "model": "small", "model_file_bytes": 1 << 20,
             "worker_rss_above_idle_mb": 1.5},
            {"kind": "model_scaling", "model": "large", "model_file_bytes": 10 << 20,
             "worker_rss_above_idle_mb": 15.0},
        ]
        # Ten times the file, ten times the memory.
        self.assertTrue(outcome(self.checked(footprint_rows=rows), "10× larger model").met)
        # Ten times the file, twenty times the memory.
        rows[1]["worker_rss_above_idle_mb"] = 30.0
        self.assertFalse(outcome(self.checked(footprint_rows=rows), "10× larger model").met)

    def test_sharing_is_the_share_of_a_copy_an_extra_worker_adds_with_the_model(self):
        def forest(trees, copy_mb, one_worker_pss, four_workers_pss):
            name = f"forest-{trees}"
            return [
                {"kind": "pool_pss_mb", "model": name, "workers": 1, "pool_pss_mb": one_worker_pss},
                {"kind": "pool_pss_mb", "model": name, "workers": 4,
                 "pool_pss_mb": four_workers_pss},
                {"kind": "model_scaling", "model": name, "model_file_bytes": trees << 12,
                 "worker_rss_above_idle_mb": copy_mb},
            ]
        # An extra worker adds 3.0 MB whatever the model: none of the model is copied.
        shared = outcome(self.checked(footprint_rows=forest(100, 1.0, 10.0, 19.0)
                                      + forest(1000, 10.0, 19.0, 28.0)), "one copy")
        self.assertTrue(shared.met)
        self.assertIn("holds 0% of a copy", shared.measured)
        # An extra worker adds 3.0 MB with the small model, 7.5 with the large: half a copy.
        copied = outcome(self.checked(footprint_rows=forest(100, 1.0, 10.0, 19.0)
                                      + forest(1000, 10.0, 19.0, 41.5)), "one copy")
        self.assertFalse(copied.met)
        self.assertIn("holds 50% of a copy", copied.measured)

    def test_an_idle_worker_may_hold_15_mb_plus_its_model(self):
        def worker(rss):
            return {"kind": "idle_worker_rss_mb", "model": "iris", "worker": 0, "rss_mb": rss,
                    "rss_mb_after_200_requests": rss, "model_file_bytes": 2 << 20}
        self.assertTrue(outcome(self.checked(footprint_rows=[worker(16.5)]), "idle worker").met)
        self.assertFalse(outcome(self.checked(footprint_rows=[worker(17.5)]), "idle worker").met)


class Report(unittest.TestCase):
    def test_the_report_names_missing_parts_and_links_charts_relative_to_itself(self):
        with tempfile.TemporaryDirectory() as folder:
            folder = pathlib.Path(folder)
            results = folder / "results"
            results.mkdir()
            rows = [http_row("augur", 900.0, 1), http_row("constant-fastcgi", 1000.0, 1)]
            (results / "http.json").write_text(json.dumps({
                "meta": {"started": "2026-12-05T02:00:00Z", "host": {"cpus": 2, "kernel": "6.1"},
                         "versions": {"wrk": "4.1.0"}, "settings": {}},
                "rows": rows,
            }))
            (results / "http.run.json").write_text(json.dumps(
                {"commit": "abc1234", "command": "bench/run --quick", "quick": True}))
            markdown = folder / "BENCHMARKS.md"
            charts = importlib.util.find_spec("matplotlib") is not None
            report.build_report(results, folder / "out", markdown, charts=charts)

            text = markdown.read_text()
            self.assertIn("abc1234", text)
            self.assertIn("smoke run", text)
            self.assertIn("no `inprocess.json`", text)
            self.assertIn("| 16 | Augur `/predict` | 900 | 1.00× |", text)
            self.assertTrue((folder / "out" / "http.json").is_file())
            if charts:
                self.assertIn("(out/http-throughput.png)", text)
                self.assertTrue((folder / "out" / "http-throughput.png").is_file())


if __name__ == "__main__":
    unittest.main()
