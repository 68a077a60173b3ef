#!/usr/bin/env bash
# Rebuild the shipped NER model in models/ from the demo directory (core/data/demo_branches.csv).
#
#   bash build/train_default_model.sh [DATA_DIR]
#
# Writes the training data to DATA_DIR (default build/work/ner-data, not committed), trains
# with build/ner_default.toml, registers the model in models/ and, when it passes the
# test split, activates it and deletes the older models/ner-* folders.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${BANKCODE_VENV:-.venv}
data=${1:-build/work/ner-data}
python="$venv/bin/python"

# A separate BANKCODE_HOME makes `bankcode augment` read a database created from the
# demo directory, not the user's own database. 5 rule variants per branch give about
# 60,000 examples. The bundled Gemma 3 270M adds variants for 700 branches: about 15
# minutes with 2 threads on idle cores, and the time limit only guards a slower machine,
# where fewer branches get LLM variants and the data differs.
BANKCODE_HOME="$PWD/build/work/home" "$python" -m core.cli.main augment --per-branch 5 --seed 13 \
    --llm-branches 700 --llm-time 1800 --threads 2 --out "$data"

"$python" -m core.cli.main train --data "$data" --config build/ner_default.toml --out models

"$python" - <<'PY'
import shutil
from pathlib import Path

from core.ner.registry import FOLDER_PREFIX, ModelRegistry

registry = ModelRegistry(Path("models"))
active = registry.active_model()
if active is None:
    raise SystemExit("no model passed the test split; models/ left as it was")
for folder in Path("models").glob(f"{FOLDER_PREFIX}*"):
    if folder != active.path:
        shutil.rmtree(folder)
registry.root.joinpath("registry.json").write_text(f'{{"active": "{active.version}", "history": []}}\n', encoding="utf-8")
print(f"shipped model: {active.path}")
PY
