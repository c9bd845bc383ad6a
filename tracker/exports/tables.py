"""A dispute's claims, responses and evidence as CSV (RFC 4180, UTF-8), written while they are read.

A cell a spreadsheet would run as a formula (one starting with =, +, -, @, a tab or a carriage
return) gets a leading apostrophe: the text stays readable, and nothing runs when the file is opened.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator

from flask import url_for

from tracker.db import in_utc
from tracker.models import Dispute
from tracker.models.link_check import link_state
from tracker.models.statement import ISO_LENGTH

from . import queries

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FLUSH_EVERY = 500  # rows written before a piece of the answer is sent


def claims(dispute: Dispute) -> Iterator[bytes]:
    claim_url = claim_addresses(dispute)
    header = ["claim_id", "slug", "summary", "kind", "quote", "reconstructed", "statement", "speaker",
              "statement_date", "verdict", "url"]
    rows = ([row.id, row.slug, row.summary, row.kind.value, row.quote_exact or "", "yes" if row.reconstructed else "no",
             row.statement_slug, row.speaker, iso_date(row.date, row.date_precision),
             row.rating.label if row.rating else "", claim_url(row.slug)]
            for row in queries.streamed(queries.claim_rows(dispute)))
    return written(header, rows)


def responses(dispute: Dispute) -> Iterator[bytes]:
    claim_url = claim_addresses(dispute)
    header = ["response_id", "claim", "relation", "target", "claim_url", "target_url"]
    rows = ([row.id, row.answer_slug, row.relation.value, row.target_slug, claim_url(row.answer_slug),
             claim_url(row.target_slug)]
            for row in queries.streamed(queries.response_rows(dispute)))
    return written(header, rows)


def evidence(dispute: Dispute) -> Iterator[bytes]:
    header = ["evidence_id", "claim", "stance", "url", "title", "publisher", "date", "excerpt", "archived_url",
              "link_state", "link_status", "link_final_url", "link_checked_at"]
    rows = ([row.id, row.claim_slug, row.stance.value, row.url, row.title, row.publisher or "",
             row.date.isoformat() if row.date else "", row.excerpt or "", row.archived_url or "",
             link_state(row.status, row.error, row.redirects) if row.checked_at else "",
             row.error or row.status or "", row.final_url or "",
             in_utc(row.checked_at).isoformat() if row.checked_at else ""]
            for row in queries.streamed(queries.evidence_rows(dispute)))
    return written(header, rows)


def written(header: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    """The table as CSV bytes, a piece at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180: CRLF line ends, fields with quotes, commas or line ends quoted
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow([defused(cell) for cell in row])
        if count % FLUSH_EVERY == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def defused(cell):
    """The cell, with a leading apostrophe if a spreadsheet would take it for a formula."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def claim_addresses(dispute: Dispute) -> Callable[[str], str]:
    """The address of a claim of the dispute from its slug, without asking the URL map for every row
    (a slug is letters, digits and hyphens: nothing in it needs escaping in a path)."""
    prefix = url_for("claims.detail", dispute_slug=dispute.slug, slug="-", _external=True)[:-1]
    return lambda slug: prefix + slug


def iso_date(date, precision) -> str:
    """The date in ISO form at its precision ("2020-01" for a month); empty when unknown."""
    return date.isoformat()[:ISO_LENGTH[precision]] if date is not None else ""
