"""Search strategies: which points of a ``SearchSpace`` to measure next.

Every strategy has one method, ``run(space, measure, rng)``: ``measure``
takes a batch of points (compiled in parallel by the tuner), returns their
times in seconds (None: failed, wrong or not measured) and raises ``Stop``
once the budget is spent. The tuner keeps the best point; a strategy only
proposes.

- ``PatternSearch`` (the default): the default config plus a random sample,
  then repeated moves of one dimension at a time around the best few points
  (after Helion's pattern search), one centre's neighbourhood at a time, a
  gaining move repeated in its direction while it gains (a pattern move),
  until no move improves by 0.5% or the budget ends.
- ``SurrogateSearch``: the same start, then a random-forest model of
  log(time) over the points' ordinals (scikit-learn, optional) ranks many
  random and neighbouring points and the best predicted are measured.

``configs=[...]`` needs no strategy: the tuner measures exactly those.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from tegula.compiler.autotune.space import SearchSpace

Measure = Callable[[list[tuple]], list[float | None]]


class Stop(Exception):
    """The budget (configs or seconds) is spent."""


def _ranked(seen: dict[tuple, float | None]) -> list[tuple]:
    return sorted((p for p, t in seen.items() if t is not None), key=lambda p: seen[p])


def _initial(space: SearchSpace, rng: random.Random, n: int) -> list[tuple]:
    points = [space.default]
    for _ in range(n * 3):
        if len(points) > n:
            break
        p = space.random(rng)
        if p is not None and p not in points:
            points.append(p)
    return points


def _measure_new(seen: dict[tuple, float | None], measure: Measure, points: list[tuple]) -> None:
    fresh = list(dict.fromkeys(p for p in points if p not in seen))
    if fresh:
        seen.update(zip(fresh, measure(fresh)))


@dataclass
class PatternSearch:
    name: str = "pattern"
    initial: int = 12
    centres: int = 3
    radius: int = 1
    #: a move must beat the best by this factor to count as progress
    min_gain: float = 0.005
    restarts: int = 0

    def run(self, space: SearchSpace, measure: Measure, rng: random.Random) -> None:
        seen: dict[tuple, float | None] = {}
        _measure_new(seen, measure, _initial(space, rng, self.initial))
        self.climb(space, measure, seen)
        for _ in range(self.restarts):  # a fresh random sample joins the centres
            _measure_new(seen, measure, [p for p in (space.random(rng) for _ in range(self.initial)) if p])
            self.climb(space, measure, seen)

    def climb(self, space: SearchSpace, measure: Measure, seen: dict[tuple, float | None]) -> None:
        """Moves one dimension at a time around the best ``centres`` points of ``seen`` while that gains.

        The centres' neighbourhoods are measured one centre at a time, best first, and a round ends at the
        first centre whose neighbourhood beats the best: a short budget goes to the most promising moves.
        A move that beat the best is made again in its direction while it keeps gaining (Hooke and Jeeves'
        pattern move), so that a far-off value of one dimension (a reduction's chunk four steps above its
        default, say) costs a few points, not a neighbourhood per step."""
        while True:
            ranked = _ranked(seen)
            if not ranked:
                return
            best = seen[ranked[0]]
            for centre in ranked[:self.centres]:
                moves = [m for m in space.neighbours(centre, self.radius) if m not in seen]
                if not moves:
                    continue
                _measure_new(seen, measure, moves)
                self.extend(space, measure, seen, [(centre, m) for m in moves if self._gains(seen, m, best)])
                if self._gains(seen, _ranked(seen)[0], best):
                    break
            else:
                return

    def extend(self, space: SearchSpace, measure: Measure, seen: dict[tuple, float | None],
               steps: list[tuple[tuple, tuple]]) -> None:
        """Repeats each move ``(start, end)`` of ``steps`` from ``end`` while the new point beats the last
        (the best three moves at a time)."""
        while steps:
            steps = sorted(steps, key=lambda s: seen[s[1]])[:3]
            nxt = []
            for start, end in steps:
                p = space.further(start, end)
                if p is not None and p not in seen:
                    nxt.append((end, p))
            if not nxt:
                return
            _measure_new(seen, measure, [p for _, p in nxt])
            steps = [(start, end) for start, end in nxt if self._gains(seen, end, seen[start])]

    def _gains(self, seen: dict[tuple, float | None], point: tuple, than: float | None) -> bool:
        t = seen.get(point)
        return t is not None and than is not None and t < than * (1 - self.min_gain)


@dataclass
class SurrogateSearch:
    name: str = "surrogate"
    initial: int = 24
    pool: int = 400
    per_round: int = 12
    rounds: int = 12

    def run(self, space: SearchSpace, measure: Measure, rng: random.Random) -> None:
        try:
            from sklearn.ensemble import RandomForestRegressor
        except ImportError:  # optional: without scikit-learn, the pattern search does the work
            PatternSearch(initial=self.initial, restarts=1).run(space, measure, rng)
            return
        seen: dict[tuple, float | None] = {}
        _measure_new(seen, measure, _initial(space, rng, self.initial))
        for _ in range(self.rounds):
            good = [t for t in seen.values() if t is not None]
            if len(good) < 4:
                break
            worst = max(good)
            xs = [space.encode(p) for p in seen]
            ys = [math.log(t if t is not None else worst * 4) for t in seen.values()]  # failures look slow
            model = RandomForestRegressor(n_estimators=64, min_samples_leaf=2, random_state=rng.randrange(1 << 30))
            model.fit(xs, ys)
            pool = [n for c in _ranked(seen)[:4] for n in space.neighbours(c, 2)]
            pool += [p for p in (space.random(rng) for _ in range(self.pool)) if p is not None]
            pool = [p for p in dict.fromkeys(pool) if p not in seen]
            if not pool:
                break
            scores = model.predict([space.encode(p) for p in pool])
            order = sorted(range(len(pool)), key=lambda i: scores[i])
            _measure_new(seen, measure, [pool[i] for i in order[:self.per_round]])
        PatternSearch(centres=2).climb(space, measure, seen)  # a last local polish around the best


#: effort -> (strategy factory, max configs, max seconds)
EFFORTS: dict[str, tuple[Callable[[], object], int, float]] = {
    # a quick search samples little at random: the default is a strong start, and a random config of a dozen
    # dimensions is rarely near the best (H100 run k: the best of each kernel's 12 random configs ran 5% to 2.3x
    # slower than its default)
    "quick": (lambda: PatternSearch(initial=6, centres=3), 80, 60.0),
    "full": (lambda: SurrogateSearch(), 400, 600.0),
}
