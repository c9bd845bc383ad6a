"""What gunicorn serves in the load benchmark: the tracker, plus two pages to compare it with.

    gunicorn --pythonpath bench "reference:create_app()"

- /bench/fixed: a fixed string, a route added to the tracker app (through all its hooks);
- /reference/: the plain reference page: plain Flask, hand-written SQL, one minimal Jinja
  template (bench/templates/reference.html), the claims of a dispute with their links;
- /reference/fixed: a fixed string from that plain Flask app.
Neither is part of the tracker: they live here, and the tracker's code does not know them.
"""

import os
from collections import defaultdict
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, render_template
from werkzeug.middleware.dispatcher import DispatcherMiddleware

import tracker

REFERENCE_SLUG = "load-100"

CLAIMS_SQL = sa.text("""
SELECT c.id, c.slug, c.summary, c.kind, c.quote_exact AS quote, s.slug AS statement_slug,
       s.title AS statement_title, s.date, a.name AS speaker, r.relation, t.slug AS target_slug,
       t.summary AS target_summary
FROM claim c
JOIN statement s ON s.id = c.statement_id
JOIN actor a ON a.id = s.speaker_id
LEFT JOIN response r ON r.claim_id = c.id
LEFT JOIN claim t ON t.id = r.target_id
WHERE c.dispute_id = :dispute
ORDER BY s.date, s.id, c.quote_start, c.id""")
LINKS_SQL = sa.text("""
SELECT e.claim_id, e.url, e.title, e.publisher, e.stance, e.excerpt
FROM evidence e JOIN claim c ON c.id = e.claim_id
WHERE c.dispute_id = :dispute
ORDER BY e.claim_id, e.id""")


def plain_app(database_url: str) -> Flask:
    """A plain Flask app reading the tracker's tables with hand-written SQL."""
    app = Flask(__name__, template_folder=str(Path(__file__).resolve().parent / "templates"))
    engine = sa.create_engine(database_url)

    @app.route("/")
    def reference():
        with engine.connect() as connection:
            dispute = connection.execute(sa.text("SELECT id, slug, title FROM dispute WHERE slug = :slug"),
                                         {"slug": REFERENCE_SLUG}).one()
            claims = connection.execute(CLAIMS_SQL, {"dispute": dispute.id}).all()
            links = defaultdict(list)
            for link in connection.execute(LINKS_SQL, {"dispute": dispute.id}):
                links[link.claim_id].append(link)
        return render_template("reference.html", dispute=dispute, claims=claims, links=links)

    @app.route("/fixed")
    def fixed():
        return "fixed"

    app.extensions["reference_engine"] = engine  # for counting its queries
    return app


def create_app() -> Flask:
    """The tracker app with the fixed-string route added, and the plain app mounted at /reference."""
    app = tracker.create_app()
    app.add_url_rule("/bench/fixed", "bench_fixed", lambda: "fixed")
    plain = plain_app(os.environ.get("TRACKER_DATABASE_URL") or app.config["SQLALCHEMY_DATABASE_URI"])
    app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {"/reference": plain.wsgi_app})
    app.extensions["reference_app"] = plain
    return app
