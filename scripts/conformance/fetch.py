#!/usr/bin/env python3
"""Fetches the conformance corpus: real XSD 1.0 schemas with instance documents, from PyPI source
distributions and Debian packages, at pinned versions with their SHA-256, into target/conformance/corpus/, and
writes target/conformance/manifest.toml: per set, each entry schema and the documents that xmllint accepts
against it (the oracle), with counts of what was left out and why.

    python3 scripts/conformance/fetch.py [--out target/conformance]

Needs pip, apt-get (Debian), dpkg-deb and xmllint. Downloads are cached in <out>/downloads; a download whose
checksum differs is an error. Then run the harness: cargo run -p qps-conformance -- target/conformance/manifest.toml
"""

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
from pathlib import Path

XS = "http://www.w3.org/2001/XMLSchema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

# Each set: where it comes from (pinned), and which folders of the unpacked source hold its schemas and documents.
SETS = [
    {
        "name": "xmlschema",
        "kind": "pypi",
        "package": "xmlschema",
        "version": "3.4.3",
        "file": "xmlschema-3.4.3.tar.gz",
        "sha256": "0c638dac81c7d6c9da9a8d7544402c48cffe7ee0e13cc47fc0c18794d1395dfb",
        "roots": ["xmlschema-3.4.3/tests/test_cases"],
        "licence": "xmlschema-3.4.3/LICENSE",
        "about": "test cases of the xmlschema Python package (MIT)",
    },
    {
        "name": "xsdata",
        "kind": "pypi",
        "package": "xsdata",
        "version": "24.1",
        "file": "xsdata-24.1.tar.gz",
        "sha256": "e36fc8b4624bbbaf2d34d0857c6d78ede99ec1d3240cc7dd50546177fbb52442",
        "roots": ["xsdata-24.1/tests/fixtures"],
        "licence": "xsdata-24.1/LICENSE",
        "about": "test fixtures of the xsdata Python package (MIT)",
    },
    {
        "name": "generateDS",
        "kind": "pypi",
        "package": "generateDS",
        "version": "2.43.3",
        "file": "generateDS-2.43.3.tar.gz",
        "sha256": "2d934428a00635e1f2d4685b96093da0f360a4a6d411dbdabf47e2fd3f6861f3",
        "roots": ["generateDS-2.43.3/tests"],
        "licence": "generateDS-2.43.3/LICENSE",
        "about": "test schemas and documents of the generateDS Python package (MIT)",
    },
    {
        "name": "pyxb",
        "kind": "pypi",
        "package": "PyXB",
        "version": "1.2.6",
        "file": "PyXB-1.2.6.tar.gz",
        "sha256": "2a00f38dd1d87b88f92d79bc5a09718d730419b88e814545f472bbd5a3bf27b4",
        "roots": ["PyXB-1.2.6/tests", "PyXB-1.2.6/examples"],
        "licence": "PyXB-1.2.6/LICENSE",
        "about": "test and example schemas and documents of the PyXB Python package (Apache-2.0)",
    },
    {
        "name": "xsdcxx",
        "kind": "deb",
        "package": "xsdcxx",
        "version": "4.0.0-9",
        "file": "xsdcxx_4.0.0-9_amd64.deb",
        "sha256": "4b40ead206bf77b6f61793cc195279f535a318b39493283bcb5a14e77f9674c1",
        "roots": ["usr/share/doc/xsdcxx/examples"],
        "licence": "usr/share/doc/xsdcxx/copyright",
        "about": "examples of CodeSynthesis XSD, Debian package xsdcxx (GPL-2 with exception)",
    },
    {
        "name": "gdal-data",
        "kind": "deb",
        "package": "gdal-data",
        "version": "3.6.2+dfsg-1",
        "file": "gdal-data_3.6.2+dfsg-1_all.deb",
        "sha256": "43c744c5080ff25dc4f3a6bc601d30ee4febf7c77ad41858575df26d31fa423e",
        "roots": ["usr/share/gdal"],
        "licence": "usr/share/doc/gdal-data/copyright",
        "about": "GDAL's configuration schemas and files, Debian package gdal-data (MIT)",
    },
]

# Markers of XSD 1.1: a schema holding one is left out (xmllint knows XSD 1.0 only).
XSD11 = re.compile(
    r"<(\w+:)?(assert|assertion|alternative|openContent|defaultOpenContent|override)\b"
    r"|vc:minVersion=\"1\.1\"|defaultAttributes="
)


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def download(spec, downloads):
    path = downloads / spec["file"]
    if not path.exists():
        downloads.mkdir(parents=True, exist_ok=True)
        if spec["kind"] == "pypi":
            cmd = ["pip", "download", "--no-deps", "--no-binary", ":all:",
                   f"{spec['package']}=={spec['version']}", "-d", str(downloads)]
        else:
            cmd = ["apt-get", "download", f"{spec['package']}={spec['version']}"]
        subprocess.run(cmd, check=True, cwd=downloads, stdout=subprocess.DEVNULL)
    actual = sha256(path)
    if actual != spec["sha256"]:
        sys.exit(f"error: {path}: sha256 {actual}, expected {spec['sha256']}")
    return path


def unpack(spec, archive, dest):
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    if spec["kind"] == "pypi":
        with tarfile.open(archive) as tar:
            try:
                tar.extractall(dest, filter="data")
            except TypeError:  # Python before 3.11.4 has no extraction filters
                tar.extractall(dest)
    else:
        subprocess.run(["dpkg-deb", "-x", str(archive), str(dest)], check=True)


def schema_info(path):
    """(targetNamespace, global element names, is XSD 1.1) of a schema file, or None if it does not parse."""
    try:
        data = path.read_bytes()
        text = data.decode("utf-8", errors="replace")
        root = ET.fromstring(data)
    except (ET.ParseError, OSError, ValueError):
        return None
    if root.tag != f"{{{XS}}}schema":
        return None
    names = {e.get("name") for e in root if e.tag == f"{{{XS}}}element"}
    return root.get("targetNamespace"), names, bool(XSD11.search(text))


def document_root(path):
    """(namespace, local name, schema location hints) of a document, or None if it is not well-formed XML."""
    try:
        for _, element in ET.iterparse(path, events=("start",)):
            tag = element.tag
            ns, local = (tag[1:].split("}", 1) if tag.startswith("{") else (None, tag))
            hints = []
            located = element.get(f"{{{XSI}}}schemaLocation")
            if located:
                words = located.split()
                hints += [(words[i], words[i + 1]) for i in range(0, len(words) - 1, 2)]
            bare = element.get(f"{{{XSI}}}noNamespaceSchemaLocation")
            if bare:
                hints.append((None, bare))
            return ns, local, hints
    except (ET.ParseError, OSError, ValueError):
        return None
    return None


# How many schemas outside a document's folder are tried against it.
MAX_ELSEWHERE = 8


def candidates(doc, ns, local, hints, schemas):
    """The schemas a document may be an instance of: its xsi hints (local files), then schemas in its folder
    that declare its document element, else (at most MAX_ELSEWHERE) schemas elsewhere in the set that do."""
    found = []
    for hint_ns, location in hints:
        if "://" in location or hint_ns != ns:
            continue
        path = (doc.parent / location).resolve()
        if path.exists():
            found.append(path)
    # A schema named like the document (`ipo.xsd` for `ipo1_out.xml`) goes first, the longest name first.
    def likeness(path):
        return (not doc.stem.startswith(path.stem), -len(path.stem), path.name)

    def declares(path):
        info = schemas.get(path.resolve())
        return info and info[0] == ns and local in info[1] and path.resolve() not in found

    found += [p.resolve() for p in sorted(doc.parent.glob("*.xsd"), key=likeness) if declares(p)]
    if not found:
        # Else any schema of the set that declares it (documents and schemas in folders of their own).
        found += sorted((p for p in schemas if declares(p)), key=likeness)[:MAX_ELSEWHERE]
    return found


def xmllint(schema, doc):
    """0 when xmllint accepts `doc` against `schema`; 5 when the schema does not compile; else invalid."""
    run = subprocess.run(["xmllint", "--noout", "--schema", str(schema), str(doc)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return run.returncode


def survey(spec, base):
    """The entries of one set, and the counts of what was left out."""
    schemas = {}
    docs = []
    for root in spec["roots"]:
        for path in sorted((base / root).rglob("*")):
            if path.suffix == ".xsd":
                schemas[path.resolve()] = schema_info(path)
            elif path.suffix == ".xml" and path.is_file():
                docs.append(path)
    entries = {}
    excluded = {}

    def exclude(why):
        excluded[why] = excluded.get(why, 0) + 1

    for doc in docs:
        root = document_root(doc)
        if root is None:
            exclude("not well-formed")
            continue
        ns, local, hints = root
        if ns == XS:
            continue  # a schema saved as .xml
        options = candidates(doc, ns, local, hints, schemas)
        if not options:
            exclude("no schema of the set declares its document element")
            continue
        verdict = None
        for schema in options:
            info = schemas.get(schema) or schema_info(schema)
            if info and info[2]:
                verdict = verdict or "XSD 1.1 schema"
                continue
            code = xmllint(schema, doc)
            if code == 0:
                entries.setdefault(schema, []).append(doc)
                verdict = "ok"
                break
            verdict = verdict or ("xmllint rejects the schema" if code == 5 else "instance invalid")
        if verdict != "ok":
            exclude(verdict)
    return entries, excluded, len(docs)


def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="target/conformance", type=Path)
    args = parser.parse_args()
    out = args.out.resolve()
    lines = ["# Written by scripts/conformance/fetch.py: the conformance corpus (paths relative to this file).", ""]
    for spec in SETS:
        archive = download(spec, out / "downloads")
        base = out / "corpus" / spec["name"]
        unpack(spec, archive, base)
        entries, excluded, total = survey(spec, base)
        documents = sum(len(d) for d in entries.values())
        print(f"{spec['name']}: {total} documents found, {len(entries)} entry schemas, {documents} documents "
              f"accepted by xmllint; left out: {excluded or 'none'}")
        lines += ["[[set]]", f"name = {quote(spec['name'])}", f"about = {quote(spec['about'])}",
                  f"source = {quote(spec['kind'] + ':' + spec['package'] + '==' + spec['version'])}",
                  f"sha256 = {quote(spec['sha256'])}",
                  f"licence = {quote(os.path.relpath(base / spec['licence'], out))}",
                  f"found = {total}"]
        lines.append("excluded = { " + ", ".join(f"{quote(k)} = {v}" for k, v in sorted(excluded.items())) + " }")
        lines.append("")
        for schema in sorted(entries):
            lines += ["[[set.entry]]", f"schema = {quote(os.path.relpath(schema, out))}", "documents = ["]
            lines += [f"  {quote(os.path.relpath(d.resolve(), out))}," for d in entries[schema]]
            lines += ["]", ""]
    (out / "manifest.toml").write_text("\n".join(lines))
    print(f"wrote {out / 'manifest.toml'}")


if __name__ == "__main__":
    main()
