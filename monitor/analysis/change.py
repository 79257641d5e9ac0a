"""Which observation decides a municipality's stance, and whether that is a change.

Pure: observations and plain values in, decisions out.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from monitor.analysis.stance import review_threshold
from monitor.domain import Observation, Stance


def winning_observation(observations: Sequence[Observation]) -> Observation | None:
    """The observation that states the municipality's stance now.

    A decision or signed statement of the municipality outranks a press report
    of the same day or earlier; a newer observation wins within one authority.
    A press report newer than the latest official one wins only when it is
    newer than that official observation (the municipality moved on since).
    """
    official = [o for o in observations if o.authority.rank > 1]
    press = [o for o in observations if o.authority.rank == 1]
    best_official = max(official, key=_recency, default=None)
    best_press = max(press, key=_recency, default=None)
    if best_official is None or best_press is None:
        return best_official or best_press
    return best_press if best_press.observed_on > best_official.observed_on else best_official


def _recency(observation: Observation) -> tuple[date, float, int]:
    return (observation.observed_on, _decisiveness(observation), observation.id)


def _decisiveness(observation: Observation) -> float:
    # On the same day a clear stance beats a neutral one, then the more confident one.
    return observation.confidence + (0.0 if observation.stance is Stance.NEUTRAL else 1.0)


class ChangeKind(enum.StrEnum):
    ANNOUNCE = "announced"  # alert the users
    BASELINE = "baseline"  # record silently (first crawl, or an old document)
    HOLD = "held"  # low confidence: wait for a person's review


@dataclass(frozen=True)
class ChangeDecision:
    old: Stance
    new: Stance
    observation: Observation
    kind: ChangeKind


def decide_change(announced: Stance, winner: Observation | None, alertable: bool,
                  thresholds: Mapping[Stance, float] | float) -> ChangeDecision | None:
    """Compare the winning observation with the stance last announced.

    `thresholds` is the review threshold per stance (a single number applies to every stance). A winner
    below its stance's threshold waits for review; a weak *acceptance* waits even where it would
    otherwise be recorded silently (first crawl, old document): a false "accepted" must never be alerted
    nor become the current stance unseen. An observation a person approved is never held again.
    """
    if winner is None or winner.stance is announced:
        return None
    below = not winner.reviewed and winner.confidence < _threshold(winner.stance, thresholds)
    if below and winner.stance is Stance.ACCEPTED:
        kind = ChangeKind.HOLD
    elif announced is Stance.UNKNOWN and winner.stance is Stance.NEUTRAL:
        kind = ChangeKind.BASELINE  # "still no position" is not news
    elif not alertable:
        kind = ChangeKind.BASELINE
    elif below:
        kind = ChangeKind.HOLD
    else:
        kind = ChangeKind.ANNOUNCE
    return ChangeDecision(old=announced, new=winner.stance, observation=winner, kind=kind)


def _threshold(stance: Stance, thresholds: Mapping[Stance, float] | float) -> float:
    if isinstance(thresholds, int | float):
        return float(thresholds)
    return review_threshold(stance, dict(thresholds))


def is_alertable(published_on: date | None, fetched_during_baseline: bool, today: date, backfill_days: int) -> bool:
    """Documents from a source's first crawl, or published before the backfill window, only build a baseline."""
    if published_on is not None:
        return published_on >= today - timedelta(days=backfill_days)
    return not fetched_during_baseline
