"""JSON Schemas of the file kinds, generated from the pydantic models (``budget schema``).

Each kind is one entry in :data:`KINDS`: the model that describes it and what the file is.
The generated schemas are kept in the repository's ``schemas/`` folder (a test fails when they
are stale), so that an editor with the YAML language server completes keys and marks mistakes.
"""

from __future__ import annotations

import importlib
import json
from typing import Any, NamedTuple

#: Where the shipped schemas are published, relative to the repository (the modeline's target).
FOLDER = "schemas"


class FileKind(NamedTuple):
    module: str
    model: str
    title: str


#: kind → the model of that file kind. A new kind (e.g. the follow-up file) is one more entry.
KINDS: dict[str, FileKind] = {
    "agreement": FileKind("budget2024.model", "Agreement", "budget2024 agreement file (data/agreement.yaml)"),
    "figures": FileKind("budget2024.model", "FiguresFile",
                        "budget2024 figures file (budget check-strategy --figures FILE)"),
    "followup": FileKind("budget2024.followup_model", "FollowUpFile",
                         "budget2024 follow-up file (--followup FILE)"),
}


def file_name(kind: str) -> str:
    return f"{kind}.schema.json"


def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one file kind, with every field's description."""
    from pydantic.json_schema import GenerateJsonSchema

    class _Generate(GenerateJsonSchema):
        def dict_schema(self, schema: Any) -> Any:
            out = super().dict_schema(schema)
            keys = schema.get("keys_schema", {})
            if keys.get("type") == "int":  # YAML's year keys: JSON and the YAML language server see text
                out["propertyNames"] = {"pattern": "^-?[0-9]+$"}
            return out

    spec = KINDS[kind]
    model = getattr(importlib.import_module(spec.module), spec.model)
    body = model.model_json_schema(schema_generator=_Generate)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": file_name(kind),
            "title": spec.title, **{k: v for k, v in body.items() if k != "title"}}


def dumps(kind: str) -> str:
    """The schema as the file in ``schemas/`` holds it (stable key order, UTF-8, a final newline)."""
    return json.dumps(schema(kind), ensure_ascii=False, indent=2) + "\n"
