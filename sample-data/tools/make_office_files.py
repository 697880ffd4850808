#!/usr/bin/env python3
"""Generate the Office/OpenDocument interviews of the Storyloom sample study.

Sources live in tools/src/<output name>.txt; the generated files go in
sample-data/interviews/. Requirements: ``pip install python-docx odfpy``.

Source markup (one paragraph per line; blank lines are ignored):

* ``**Label:** text``  -> paragraph whose first run is the bold ``Label:``,
  followed by a normal run `` text``.
* ``!! text``          -> paragraph entirely in bold.
* ``|| a | b || c | d`` -> (docx only) a table, one row per ``||`` group,
  cells separated by `` | ``.
* any other line       -> a normal paragraph.
* ``{+text+}`` / ``{-text-}`` inside a line -> (docx only) a tracked
  insertion / deletion (w:ins / w:del) by TRACK_AUTHOR.
* a literal tab character is kept as a real tab (w:tab / text:tab).

The output is deterministic: fixed core/meta properties and fixed zip entry
timestamps, so re-running the script produces byte-identical files.
"""

import datetime as dt
import io
import os
import re
import sys
import zipfile

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from odf import teletype
from odf.dc import Creator, Date, Title
from odf.meta import CreationDate, InitialCreator
from odf.opendocument import OpenDocumentText
from odf.style import Style, TextProperties
from odf.text import P, Span

HERE = os.path.dirname(os.path.abspath(__file__))
SRC_DIR = os.path.join(HERE, "src")
OUT_DIR = os.path.normpath(os.path.join(HERE, "..", "interviews"))

# Only the files this script owns (other interviews are written separately).
FILES = [
    "P01-doreen-walsh.docx",
    "P06-eileen-murphy.odt",
    "LW1-priya-sharma.docx",
    "P09-lily-chen.docx",
]

AUTHOR = "Connected Lives evaluation team"
FIXED_DATETIME = dt.datetime(2025, 6, 1, 0, 0, 0, tzinfo=dt.timezone.utc)
FIXED_ISO = "2025-06-01T00:00:00Z"
ZIP_DATE_TIME = (2025, 6, 1, 0, 0, 0)
TRACK_AUTHOR = "Sarah Kendall"

LABEL_RE = re.compile(r"^\*\*(?P<label>[^*]+?:)\*\*(?P<rest>.*)$")
TRACK_RE = re.compile(r"(\{\+.*?\+\}|\{-.*?-\})")


# --------------------------------------------------------------------------
# Source parsing
# --------------------------------------------------------------------------

def parse_source(path):
    """Return a list of blocks: (kind, data).

    kind is "para" with data = list of (text, bold) segments, or "table" with
    data = list of rows (lists of cell strings).
    """
    blocks = []
    with open(path, encoding="utf-8") as fh:
        for raw in fh.read().split("\n"):
            line = raw.rstrip("\r")
            if not line.strip():
                continue
            if line.startswith("||"):
                rows = []
                for group in line.strip().strip("|").split("||"):
                    group = group.strip()
                    if group:
                        rows.append([c.strip() for c in group.split(" | ")])
                blocks.append(("table", rows))
                continue
            if line.startswith("!! "):
                blocks.append(("para", [(line[3:], True)]))
                continue
            m = LABEL_RE.match(line)
            if m:
                blocks.append(("para", [(m.group("label"), True),
                                        (m.group("rest"), False)]))
                continue
            blocks.append(("para", [(line, False)]))
    return blocks


def split_tracked(text):
    """Split text into (kind, text) with kind in {"text", "ins", "del"}."""
    out = []
    for piece in TRACK_RE.split(text):
        if not piece:
            continue
        if piece.startswith("{+") and piece.endswith("+}"):
            out.append(("ins", piece[2:-2]))
        elif piece.startswith("{-") and piece.endswith("-}"):
            out.append(("del", piece[2:-2]))
        else:
            out.append(("text", piece))
    return out


# --------------------------------------------------------------------------
# Deterministic zip rewriting
# --------------------------------------------------------------------------

def normalise_zip(data):
    """Rewrite a zip with fixed timestamps/attributes, keeping entry order
    and each entry's compression method (the ODF mimetype stays stored)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, ZIP_DATE_TIME)
            zi.compress_type = info.compress_type
            zi.create_system = 3
            zi.external_attr = 0o100644 << 16
            dst.writestr(zi, src.read(info.filename))
    return buf.getvalue()


def write_atomic(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


# --------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------

class RevisionIds:
    def __init__(self):
        self.next = 1

    def take(self):
        value = self.next
        self.next += 1
        return str(value)


def _tracked_run(text, deleted):
    r = OxmlElement("w:r")
    t = OxmlElement("w:delText" if deleted else "w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    r.append(t)
    return r


def add_docx_segment(paragraph, text, bold, ids):
    for kind, piece in split_tracked(text):
        if kind == "text":
            run = paragraph.add_run(piece)  # "\t" becomes <w:tab/>
            if bold:
                run.bold = True
            continue
        if "\t" in piece:
            raise ValueError("tabs are not supported inside tracked changes")
        wrapper = OxmlElement("w:ins" if kind == "ins" else "w:del")
        wrapper.set(qn("w:id"), ids.take())
        wrapper.set(qn("w:author"), TRACK_AUTHOR)
        wrapper.set(qn("w:date"), FIXED_ISO)
        run = _tracked_run(piece, deleted=(kind == "del"))
        if bold:
            rpr = OxmlElement("w:rPr")
            rpr.append(OxmlElement("w:b"))
            run.insert(0, rpr)
        wrapper.append(run)
        paragraph._p.append(wrapper)


def build_docx(blocks, title):
    document = docx.Document()
    ids = RevisionIds()
    for kind, data in blocks:
        if kind == "table":
            ncols = max(len(r) for r in data)
            table = document.add_table(rows=len(data), cols=ncols)
            table.style = "Table Grid"
            for i, row in enumerate(data):
                for j, cell_text in enumerate(row):
                    table.cell(i, j).text = cell_text
            continue
        paragraph = document.add_paragraph()
        for text, bold in data:
            add_docx_segment(paragraph, text, bold, ids)

    cp = document.core_properties
    cp.author = AUTHOR
    cp.last_modified_by = AUTHOR
    cp.created = FIXED_DATETIME
    cp.modified = FIXED_DATETIME
    cp.revision = 1
    cp.title = title
    cp.subject = "Connected Lives evaluation – sample interview"
    cp.comments = ""
    cp.keywords = ""
    cp.category = ""
    if cp.last_printed is not None:
        cp.last_printed = FIXED_DATETIME

    buf = io.BytesIO()
    document.save(buf)
    return normalise_zip(buf.getvalue())


# --------------------------------------------------------------------------
# ODT
# --------------------------------------------------------------------------

def build_odt(blocks, title):
    doc = OpenDocumentText()
    bold_style = Style(name="T1", family="text")
    bold_style.addElement(TextProperties(fontweight="bold",
                                         fontweightasian="bold",
                                         fontweightcomplex="bold"))
    doc.automaticstyles.addElement(bold_style)

    for kind, data in blocks:
        if kind == "table":
            raise ValueError("tables are not supported in the odt output")
        p = P()
        for text, bold in data:
            if TRACK_RE.search(text):
                raise ValueError("tracked changes are not supported in odt")
            if bold:
                span = Span(stylename=bold_style)
                teletype.addTextToElement(span, text)  # spaces -> text:s, tab -> text:tab
                p.addElement(span)
            else:
                teletype.addTextToElement(p, text)
        doc.text.addElement(p)

    doc.meta.addElement(InitialCreator(text=AUTHOR))
    doc.meta.addElement(Creator(text=AUTHOR))
    doc.meta.addElement(CreationDate(text=FIXED_ISO))
    doc.meta.addElement(Date(text=FIXED_ISO))
    doc.meta.addElement(Title(text=title))

    buf = io.BytesIO()
    doc.write(buf)
    return normalise_zip(buf.getvalue())


# --------------------------------------------------------------------------

def main(argv):
    os.makedirs(OUT_DIR, exist_ok=True)
    names = argv[1:] or FILES
    for name in names:
        src = os.path.join(SRC_DIR, name + ".txt")
        blocks = parse_source(src)
        title = "Interview " + name.split("-")[0]
        if name.endswith(".docx"):
            data = build_docx(blocks, title)
        elif name.endswith(".odt"):
            data = build_odt(blocks, title)
        else:
            raise SystemExit("unsupported output type: " + name)
        out = os.path.join(OUT_DIR, name)
        write_atomic(out, data)
        print("wrote", os.path.relpath(out, os.path.join(HERE, "..")))


if __name__ == "__main__":
    main(sys.argv)
