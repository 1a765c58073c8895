"""Planted faults of ``zhutui demo --with-errors``: one per rule code where the batch has room.

Each fault is planted on the least-loaded application that can take it. A fault declares the
fields it touches ("tokens"); two faults share an application only when their tokens don't
overlap, so that neither hides nor causes the other's finding. Faults on two or three
applications (P008, P009, J008) also mark their partners. What is planted is recorded with the
path the check reports; attachment paths are written ``attachments[<kind>].file`` here and
resolved to the index when the files are written.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from zhutui import identifiers as ids
from zhutui.demo.data import Batch, DemoApp

Planter = Callable[["FaultCtx", DemoApp], tuple[str, str]]


@dataclass
class Planted:
    app: DemoApp
    code: str
    path: str
    description: str


@dataclass
class FaultCtx:
    batch: Batch
    rng: random.Random
    partners: list[DemoApp]  # filled by the allocator for multi-application faults


@dataclass(frozen=True)
class FaultDef:
    code: str
    form: str
    tokens: frozenset[str]
    plant: Planter
    applies: Callable[[DemoApp, Batch], bool] = lambda app, batch: True
    partner_tokens: frozenset[str] = frozenset()
    # (host, free candidates by load, batch) -> the partner applications, None when there are none
    partners: Callable[[DemoApp, list[DemoApp], Batch], list[DemoApp] | None] | None = None


def _clash(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def free(app: DemoApp, tokens: frozenset[str]) -> bool:
    return not any(_clash(t, u) for t in tokens for u in app.tokens)


# --------------------------------------------------------------------------- shared edits


def drop_digit(phone: str, rng: random.Random) -> str:
    i = rng.randrange(3, len(phone))
    return phone[:i] + phone[i + 1 :]


def bad_date(real: str) -> str:
    """An impossible date near ``real``: the 31st of a 30-day month, or 30 February."""
    y, m, _ = real.split("-")
    return f"{y}-{m}-31" if m in ("04", "06", "09", "11") else f"{y}-02-30"


def spoil_uscc(uscc: str, rng: random.Random) -> str:
    while True:
        i = rng.randrange(8, 17)
        c = rng.choice(ids.USCC_CHARSET[:10])
        candidate = uscc[:i] + c + uscc[i + 1 :]
        if ids.check_uscc(candidate):
            return candidate


def att_fault(kind_shapes: tuple[str, ...], variant: str, text: str) -> Planter:
    def plant(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
        spec = next(
            a
            for a in app.attachments
            if a.shape in kind_shapes and a.variant is None and free(app, frozenset({f"att.{a.kind}"}))
        )
        spec.variant = variant
        app.tokens.add(f"att.{spec.kind}")
        return f"attachments[{spec.kind}].file", text.format(file=spec.name)

    return plant


def att_applies(shapes: tuple[str, ...]) -> Callable[[DemoApp, Batch], bool]:
    def applies(app: DemoApp, batch: Batch) -> bool:
        return any(
            a.shape in shapes and a.variant is None and free(app, frozenset({f"att.{a.kind}"})) for a in app.attachments
        )

    return applies


def remove_att(kind: str, label: str) -> Planter:
    def plant(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
        spec = app.att(kind)
        assert spec is not None
        spec.variant = "removed"
        return "attachments", f"没有添加必需的附件“{label}”"

    return plant


def fs(*tokens: str) -> frozenset[str]:
    return frozenset(tokens)


def plant_faults(batch: Batch, rng: random.Random, defs: tuple[FaultDef, ...]) -> list[Planted]:
    """Plant the first applicable fault of each code, in the order of ``defs``."""
    planted: list[Planted] = []
    done: set[str] = set()
    order = list(batch.apps)
    rng.shuffle(order)
    for fd in defs:
        if fd.code in done:
            continue
        hosts = [a for a in order if a.form == fd.form and free(a, fd.tokens) and fd.applies(a, batch)]
        ctx = FaultCtx(batch, rng, [])
        chosen = None
        for host in sorted(hosts, key=lambda a: a.faults):
            if fd.partners is None:
                chosen = host
                break
            mates = [m for m in sorted(order, key=lambda a: a.faults) if m is not host and free(m, fd.partner_tokens)]
            found = fd.partners(host, mates, batch)
            if found:
                chosen, ctx.partners = host, found
                break
        if chosen is None:
            continue
        path, text = fd.plant(ctx, chosen)
        chosen.tokens |= fd.tokens
        chosen.faults += 1
        for mate in ctx.partners:
            mate.tokens |= fd.partner_tokens
            mate.faults += 1
        planted.append(Planted(chosen, fd.code, path, text))
        done.add(fd.code)
    return planted
