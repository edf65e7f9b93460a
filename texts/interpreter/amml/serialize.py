"""The stored forms of the extension's values (AMML.md 9): the reference's ``FW*`` kinds.

Tables, series, quantities and arrays inside are written by the core codec; this module
only adds the mappings of the extension's kinds around them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from texts.interpreter.amml.values import (
    AMMLAlgorithm,
    AMMLCalculator,
    AMMLConstraint,
    AMMLProperty,
    AMMLStructure,
    AMMLTrajectory,
    ChemReaction,
    ChemSpecies,
    DomainValue,
    ReactionTerm,
)
from texts.interpreter.values import Series, Table

Codec = Callable[[Any], Any]


def encode_value(value: DomainValue, encode: Codec, tagged: Callable[..., Any]) -> Any:
    """The document of an extension value; ``encode`` writes the core values inside."""
    if isinstance(value, AMMLStructure):
        fields = {"data": encode(value.table), "name": value.name, "info": _info(value)}
        return tagged("FWAMMLStructure", fields)
    if isinstance(value, AMMLCalculator):
        return tagged(
            "FWCalculator",
            {
                "name": value.name,
                "parameters": encode(value.parameters),
                "pinning": value.pinning,
                "version": value.version,
                "task": value.task,
            },
        )
    if isinstance(value, AMMLAlgorithm):
        fields = {
            "name": value.name,
            "parameters": encode(value.parameters),
            "many_to_one": value.many_to_one,
        }
        return tagged("FWAlgorithm", fields)
    if isinstance(value, AMMLConstraint):
        return tagged(
            "FWConstraint",
            {
                "name": value.name,
                "fixed": None if value.fixed is None else encode(value.fixed),
                "direction": None if value.direction is None else encode(value.direction),
            },
        )
    if isinstance(value, AMMLProperty):
        return tagged(
            "FWProperty",
            {
                "names": list(value.names),
                "structure": encode(value.structure),
                "calculator": encode(value.calculator),
                "algorithm": encode(value.algorithm),
                "constraints": [encode(c) for c in value.constraints],
                "results": encode(value.results),
            },
        )
    if isinstance(value, AMMLTrajectory):
        return tagged(
            "FWTrajectory",
            {
                "description": encode(value.description),
                "structure": encode(value.structure),
                "properties": encode(value.properties),
                "constraints": encode(value.constraints),
                "filename": value.filename,
            },
        )
    if isinstance(value, ChemSpecies):
        fields = {
            "name": value.name,
            "composition": value.composition,
            "props": encode(value.props),
        }
        return tagged("FWChemSpecies", fields)
    if isinstance(value, ChemReaction):
        terms = [
            tagged(
                "FWDict",
                {"coefficient": _stored(term), "species": encode(term.species)},
            )
            for term in value.terms
        ]
        return tagged("FWChemReaction", {"terms": terms, "props": encode(value.props)})
    raise TypeError(f"no stored form for {type(value).__name__}")


def _info(structure: AMMLStructure) -> list[dict]:
    """ASE's ``Atoms.info`` of each configuration, as plain data: arrays become lists and
    what has no plain form (objects of file readers) is left out."""
    if len(structure.info) != len(structure.table):
        return [{} for _ in range(len(structure.table))]
    return [_plain_mapping(entry) for entry in structure.info]


def _plain_mapping(mapping: dict) -> dict:
    plain = {}
    for key, item in mapping.items():
        value = _plain(item)
        if value is not _NO_PLAIN_FORM:
            plain[str(key)] = value
    return plain


_NO_PLAIN_FORM = object()


def _plain(item: Any) -> Any:
    if item is None or isinstance(item, bool | int | float | str):
        return item
    if isinstance(item, dict):
        return _plain_mapping(item)
    if isinstance(item, list | tuple):
        values = [_plain(element) for element in item]
        return _NO_PLAIN_FORM if _NO_PLAIN_FORM in values else values
    if hasattr(item, "tolist"):  # NumPy arrays and scalars
        return _plain(item.tolist())
    return _NO_PLAIN_FORM


def _stored(term: ReactionTerm) -> int | float:
    """The signed coefficient as written: ``2 B`` on the right is 2, ``A`` on the left -1.0."""
    return term.written if term.coefficient == float(term.written) else -term.written


def decode_value(kind: str, document: dict[str, Any], decode: Codec) -> DomainValue:
    """An extension value from its document (``kind`` is its ``FW*`` name)."""
    if kind == "FWAMMLStructure":
        info = [dict(entry) for entry in document.get("info") or []]
        return AMMLStructure(document.get("name"), _table(decode(document["data"])), info)
    if kind == "FWCalculator":
        return AMMLCalculator(
            document["name"],
            _table(decode(document["parameters"])),
            document.get("pinning"),
            document.get("version"),
            document.get("task"),
        )
    if kind == "FWAlgorithm":
        parameters = _table(decode(document["parameters"]))
        return AMMLAlgorithm(document["name"], parameters, bool(document.get("many_to_one")))
    if kind == "FWConstraint":
        fixed = document.get("fixed")
        direction = document.get("direction")
        return AMMLConstraint(
            document["name"],
            None if fixed is None else decode(fixed),
            None if direction is None else decode(direction),
        )
    if kind == "FWProperty":
        return AMMLProperty(
            tuple(str(name) for name in document.get("names") or ()),
            decode(document["structure"]),
            decode(document.get("calculator")),
            decode(document.get("algorithm")),
            tuple(decode(c) for c in document.get("constraints") or ()),
            _table(decode(document["results"])),
        )
    if kind == "FWTrajectory":
        constraints = decode(document["constraints"])
        return AMMLTrajectory(
            _table(decode(document["description"])),
            decode(document["structure"]),
            _table(decode(document["properties"])),
            constraints if isinstance(constraints, Series) else Series("constraints"),
            document.get("filename"),
        )
    if kind == "FWChemSpecies":
        props = _table(decode(document["props"]))
        return ChemSpecies(document["name"], document.get("composition"), props)
    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.amml.chemistry import reaction_property  # noqa: PLC0415

    terms = []
    for term in document["terms"]:
        coefficient = term["coefficient"]
        species = decode(term["species"])
        terms.append(ReactionTerm(float(coefficient), abs(coefficient), species))
    return ChemReaction(terms, _table(decode(document["props"])), reaction_property)


def _table(value: Any) -> Table:
    return value if isinstance(value, Table) else Table([])
