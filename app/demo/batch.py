"""A whole demo batch: its enterprises, their patents (``data``) and projects (``projects``)."""

from __future__ import annotations

import math
import random

from zhutui.demo.data import Batch, make_patent
from zhutui.demo.people import SUPERIOR_UNIONS, People, make_enterprises
from zhutui.demo.projects import make_projects
from zhutui.plans import Plan


def build_batch(rng: random.Random, plan: Plan, patents: int, projects: int) -> Batch:
    people = People(rng)
    superior = rng.choice(SUPERIOR_UNIONS)
    n_ent = max(2, min(6, math.ceil(patents / 9) + math.ceil(projects / 3)))
    if patents + projects <= 4:
        n_ent = 1
    enterprises = make_enterprises(rng, people, superior, n_ent)
    batch = Batch(plan, superior, enterprises, people, [])
    width = max(2, len(str(max(patents, projects, 1))))
    serials: set[str] = set()
    for i in range(patents):
        ent = enterprises[i % len(enterprises)] if i < len(enterprises) else rng.choice(enterprises)
        batch.apps.append(make_patent(rng, batch, ent, i + 1, width, serials))
    batch.apps.extend(make_projects(rng, batch, projects, width))
    return batch
