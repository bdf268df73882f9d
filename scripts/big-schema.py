#!/usr/bin/env python3
"""Writes a big, deterministic schema set for measuring the generator (see BENCHMARKS.md, "Big schema sets"):
dozens of files and several MB of XSD, in a ring of imports (each module imports the next: every file reaches
every other), hundreds of substitution group members of one abstract head, types derived from an abstract base
across namespaces, thousands of enumeration values and deeply nested anonymous types. Type names are distinct
across modules (see README, "Known limitations", for local names reused across namespaces).

    scripts/big-schema.py [OUT]      # default: target/big-schema (ignored by git)
"""

import sys
from pathlib import Path

MODULES = int(__import__("os").environ.get("BIG_MODULES", 40))
ENUMS = 3  # per module
VALUES = 40  # per enumeration
TYPES = 40  # complex types per module
MEMBERS = 10  # substitution group members per module
DEPTH = 12  # nesting of anonymous types
DOC = (
    "Documentation of the kind real schemas carry: what the value means, its units, where it comes from and "
    "which versions of the interface accept it. "
) * 4

OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "target" / "big-schema"
XS = 'xmlns:xs="http://www.w3.org/2001/XMLSchema"'


def doc(indent):
    pad = " " * indent
    return [f"{pad}<xs:annotation><xs:documentation>{DOC}</xs:documentation></xs:annotation>"]


def common():
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<xs:schema {XS} xmlns:c="urn:big:common" targetNamespace="urn:big:common" elementFormDefault="qualified">',
            '  <xs:complexType name="Base" abstract="true">',
            '    <xs:attribute name="id" type="xs:long" use="required"/>',
            "  </xs:complexType>",
            '  <xs:element name="thing" type="c:Base" abstract="true"/>',
            "</xs:schema>",
            "",
        ]
    )


def module(m):
    ns = f"urn:big:m{m:02}"
    nxt = (m + 1) % MODULES
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<xs:schema {XS} xmlns:c="urn:big:common" xmlns:t="{ns}" xmlns:n="urn:big:m{nxt:02}"',
        f'           targetNamespace="{ns}" elementFormDefault="qualified">',
        '  <xs:import namespace="urn:big:common" schemaLocation="common.xsd"/>',
        f'  <xs:import namespace="urn:big:m{nxt:02}" schemaLocation="m{nxt:02}.xsd"/>',
    ]
    for e in range(ENUMS):
        out.append(f'  <xs:simpleType name="M{m}Code{e}">')
        out += doc(4)
        out.append('    <xs:restriction base="xs:string">')
        for v in range(VALUES):
            out.append(
                f'      <xs:enumeration value="CODE_{m}_{e}_{v}"><xs:annotation><xs:documentation>Value {v} of '
                f"code list {e} in module {m}.</xs:documentation></xs:annotation></xs:enumeration>"
            )
        out += ["    </xs:restriction>", "  </xs:simpleType>"]
    for k in range(TYPES):
        # One type in eight derives from the abstract base in the common namespace, the next from that one;
        # the others are plain sequences.
        base = {0: "c:Base", 1: f"t:M{m}T{k - 1}"}.get(k % 8)
        fields = [
            f'          <xs:element name="name{k}" type="xs:string"/>',
            f'          <xs:element name="count{k}" type="xs:int" minOccurs="0"/>',
            f'          <xs:element name="amount{k}" type="xs:decimal" minOccurs="0"/>',
            f'          <xs:element name="day{k}" type="xs:date" minOccurs="0"/>',
            f'          <xs:element name="code{k}" type="t:M{m}Code{k % ENUMS}" minOccurs="0" maxOccurs="unbounded"/>',
            f'          <xs:element name="other{k}" type="n:M{nxt}T{k}" minOccurs="0"/>',
        ]
        out.append(f'  <xs:complexType name="M{m}T{k}">')
        out += doc(4)
        if base:
            out += ["    <xs:complexContent>", f'      <xs:extension base="{base}">', "        <xs:sequence>"]
            out += fields
            out += [
                "        </xs:sequence>",
                f'        <xs:attribute name="flag{k}" type="xs:boolean"/>',
                "      </xs:extension>",
                "    </xs:complexContent>",
            ]
        else:
            out.append("    <xs:sequence>")
            out += [f[4:] for f in fields]
            out += ["    </xs:sequence>", f'    <xs:attribute name="flag{k}" type="xs:boolean"/>']
        out.append("  </xs:complexType>")
    for j in range(MEMBERS):
        # Members must have a type derived from the head's: the types derived from the base and their own.
        out.append(
            f'  <xs:element name="member{m}x{j}" type="t:M{m}T{8 * (j % (TYPES // 8)) + j % 2}" '
            'substitutionGroup="c:thing"/>'
        )
    # Deeply nested anonymous types.
    out.append(f'  <xs:element name="deep{m}">')
    for d in range(DEPTH):
        pad = "  " * (d + 1)
        out += [
            f"{pad}  <xs:complexType>",
            f"{pad}    <xs:sequence>",
            f'{pad}      <xs:element name="leaf{d}" type="xs:string" minOccurs="0"/>',
            f'{pad}      <xs:element name="level{d}" minOccurs="0">',
        ]
    out.append("  " * (DEPTH + 1) + '  <xs:complexType><xs:attribute name="end" type="xs:int"/></xs:complexType>')
    for d in reversed(range(DEPTH)):
        pad = "  " * (d + 1)
        out += [f"{pad}      </xs:element>", f"{pad}    </xs:sequence>", f"{pad}  </xs:complexType>"]
    out.append("  </xs:element>")
    out += [
        f'  <xs:element name="root{m}">',
        "    <xs:complexType>",
        "      <xs:sequence>",
        '        <xs:element ref="c:thing" maxOccurs="unbounded"/>',
        f'        <xs:element ref="t:deep{m}" minOccurs="0"/>',
        "      </xs:sequence>",
        "    </xs:complexType>",
        "  </xs:element>",
        "</xs:schema>",
        "",
    ]
    return "\n".join(out)


OUT.mkdir(parents=True, exist_ok=True)
for old in OUT.glob("*.xsd"):
    old.unlink()
(OUT / "common.xsd").write_text(common())
for m in range(MODULES):
    (OUT / f"m{m:02}.xsd").write_text(module(m))
size = sum(p.stat().st_size for p in OUT.glob("*.xsd"))
print(f"{MODULES + 1} files, {size / 1e6:.1f} MB, {MODULES * MEMBERS} substitution group members, "
      f"{MODULES * ENUMS * VALUES} enumeration values, in {OUT}")
