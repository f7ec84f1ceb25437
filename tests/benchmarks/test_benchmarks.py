"""The benchmark runs (at a tiny N: nothing here is timed) and its corpus is valid and stable."""

from __future__ import annotations

import json

import yaml

from benchmarks import peer, run
from benchmarks.generate import generate
from tests.helpers import check, tree_hashes


def test_the_generated_corpus_passes_check_and_is_the_same_every_time(tmp_path):
    counts = generate(tmp_path / "a", 10)
    generate(tmp_path / "b", 10)
    assert counts == {"articles": 10, "entities": 6, "sources": 3, "claims": 40}
    assert tree_hashes(tmp_path / "a") == tree_hashes(tmp_path / "b")
    assert check(tmp_path / "a") == []
    sidecar = yaml.safe_load(next((tmp_path / "a/content/articles").glob("*.yaml")).read_text())
    claims = sidecar["claims"]
    assert (len(claims), sum("claim" in c for c in claims)) == (5, 1)
    assert (len(sidecar["notes"]), len(sidecar["citations"])) == (5, 3)


def test_the_benchmark_runs_every_scenario_and_restores_the_corpus(tmp_path, capsys):
    run.main(["4", "--out", str(tmp_path), "--no-search"])
    table = capsys.readouterr().out
    for scenario in run.SCENARIOS:
        assert f"| {scenario} |" in table
    results = json.loads((tmp_path / "results-4.json").read_text())
    cold = results["scenarios"]["cold build"]
    assert cold["pages"] > 4 * 4 and cold["cpu_s"] > 0 and cold["max_process_rss_mb"] > 0
    assert list(results["scenarios"]["no-change rebuild"]["timings"]) == ["unchanged"]
    for edit in ("one sidecar edited", "one sidecar edited again"):  # a few pages rendered
        assert 0 < results["scenarios"][edit]["rendered"] < cold["pages"] / 2, edit
    hugo = results["scenarios"][run.PEER]  # without search: Hugo alone, as Scholion builds
    assert hugo["pages"] >= 4 and hugo["indexed"] == 0 and list(hugo["timings"]) == ["hugo"]
    assert results["hugo_pagefind_s"] == hugo["wall_s"] > 0
    for name, row in results["scenarios"].items():  # every figure as a ratio to both
        assert row["ratios"]["floor"] > 0 and row["ratios"]["hugo_pagefind"] > 0, name
    assert hugo["ratios"]["hugo_pagefind"] == 1
    corpus = tmp_path / "corpus-4"
    assert not (corpus / "templates").exists()
    assert check(corpus) == []
    written = (corpus / "site_config.yaml").stat().st_mtime_ns
    run.main(["4", "--out", str(tmp_path), "--no-search", "--only", "check"])
    assert (corpus / "site_config.yaml").stat().st_mtime_ns == written  # reused, not regenerated
    # The site and cache the first run left are moved aside, not deleted, before the cold build
    # (then deleted): it starts from nothing all the same.
    run.main(["4", "--out", str(tmp_path), "--no-search", "--only", "cold build"])
    again = json.loads((tmp_path / "results-4.json").read_text())["scenarios"]["cold build"]
    assert again["rendered"] == again["pages"] == cold["pages"]
    assert not (tmp_path / run.SET_ASIDE).exists()


def test_hugo_and_pagefind_build_and_index_the_same_articles(tmp_path):
    generate(tmp_path / "corpus", 4)
    project = tmp_path / "hugo"
    assert peer.write_project(tmp_path / "corpus", project) == 4
    timings = peer.build(project)
    assert list(timings) == ["hugo", "pagefind"]
    assert peer.counts(project)["indexed"] == 4
    for source in (tmp_path / "corpus/content/articles").glob("*.md"):
        front = yaml.safe_load(source.read_text().split("---\n")[1])
        page = (project / "public/articles" / source.stem / "index.html").read_text()
        assert f"<h1>{front['title']}</h1>" in page and "data-pagefind-body" in page
        assert page.count("<h2 id=") == source.read_text().count("\n## ")  # the body, rendered
