"""Atom 1.0 (RFC 4287) written with the standard library: ElementTree escapes every text it is given."""

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET

from .queries import Entry

ATOM = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 cannot carry at all, even escaped: they are left out.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def stable_id(root: str, name: str) -> str:
    """A urn:uuid from the publisher's address and a row's kind and id: a new title or slug keeps it."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{root}#{name}").urn


def feed(*, root: str, name: str, title: str, self_link: str, page_link: str, author: tuple[str, str],
         entries: list[Entry], quiet_since: dt.datetime) -> bytes:
    """The feed document; `quiet_since` is its updated time when it has no entries."""
    top = ET.Element("feed", xmlns=ATOM)
    text(top, "id", stable_id(root, name))
    text(top, "title", title)
    text(top, "updated", stamp(max((e.updated for e in entries), default=quiet_since)))
    ET.SubElement(top, "link", rel="self", type="application/atom+xml", href=self_link)
    ET.SubElement(top, "link", rel="alternate", type="text/html", href=page_link)
    who = ET.SubElement(top, "author")
    text(who, "name", author[0])
    text(who, "uri", author[1])
    for entry in entries:
        item = ET.SubElement(top, "entry")
        text(item, "id", stable_id(root, f"{entry.kind}-{entry.row_id}"))
        text(item, "title", entry.title)
        text(item, "updated", stamp(entry.updated))
        ET.SubElement(item, "link", rel="alternate", type="text/html", href=entry.link)
        ET.SubElement(item, "category", term=entry.kind)
        text(item, "summary", entry.summary)
    return ET.tostring(top, encoding="utf-8", xml_declaration=True)


def text(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = NOT_XML.sub("", value)


def stamp(value: dt.datetime) -> str:
    """An RFC 3339 time, in UTC."""
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
