"""Spot-check sampling: weighted by the three risk factors, reproducible with a seed."""

from collections import Counter

from server.domain import sampling
from server.domain.sampling import Candidate


def cand(i: int, rej=0.0, fail=0.0, days=0.0, loc=None) -> Candidate:
    return Candidate(i, loc if loc is not None else i, rej, fail, days)


def test_weight_grows_with_each_risk_factor():
    base = sampling.weight(cand(1))
    assert sampling.weight(cand(1, rej=0.5)) > base
    disputed = Candidate(1, 1, 0.0, 0.0, 0.0, worker_disagreement_rate=0.5)
    assert sampling.weight(disputed) == base + sampling.W_DISAGREEMENT * 0.5
    assert sampling.weight(cand(1, fail=0.5)) > base
    assert sampling.weight(cand(1, days=7)) > base
    assert sampling.weight(Candidate(1, 1, 0, 0, None)) == sampling.weight(cand(1, days=sampling.STALE_CAP))
    assert sampling.weight(cand(1, rej=5, fail=5, days=999)) == 1 + sampling.W_REJECTION + sampling.W_FAILURE + sampling.W_STALE


def test_same_seed_same_list_whatever_the_input_order():
    pool = [cand(i, rej=i / 20, fail=(i % 3) / 3, days=i % 10) for i in range(20)]
    a = sampling.sample(pool, 3, seed=42)
    b = sampling.sample(list(reversed(pool)), 3, seed=42)
    assert [c.visit_id for c in a] == [c.visit_id for c in b] and len(a) == 3
    assert any([c.visit_id for c in sampling.sample(pool, 3, seed=s)] != [c.visit_id for c in a]
               for s in range(1, 10))


def test_riskier_visits_are_drawn_more_often():
    risky = cand(1, rej=1.0, fail=1.0, days=14)
    safe = cand(2, days=0)
    hits = Counter(sampling.sample([risky, safe], 1, seed=s)[0].visit_id for s in range(2000))
    # weights 10 vs 1: the risky one should win about 10/11 of the draws
    assert 0.85 < hits[1] / 2000 < 0.95


def test_one_visit_per_location_and_k_limit():
    pool = [cand(i, loc=i % 2) for i in range(10)]
    got = sampling.sample(pool, 5, seed=1)
    assert len(got) == 2 and {c.location_id for c in got} == {0, 1}
    assert sampling.sample([], 3, seed=1) == []


def test_seed_for_is_stable():
    assert sampling.seed_for("s", 1, 2, "2026-11-22") == sampling.seed_for("s", 1, 2, "2026-11-22")
    assert sampling.seed_for("s", 1, 2, "2026-11-22") != sampling.seed_for("s", 1, 2, "2026-11-23")
