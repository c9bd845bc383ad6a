"""Generated dispute bundles for the load benchmark, imported through `tracker import`.

Each dispute has `statements` statements of `per_statement` claims, two speakers taking turns,
one statement a day, each statement answering the one before. Claim j of statement s quotes
sentence j of its text and, for j below `chained`, rebuts (or denies, qualifies...) claim j of
statement s - 1: reply chains as long as the dispute has statements. The other claims answer
nothing and nothing answers them (in the accusers' statements: accusations not answered yet).

Search finds RARE_WORD in one claim of each dispute, and COMMON_WORD in every third claim.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import tomli_w

# Bump when the generated data changes: cached databases are keyed by it.
VERSION = 1
RARE_WORD = "zeppelin"
COMMON_WORD = "harbour"
RELATIONS = ["rebuts", "denies", "qualifies", "concedes", "supports", "counters"]
STANCES = ["supports", "refutes", "context"]
TOPICS = ["tariff", "loan", "port", "railway", "grain", "vaccine", "cable", "bond", "election", "fishery"]


@dataclass(frozen=True)
class Shape:
    slug: str
    statements: int
    per_statement: int
    chained: int  # claims per statement that answer the same claim of the statement before
    links: int  # evidence links per claim

    @property
    def claims(self) -> int:
        return self.statements * self.per_statement

    def statement_slug(self, s: int) -> str:
        return f"statement-{s}"

    def claim_slug(self, s: int, j: int) -> str:
        return f"claim-{s}-{j}"

    def actor_slug(self, s: int) -> str:
        return f"{self.slug}-{'accuser' if s % 2 == 0 else 'accused'}"


SMALL = Shape("load-100", statements=10, per_statement=10, chained=9, links=2)
LARGE = Shape("load-10000", statements=100, per_statement=100, chained=90, links=2)
SHAPES = (SMALL, LARGE)


def sentence(shape: Shape, s: int, j: int) -> str:
    """Sentence j of statement s: unique in its text, so a quote of it is found once."""
    topic = TOPICS[(s + j) % len(TOPICS)]
    return (f"On point {j} of {shape.statement_slug(s)}, the {topic} figures for the region were "
            f"revised by {(s * 7 + j * 13) % 97} percent last year.")


def summary(shape: Shape, s: int, j: int) -> str:
    index = s * shape.per_statement + j
    words = [f"Point {j} of {shape.statement_slug(s)}: the {TOPICS[(s + j) % len(TOPICS)]} figures were revised"]
    if index % 3 == 0:
        words.append(f"at the {COMMON_WORD}")
    if s == shape.statements // 2 and j == 0:
        words.append(f"(the {RARE_WORD} case)")
    return " ".join(words)


def bundle(shape: Shape) -> dict:
    """The dispute.toml of `shape`, with the texts given inline."""
    actors = [{"slug": shape.actor_slug(s), "name": f"{'Accuser' if s == 0 else 'Accused'} of {shape.slug}",
               "kind": "organisation", "country": "Nowhere"} for s in (0, 1)]
    statements, claims, evidence = [], [], []
    start = dt.date(2020, 1, 1)
    for s in range(shape.statements):
        statement = {"slug": shape.statement_slug(s), "actor": shape.actor_slug(s),
                     "title": f"Statement {s} of {shape.slug}", "kind": "speech" if s % 2 == 0 else "press release",
                     "date": start + dt.timedelta(days=s), "venue": "A generated venue", "language": "en",
                     "source_url": f"https://example.org/{shape.slug}/{s}",
                     "text": "\n".join(sentence(shape, s, j) for j in range(shape.per_statement))}
        if s:
            statement["responds_to"] = shape.statement_slug(s - 1)
        statements.append(statement)
        for j in range(shape.per_statement):
            claim = {"slug": shape.claim_slug(s, j), "statement": shape.statement_slug(s),
                     "summary": summary(shape, s, j), "quote": sentence(shape, s, j),
                     "kind": "accusation" if s % 2 == 0 else "counterclaim"}
            if s and j < shape.chained:
                claim["responds_to"] = shape.claim_slug(s - 1, j)
                claim["relation"] = RELATIONS[(s + j) % len(RELATIONS)]
            claims.append(claim)
            for k in range(shape.links):
                evidence.append({"claim": claim["slug"], "url": f"https://example.org/{shape.slug}/{s}/{j}/{k}",
                                 "title": f"Source {k} on point {j} of statement {s}", "publisher": "A publisher",
                                 "date": start + dt.timedelta(days=s), "stance": STANCES[(s + j + k) % 3],
                                 "excerpt": f"An excerpt of source {k} about the {TOPICS[j % len(TOPICS)]} figures."})
    return {"dispute": {"slug": shape.slug, "title": f"A generated dispute of {shape.claims} claims",
                        "summary": "Generated for the load benchmark.", "status": "open", "tags": ["benchmark"]},
            "actors": actors, "statements": statements, "claims": claims, "evidence": evidence}


def write_bundles(folder: Path, statements_per_bundle: int = 1) -> list[Path]:
    """Bundle folders to import in order: each dispute cut into bundles of a few statements.

    10,000 claims go in as a hundred bundles of one statement each: the same rows, each bundle
    one short transaction, later ones answering claims stored by earlier ones.
    """
    paths = []
    for shape in SHAPES:
        whole = bundle(shape)
        for start in range(0, shape.statements, statements_per_bundle):
            slugs = {shape.statement_slug(s) for s in range(start, min(start + statements_per_bundle, shape.statements))}
            claims = [c for c in whole["claims"] if c["statement"] in slugs]
            claim_slugs = {c["slug"] for c in claims}
            part = {**whole, "statements": [s for s in whole["statements"] if s["slug"] in slugs], "claims": claims,
                    "evidence": [e for e in whole["evidence"] if e["claim"] in claim_slugs]}
            path = folder / f"{shape.slug}-{start:04d}"
            path.mkdir(parents=True)
            (path / "dispute.toml").write_bytes(tomli_w.dumps(part).encode())
            paths.append(path)
    return paths


def middle_of_chain(shape: Shape) -> str:
    return shape.claim_slug(shape.statements // 2, 0)


def pages(shape: Shape) -> dict[str, str]:
    """Addresses of the reader pages of one generated dispute, by what they show."""
    d = f"/disputes/{shape.slug}"
    return {
        "timeline": d,
        "statement": f"{d}/statements/{shape.statement_slug(shape.statements // 2)}",
        "claim, a root": f"{d}/claims/{shape.claim_slug(0, 0)}",
        "claim, mid-chain": f"{d}/claims/{middle_of_chain(shape)}",
        "claim, a leaf": f"{d}/claims/{shape.claim_slug(shape.statements - 1, 0)}",
        "side by side": f"{d}/side-by-side?left={shape.statement_slug(0)}&right={shape.statement_slug(1)}",
        "map": f"{d}/map",
        "actor": f"/actors/{shape.actor_slug(0)}",
    }

