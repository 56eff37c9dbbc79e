"""
Synthetic CASE packages shaped like real published ones (written for these tests, no
third-party text): a deep CCSS-like mathematics tree with 26-character codes, an
NGSS-like science framework with repeated and missing codes, a Japanese title,
a duplicated association and fractional rubric scores, and a flat list of code-less items.
"""

import uuid

NAMESPACE = uuid.UUID("6a0f3b8e-2c1d-4e5f-9a8b-7c6d5e4f3a2b")
STAMP = "2025-06-30T08:15:00+00:00"


def ident(name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, name))


def link(name: str, title: str = "") -> dict:
    return {
        "title": title,
        "identifier": ident(name),
        "uri": f"https://case.example.net/uri/{ident(name)}",
    }


def _uri(name: str) -> str:
    return f"https://case.example.net/uri/{ident(name)}"


class Builder:
    """Items and associations keyed by readable names; identifiers are uuid5 of the names."""

    def __init__(self, doc: str, title: str, *, case_version: str = "1.0", **document):
        self.doc = doc
        self.v11 = case_version == "1.1"
        self.document = {
            "identifier": ident(doc),
            "uri": _uri(doc),
            "creator": "Synthetic Standards Board",
            "title": title,
            "lastChangeDateTime": STAMP,
            "publisher": "Synthetic Standards Board",
            "version": "2024",
            "adoptionStatus": "Adopted",
            "language": "en",
            "licenseURI": link("licence", "CC BY 4.0"),
            **({"caseVersion": "1.1"} if self.v11 else {}),
            **document,
        }
        self.items: list[dict] = []
        self.associations: list[dict] = []
        self.rubrics: list[dict] = []
        self.definitions = {
            "CFItemTypes": [
                {
                    "identifier": ident(f"type-{name}"),
                    "uri": _uri(f"type-{name}"),
                    "title": name,
                    "description": f"A {name}.",
                    "hierarchyCode": str(n),
                    "lastChangeDateTime": STAMP,
                }
                for n, name in enumerate(("Grade", "Domain", "Cluster", "Standard", "Component"))
            ],
            "CFSubjects": [
                {
                    "identifier": ident("subject"),
                    "uri": _uri("subject"),
                    "title": "Mathematics",
                    "hierarchyCode": "1",
                    "lastChangeDateTime": STAMP,
                }
            ],
            "CFLicenses": [
                {
                    "identifier": ident("licence"),
                    "uri": _uri("licence"),
                    "title": "CC BY 4.0",
                    "licenseText": "Creative Commons Attribution 4.0",
                    "lastChangeDateTime": STAMP,
                }
            ],
        }

    def item(self, name, parent, statement, *, code=None, kind="Standard", seq=None, **extra):
        item = {
            "identifier": ident(name),
            "uri": _uri(name),
            "fullStatement": statement,
            "CFItemType": kind,
            "CFItemTypeURI": link(f"type-{kind}", kind),
            "lastChangeDateTime": STAMP,
            "educationLevel": ["06"] if self.v11 else "06",
            "language": "en",
            **({"humanCodingScheme": code} if code is not None else {}),
            **({} if self.v11 else {"CFDocumentURI": link(self.doc, self.document["title"])}),
            **extra,
        }
        self.items.append(item)
        self.associate("isChildOf", name, parent or self.doc, seq=seq, key=f"child-{name}")
        return item

    def associate(self, kind, origin, destination, *, seq=None, key=None):
        key = key or f"{kind}-{origin}-{destination}"
        association = {
            "identifier": ident(key),
            "associationType": kind,
            "uri": _uri(key),
            "originNodeURI": link(origin),
            "destinationNodeURI": link(destination),
            "lastChangeDateTime": STAMP,
            **({"sequenceNumber": seq} if seq is not None else {}),
        }
        self.associations.append(association)
        return association

    def rubric(self, name, criteria: list[tuple[str | None, list[tuple[float, str, str]]]]):
        """criteria: (item name or None for the scale, [(score, quality, description)])."""
        self.rubrics.append(
            {
                "identifier": ident(name),
                "uri": _uri(name),
                "title": f"Rubric {name}",
                "lastChangeDateTime": STAMP,
                "CFRubricCriteria": [
                    {
                        "identifier": ident(f"{name}-c{n}"),
                        "uri": _uri(f"{name}-c{n}"),
                        "category": "Performance",
                        **({"CFItemURI": link(item)} if item else {}),
                        "position": n,
                        "rubricId": ident(name),
                        "lastChangeDateTime": STAMP,
                        "CFRubricCriterionLevels": [
                            {
                                "identifier": ident(f"{name}-c{n}-{score}"),
                                "uri": _uri(f"{name}-c{n}-{score}"),
                                "quality": quality,
                                "score": score,
                                "description": text,
                                "position": p,
                                "rubricCriterionId": ident(f"{name}-c{n}"),
                                "lastChangeDateTime": STAMP,
                            }
                            for p, (score, quality, text) in enumerate(levels)
                        ],
                    }
                    for n, (item, levels) in enumerate(criteria)
                ],
            }
        )

    def package(self) -> dict:
        package = {
            "CFDocument": self.document,
            "CFItems": self.items,
            "CFAssociations": self.associations,
            "CFDefinitions": self.definitions,
        }
        if self.rubrics:
            package["CFRubrics"] = self.rubrics
        return package


def ccss_like() -> dict:
    """
    Grade → domain → cluster → standard → component, five levels; codes of 26+ characters;
    no sequenceNumber under the clusters (natural order of the codes decides); a rubric on
    standards; exactMatchOf and isRelatedTo associations the portal does not use.
    """
    b = Builder("ccss", "Synthetic Mathematics Standards", description="Grades 6 and 7.")
    for g, grade in enumerate(("6", "7"), start=1):
        b.item(f"g{grade}", None, f"Grade {grade}", code=grade, kind="Grade", seq=g)
        for d, domain in enumerate(("RP", "NS"), start=1):
            dname = f"{grade}.{domain}"
            b.item(
                dname,
                f"g{grade}",
                f"Domain {domain} of grade {grade}",
                code=dname,
                kind="Domain",
                seq=d,
            )
            cname = f"{dname}.A"
            b.item(cname, dname, f"Cluster A of {dname}", code=cname, kind="Cluster", seq=1)
            # Written out of order and without sequenceNumber: 1, 10, 3, 2.
            for s in (1, 10, 3, 2):
                code = f"CCSS.Math.Content.{cname}.{s}"
                b.item(code, cname, f"Standard {s} of {cname}: reason about ratios.", code=code,
                       notes=f"Note on standard {s}.")  # fmt: skip
                for c in ("a", "b"):
                    b.item(f"{code}.{c}", code, f"Part {c} of {code}.", code=f"{code}.{c}",
                           kind="Component", seq=ord(c), notes=f"Deep note {c}.")  # fmt: skip
    b.associate("exactMatchOf", "CCSS.Math.Content.6.RP.A.1", "CCSS.Math.Content.7.RP.A.1")
    b.associate("isRelatedTo", "CCSS.Math.Content.6.NS.A.2.a", "7.NS")
    levels = [(1, "Emerging", "Begins to"), (2, "Meets", "Does"), (3, "Exceeds", "Extends")]
    b.rubric(
        "ccss-rubric",
        [
            (f"CCSS.Math.Content.6.RP.A.{s}", [(n, q, f"{t} standard {s}.") for n, q, t in levels])
            for s in (1, 2)
        ],
    )
    return b.package()


def ngss_like() -> dict:
    """
    CASE 1.1, a Japanese title, codes repeated across grades, code-less items, one
    association twice byte for byte, fractional scores, and a rubric on a domain.
    """
    b = Builder("ngss", "理科の学習指導要領", case_version="1.1", version="2017")
    for g, grade in enumerate(("K", "1"), start=1):
        b.item(f"ngss-{grade}", None, f"学年 {grade}", code=grade, kind="Grade", seq=g)
        b.item(f"ngss-{grade}-ps", f"ngss-{grade}", "物理科学", code="PS", kind="Domain", seq=1)
        # The same code in both grades, as NGSS does.
        b.item(f"ngss-{grade}-pe1", f"ngss-{grade}-ps", "力と運動を調べる。", code="K-PS2-1", seq=1,
               extensions={"vendor": {"colour": "blue"}})  # fmt: skip
        b.item(f"ngss-{grade}-pe2", f"ngss-{grade}-ps", "押す力と引く力を比べる。", seq=2)
        b.item(f"ngss-{grade}-pe2-x", f"ngss-{grade}-pe2", "観察の記録。", seq=1)
    b.associations.append(dict(b.associations[3]))  # the same association twice
    b.associate("isPeerOf", "ngss-K-pe1", "ngss-1-pe1")
    scale = [
        (0.5, "入門", "始める"),
        (1, "基礎", "できる"),
        (1.5, "発展", "広げる"),
        (2.25, "熟達", "教える"),
    ]
    b.rubric("ngss-rubric", [(None, scale), ("ngss-K-pe1", scale), ("ngss-K-ps", scale[:2])])
    return b.package()


def flat_codeless() -> dict:
    """Five top-level items, none with a code; sequenceNumber gives the order."""
    b = Builder("flat", "Flat Skills List")
    for n in (3, 1, 5, 2, 4):
        b.item(f"flat-{n}", None, f"Skill number {n}.", kind="Standard", seq=n)
    return b.package()


PACKAGES = {"ccss-like": ccss_like, "ngss-like": ngss_like, "flat-codeless": flat_codeless}


def sized(count: int) -> dict:
    """
    ``count`` items: domains of up to 100 competencies, each with up to 19 indicators
    (numbered codes, sequenceNumbers), no rubric; for the import's size and query tests.
    """
    b = Builder("sized", f"Synthetic framework of {count} items")
    made = 0

    def add(name, parent, statement, code, kind, seq) -> bool:
        nonlocal made
        if made == count:
            return False
        b.item(name, parent, statement, code=code, kind=kind, seq=seq)
        made += 1
        return True

    domain = 0
    while made < count:
        domain += 1
        d = f"S{domain}"
        add(d, None, f"Domain {domain}", d, "Domain", domain)
        for c in range(1, 101):
            if not add(f"{d}.{c}", d, f"Competency {c} of domain {domain}.", f"{d}.{c}",
                       "Standard", c):  # fmt: skip
                break
            for i in range(1, 20):
                if not add(f"{d}.{c}.{i}", f"{d}.{c}", f"Indicator {i} of {d}.{c}.",
                           f"{d}.{c}.{i}", "Component", i):  # fmt: skip
                    break
    return b.package()
