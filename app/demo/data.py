"""The content of a demo batch: patent applications and project proposals of a few
enterprises under one superior union, valid against every check of the plan year."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from zhutui import identifiers as ids
from zhutui.checks.planrules import patent_rules
from zhutui.demo import prose
from zhutui.demo.people import Enterprise, People, Person, SuperiorUnion
from zhutui.formdef import load_form
from zhutui.plans import Plan

PATENT_DIR, PROJECT_DIR = "发明专利", "创新项目"


def level_label(level: str) -> str:
    """A studio level's Chinese name, as the project form defines it."""
    return load_form("project").field("studio.level").choice_label(level)


def max_length(form: str, key: str) -> int:
    """A text field's length limit from the form definition."""
    limit = load_form(form).field(key).max_length
    assert limit is not None, key
    return limit


@dataclass
class AttSpec:
    """One attachment to write: which document, in which shape, and how it is spoiled."""

    kind: str
    name: str  # file name inside the application's folder, e.g. "专利证书.jpg"
    doc: str  # certificate | proof | approval | fund | studio_cert
    shape: str  # photo (phone JPEG) | scan_pdf (scanner PDF) | scan_jpg (scanner JPEG)
    seed: int
    pages: int = 1
    orientation: int = 1  # how a photo's pixels lie: as EXIF orientation n says (1 upright)
    tagged: bool = True  # whether the EXIF says so (False: a photo lying turned, EXIF silent)
    variant: str | None = None  # None | missing | truncated | encrypted | lowres
    title: str | None = None


@dataclass
class DemoApp:
    form: str  # patent | project
    folder: str  # PATENT_DIR | PROJECT_DIR
    stem: str  # "01_王建国"
    data: dict[str, Any]
    attachments: list[AttSpec]
    doc: dict[str, Any]  # what the scanned documents show (the true facts behind typos)
    ent: Enterprise
    group: str = ""  # studio key of a project
    tokens: set[str] = field(default_factory=set)  # fields touched by planted faults
    faults: int = 0

    @property
    def rel_json(self) -> str:
        return f"{self.folder}/{self.stem}.json"

    def att(self, kind: str) -> AttSpec | None:
        return next((a for a in self.attachments if a.kind == kind), None)


@dataclass
class Batch:
    plan: Plan
    superior: SuperiorUnion
    enterprises: list[Enterprise]
    people: People
    apps: list[DemoApp]
    studio_names: set[str] = field(default_factory=set)


def day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def month_end(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    first_next = dt.date(d.year + y + (m + 1) // 12, (m + 1) % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def photo(rng: random.Random, kind: str, name: str, doc: str) -> AttSpec:
    orientation = rng.choice((6, 6, 8, 3)) if rng.random() < 0.3 else 1
    seed = rng.randrange(2**31)
    # Now and then the phone records no orientation: the picture lies sideways or upside down.
    # Drawn from the file's own seed, so the batch's content stays what it was.
    tagged = orientation == 1 or random.Random(f"{seed}/exif").random() < 0.6
    return AttSpec(kind, f"{name}.jpg", doc, "photo", seed, orientation=orientation, tagged=tagged)


def scan_pdf(rng: random.Random, kind: str, name: str, doc: str, pages: int = 1) -> AttSpec:
    return AttSpec(kind, f"{name}.pdf", doc, "scan_pdf", rng.randrange(2**31), pages=pages)


# --------------------------------------------------------------------------- patents


def _title(rng: random.Random, ent: Enterprise) -> tuple[str, str, str]:
    for _ in range(60):
        stem, endings = rng.choice(ent.industry.stems)
        ending = rng.choice(endings.split("|"))
        title = f"一种{stem}{ending}"
        if title not in ent.used_titles:
            break
    ent.used_titles.add(title)
    return title, stem, ending


def make_patent(
    rng: random.Random, batch: Batch, ent: Enterprise, index: int, width: int, serials: set[str]
) -> DemoApp:
    plan, ind = batch.plan, ent.industry
    person = batch.people.person()
    grant = day_between(rng, patent_rules(plan).grant_from, patent_rules(plan).grant_to)
    filed = grant - dt.timedelta(days=rng.randint(430, 1650))
    filed = max(filed, dt.date(grant.year - 5, 1, 4))
    while True:
        number = ids.make_patent_number(filed.year, 1, rng.randrange(1_600_000))
        if number[:-2] not in serials:
            serials.add(number[:-2])
            break
    title, stem, ending = _title(rng, ent)
    since = day_between(
        rng, filed + dt.timedelta(days=60), min(grant + dt.timedelta(days=240), dt.date(plan.year, 9, 30))
    )
    co = [batch.people.name(rng.random() < 0.7) for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 4)))]
    post = rng.choice(ind.posts)
    field_ = "其他" if rng.random() < 0.06 else rng.choice(ind.fields)
    patent: dict[str, Any] = {
        "title": title,
        "number": number,
        "grant_date": grant.isoformat(),
        "patentee": ent.name,
        "inventors": [person.name, *co],
        "field": field_,
        "applied_since": since.isoformat(),
        "application_summary": prose.patent_summary(rng, ind, title, since, post),
    }
    if rng.random() < 0.75:
        patent["abstract"] = prose.patent_abstract(rng, stem, ending)
    inventor = _inventor(person, ent, post)
    if rng.random() < 0.15:
        del inventor["employer_uscc"]
    data = {
        "form": "patent",
        "plan_year": plan.year,
        "patent": patent,
        "inventor": inventor,
        "unit_union": unit_union(ent),
        "superior_union": {"name": batch.superior.name},
    }
    cert = (
        photo(rng, "patent_certificate", "专利证书", "certificate")
        if rng.random() < 0.8
        else scan_pdf(rng, "patent_certificate", "专利证书", "certificate")
    )
    proof = (
        scan_pdf(rng, "application_proof", "企业应用证明", "proof")
        if rng.random() < 0.75
        else photo(rng, "application_proof", "企业应用证明", "proof")
    )
    doc = {
        "title": title,
        "number": number,
        "grant_date": grant,
        "filed": filed,
        "patentee": ent.name,
        "patentee_address": f"{ent.postcode} {ent.address}",
        "inventors": list(patent["inventors"]),
        "since": since,
        "employer": ent.name,
        "inventor": person.name,
    }
    stem_name = f"{index:0{width}d}_{person.name}"
    return DemoApp("patent", PATENT_DIR, stem_name, data, [cert, proof], doc, ent)


def _inventor(person: Person, ent: Enterprise, post: str) -> dict[str, Any]:
    return {
        "name": person.name,
        "gender": person.gender,
        "id_number": person.id_number,
        "phone": person.phone,
        "employer": ent.name,
        "employer_uscc": ent.uscc,
        "post": post,
        "frontline": True,
        "union_card_no": person.card_no,
    }


def unit_union(ent: Enterprise) -> dict[str, str]:
    return {"name": ent.union_name, "contact": ent.union_contact, "phone": ent.union_phone}
