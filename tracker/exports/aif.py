"""A dispute in the Argument Interchange Format, as AIFdb's JSON (nodes, edges, locutions, participants).

Statements are L-nodes (locutions) of their speakers (participants); each claim is an I-node, asserted
(a YA-node) by the statement it was cut from. A response is a scheme node between two claims:
a conflict (CA) when it rebuts, denies, counters or qualifies, an inference (RA) when it supports or
concedes, drawn from the answering claim to the claim it answers. A statement that answers another
is a transition (TA) between their locutions. Node ids name the row they come from, so they are stable.
"""

from flask import url_for

from tracker.models import ActorKind, Dispute, Relation

from . import queries

# Which AIF scheme node each relation is. Qualifying grants part of the target and contests the
# rest: a (partial) conflict. Conceding grants the target: the answer counts for it, an inference.
SCHEME = {Relation.rebuts: "CA", Relation.denies: "CA", Relation.counters: "CA", Relation.qualifies: "CA",
          Relation.supports: "RA", Relation.concedes: "RA"}


def document(dispute: Dispute) -> dict:
    nodes, edges, locutions, participants = [], [], [], {}

    def link(source: str, target: str) -> None:
        edges.append({"edgeID": f"{source}>{target}", "fromID": source, "toID": target})

    for statement in queries.statements(dispute):
        speaker, node = statement.speaker, f"L-statement-{statement.id}"
        person = f"actor-{speaker.id}"
        if person not in participants:
            first, _, last = speaker.name.rpartition(" ") if speaker.kind is ActorKind.person else (speaker.name, "", "")
            participants[person] = {"participantID": person, "firstname": first or last, "surname": last if first else "",
                                    "name": speaker.name}
        nodes.append({"nodeID": node, "type": "L", "text": f"{speaker.name}: {statement.title}",
                      "timestamp": statement.date_iso or ""})
        locutions.append({"nodeID": node, "personID": person, "start": statement.date_iso or "",
                          "source": url_for("statements.detail", dispute_slug=dispute.slug, slug=statement.slug,
                                            _external=True)})
    for claim in queries.everything(queries.claim_rows(dispute)):
        node, asserting = f"I-claim-{claim.id}", f"YA-claim-{claim.id}"
        nodes.append({"nodeID": node, "type": "I", "text": claim.summary})
        nodes.append({"nodeID": asserting, "type": "YA", "text": "Asserting"})
        link(f"L-statement-{claim.statement_id}", asserting)
        link(asserting, node)
    for response in queries.everything(queries.response_rows(dispute)):
        scheme = SCHEME[response.relation]
        node = f"{scheme}-response-{response.id}"
        nodes.append({"nodeID": node, "type": scheme, "text": response.relation.value})
        link(f"I-claim-{response.answer_id}", node)
        link(node, f"I-claim-{response.target_id}")
    for answering, answered in queries.statement_answers(dispute):
        node = f"TA-statement-{answering}-{answered}"
        nodes.append({"nodeID": node, "type": "TA", "text": "Default Transition"})
        link(f"L-statement-{answered}", node)
        link(node, f"L-statement-{answering}")
    return {"nodes": nodes, "edges": edges, "locutions": locutions, "participants": list(participants.values())}
