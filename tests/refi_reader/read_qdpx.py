"""An independent reading of a REFI-QDA project (.qdpx) with pyrefiqda
(a schema-generated parser from PyPI), printed as JSON for the Rust test
`tests/tests/refi_reader.rs` to compare with the Storyloom project.

Positions are applied by this script in Python, whose strings index code
points (the unit the standard names): every selection's text is cut from
the source's plain-text file here, not by Storyloom.

Usage: read_qdpx.py PROJECT.qdpx  (prints JSON on stdout)
"""

import json
import sys
import tempfile
import zipfile
from pathlib import Path

from pyrefiqda import RefiProject


def walk_codes(codes, parent, out):
    for c in codes or []:
        out.append(
            {
                "guid": c.guid,
                "name": c.name,
                "parent": parent,
                "codable": bool(c.is_codable),
                "description": c.description or "",
            }
        )
        walk_codes(c.code, c.guid, out)


def entry_text(archive, path):
    """The text of an internal:// path, found case-insensitively in sources/."""
    if not path or not path.startswith("internal://"):
        return None
    want = ("sources/" + path[len("internal://"):]).lower()
    for name in archive.namelist():
        if name.lower() == want:
            return archive.read(name).decode("utf-8-sig")
    return None


def main():
    qdpx = Path(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        project = RefiProject.load(qdpx, extract_dir=tmp)
    archive = zipfile.ZipFile(qdpx)
    users = {u.guid: u.name for u in (project.users.user if project.users else [])}
    codes = []
    if project.code_book is not None:
        walk_codes(project.code_book.codes.code, None, codes)
    sources = []
    selections = []
    for s in project.sources.text_source if project.sources else []:
        text = entry_text(archive, s.plain_text_path)
        if text is None:
            text = s.plain_text_content or ""
        sources.append(
            {
                "guid": s.guid,
                "name": s.name,
                "creating_user": users.get(s.creating_user),
                "chars": len(text),
                "text": text,
                "description": s.description or "",
            }
        )
        for sel in s.plain_text_selection:
            for c in sel.coding:
                selections.append(
                    {
                        "source": s.guid,
                        "start": sel.start_position,
                        "end": sel.end_position,
                        "text": text[sel.start_position:sel.end_position],
                        "selection_user": users.get(sel.creating_user),
                        "coder": users.get(c.creating_user),
                        "code": c.code_ref.target_guid,
                        "coding": c.guid,
                        "description": sel.description or "",
                    }
                )
    notes = []
    for n in project.notes.note if project.notes else []:
        body = entry_text(archive, n.plain_text_path)
        if body is None:
            body = n.plain_text_content or ""
        notes.append({"guid": n.guid, "name": n.name, "text": body})
    cases = []
    for c in project.cases.case if project.cases else []:
        cases.append(
            {
                "guid": c.guid,
                "name": c.name,
                "sources": [r.target_guid for r in c.source_ref],
                "description": c.description or "",
            }
        )
    json.dump(
        {
            "origin": project.origin,
            "users": sorted(users.values()),
            "codes": codes,
            "sources": sources,
            "selections": selections,
            "notes": notes,
            "cases": cases,
            "description": project.description or "",
        },
        sys.stdout,
        ensure_ascii=False,
        indent=1,
    )


if __name__ == "__main__":
    main()
