"""The route planner the live site keeps: what it says it made again is every route that is
not the last plan's object, whatever changed, so that the live site, which compares only those
routes with the last ones, never misses a page whose route changed."""

from __future__ import annotations

import dataclasses

from scholion.pipeline import check
from scholion.project import Project
from scholion.render.routes import Planner, plan
from tests.helpers import FIXTURES, write_corpus
from tests.render.test_pagination import generated_corpus


def _corpus(root):
    corpus, diagnostics = check(Project.at(root))
    assert corpus is not None, diagnostics
    return corpus


def _not_kept(routes, last):
    """The paths whose route is not the last plan's object."""
    kept = {route.path: route for route in last}
    return {route.path for route in routes if kept.get(route.path) is not route}


def test_every_route_not_kept_is_said_to_be_made(tmp_path):
    root = write_corpus(tmp_path / "corpus", generated_corpus())
    planner = Planner()
    first = planner.plan(_corpus(root))
    assert planner.remade.keys() == {route.path for route in first}
    again = _corpus(root)  # equal, every object another
    second = planner.plan(again)
    assert _not_kept(second, first) <= planner.remade.keys()
    assert second == first == plan(again)
    claims = dict(again.claims)
    claims["claim-01"] = dataclasses.replace(claims["claim-01"], statement="Claim 99.")
    third = planner.plan(dataclasses.replace(again, claims=claims))
    assert _not_kept(third, second) <= planner.remade.keys()
    assert "claims/claim-01/index.html" in planner.remade
    assert "claims/claim-03/index.html" not in planner.remade  # the same record, the same route
    assert third == plan(dataclasses.replace(again, claims=claims))


def test_a_plan_with_nothing_changed_gives_the_same_routes():
    corpus = _corpus(FIXTURES / "site")
    planner = Planner()
    first = planner.plan(corpus)
    second = planner.plan(corpus)
    assert _not_kept(second, first) <= planner.remade.keys()
    assert all(not path.startswith(("claims/", "articles/")) for path in planner.remade)
