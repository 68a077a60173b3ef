"""``bankcode augment``: generate NER training data, or re-check a data folder with ``--check``.

Each mode is one option that names it (``--check DIR``) plus a ``_run_<mode>`` function;
``augment_command`` dispatches on the first mode option given and otherwise generates.
A new mode adds its option to the decorator list and one line to the dispatch.
"""

from __future__ import annotations

import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from core.cli.worker import run_in_worker
from core.i18n import has, tr
from core.jobs import Progress, ProgressSnapshot

# Samples of the LLM printed by --check for a person to read.
CHECK_SHOWN = 20


@click.command("augment", help=tr("augment.help"))
@click.option("--db", "db_path", type=click.Path(path_type=Path, dir_okay=False), help=tr("cli.db_help"))
@click.option("--per-branch", type=click.IntRange(min=1), help=tr("augment.per_branch_help"))
@click.option(
    "--llm",
    "llm_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help=tr("augment.llm_help"),
)
@click.option("--no-llm", is_flag=True, help=tr("augment.no_llm_help"))
@click.option("--llm-branches", type=click.IntRange(min=0), help=tr("augment.llm_branches_help"))
@click.option("--llm-time", "llm_time_s", type=click.FloatRange(min=0), help=tr("augment.llm_time_help"))
@click.option("--threads", type=click.IntRange(min=1), help=tr("augment.threads_help"))
@click.option("--max-branches", type=click.IntRange(min=1), help=tr("augment.max_branches_help"))
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), help=tr("augment.out_help")
)
@click.option("--seed", type=int, help=tr("augment.seed_help"))
@click.option(
    "--check",
    "check_dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help=tr("augment.check_help"),
)
@click.option("--from-feedback", is_flag=True, help=tr("feedback.from_feedback_help"))
def augment_command(**params: Any) -> None:
    if params["llm_path"] is not None and params["no_llm"]:
        raise click.UsageError(tr("cli.llm_options_conflict"))
    if params["check_dir"] is not None:
        _run_check(params["check_dir"])
        return
    if params["from_feedback"]:
        _run_from_feedback(params)
        return
    _run_generate(params)


def options_from_params(params: dict[str, Any]):
    """Build ``AugmentOptions`` from the command's parameters; unset ones keep their defaults."""
    from core.augment.options import AugmentOptions

    mapping = {
        "per_branch": params.get("per_branch"),
        "llm_model_path": params.get("llm_path"),
        "llm_branches": params.get("llm_branches"),
        "llm_time_budget_s": params.get("llm_time_s"),
        "n_threads": params.get("threads"),
        "max_branches": params.get("max_branches"),
        "seed": params.get("seed"),
    }
    values = {key: value for key, value in mapping.items() if value is not None}
    if params.get("no_llm"):
        values["use_llm"] = False
    return AugmentOptions(**values)


def _run_generate(params: dict[str, Any]) -> None:
    from core.augment.dataset import build_dataset
    from core.paths import datasets_dir
    from core.store import open_directory

    options = options_from_params(params)
    out_dir = params["out_dir"] or datasets_dir() / datetime.now().strftime("augment-%Y%m%d-%H%M%S")
    progress = Progress()

    def build() -> Any:
        with open_directory(params["db_path"]) as directory:
            return build_dataset(directory, out_dir, options, progress)

    manifest = run_in_worker("bankcode-augment", build, progress, _follow)
    for line in summary_lines(manifest):
        click.echo(line)


def _run_from_feedback(params: dict[str, Any]) -> None:
    """Write the data of a learning round: samples around the corrections plus a replay sample."""
    from core.feedback.dataset import FeedbackDataOptions, build_feedback_dataset
    from core.feedback.regression import regression_set
    from core.feedback.samples import FeedbackSampleOptions
    from core.ner.registry import default_registry
    from core.paths import datasets_dir
    from core.store import open_directory

    options = FeedbackDataOptions(samples=FeedbackSampleOptions(augment=options_from_params(params)))
    out_dir = params["out_dir"] or datasets_dir() / datetime.now().strftime("feedback-%Y%m%d-%H%M%S")
    with open_directory(params["db_path"]) as directory:
        _path, regression = regression_set(directory, default_registry().root)
        dataset = build_feedback_dataset(directory, out_dir, options, regression)
    click.echo(
        tr(
            "feedback.augment_summary",
            texts=dataset.corrected_texts,
            samples=dataset.feedback_samples,
            lines=dataset.feedback_lines,
            replay=dataset.replay_samples,
            dev=dataset.dev_samples,
            test=dataset.test_samples,
            path=str(dataset.path),
        )
    )
    from core.i18n import has

    for kind, count in dataset.counts_by_kind.items():
        name = tr(f"feedback.kind_{kind}") if has(f"feedback.kind_{kind}") else _kind_name(kind)
        click.echo(tr("augment.summary.kind_line", kind=name, count=count))


def _follow(worker: threading.Thread, progress: Progress) -> None:
    """Show progress on stderr until the worker ends; Ctrl-C cancels the job.

    A terminal gets a tqdm bar per stage. A pipe or a file gets a line when a
    stage starts and at each quarter done, because a redrawn bar there is noise.
    A stage that ends between two polls (0.2 s apart) may show no count.
    """
    shown = _StageBars() if sys.stderr.isatty() else _StageLines()
    try:
        while worker.is_alive():
            worker.join(timeout=0.2)
            shown.update(progress.snapshot())
    except KeyboardInterrupt:
        click.echo(tr("augment.cancelling"), err=True)
        progress.cancel()
        worker.join()
    finally:
        shown.close(progress.snapshot())


class _StageLines:
    """Progress as plain lines: the stage's name when it starts, then its count at each quarter."""

    def __init__(self) -> None:
        self.stage = ""
        self.next_quarter = 1

    def update(self, snapshot: ProgressSnapshot) -> None:
        if not snapshot.stage:
            return
        stage = _stage_name(snapshot.stage)
        if snapshot.stage != self.stage:
            self.stage = snapshot.stage
            self.next_quarter = 1
            click.echo(tr("cli.stage_started", stage=stage), err=True)
        if not snapshot.total:
            return
        reached = False
        while self.next_quarter <= 4 and snapshot.done * 4 >= snapshot.total * self.next_quarter:
            self.next_quarter += 1
            reached = True
        if reached:
            click.echo(tr("cli.stage_count", stage=stage, done=snapshot.done, total=snapshot.total), err=True)

    def close(self, snapshot: ProgressSnapshot) -> None:
        self.update(snapshot)


class _StageBars:
    """Progress as one tqdm bar per stage, without a rate, which jumps when a stage reports in batches."""

    def __init__(self) -> None:
        self.bar = None
        self.stage = ""

    def update(self, snapshot: ProgressSnapshot) -> None:
        from tqdm import tqdm

        if snapshot.stage != self.stage:
            self.close(snapshot)
            self.stage = snapshot.stage
            self.bar = tqdm(
                total=snapshot.total or None,
                desc=_stage_name(self.stage),
                bar_format="{desc}：{percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} [{elapsed}]"
                if snapshot.total
                else "{desc}：{n_fmt} [{elapsed}]",
                leave=False,
                dynamic_ncols=True,
            )
        if self.bar is not None:
            self.bar.total = snapshot.total or None
            self.bar.n = snapshot.done
            self.bar.refresh()

    def close(self, snapshot: ProgressSnapshot) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _stage_name(stage: str) -> str:
    return tr(f"augment.stage.{stage}") if has(f"augment.stage.{stage}") else stage


def summary_lines(manifest) -> list[str]:
    """Describe a written data folder in Chinese, one line per fact."""
    splits = manifest.splits
    lines = [
        tr("augment.summary.title", path=str(manifest.path)),
        tr(
            "augment.summary.samples",
            samples=manifest.samples,
            branches=manifest.branches_used,
            directory=manifest.directory_branch_count,
        ),
        tr(
            "augment.summary.splits",
            train=splits["train"]["samples"],
            dev=splits["dev"]["samples"],
            test=splits["test"]["samples"],
        ),
        tr("augment.summary.kinds_title"),
    ]

    for kind, count in manifest.counts_by_kind.items():
        lines.append(tr("augment.summary.kind_line", kind=_kind_name(kind), count=count))
    rules = manifest.rules
    lines.append(
        tr(
            "augment.summary.rules_speed",
            samples=int(rules["samples"]),
            seconds=rules["seconds"],
            rate=rules["samples_per_s"],
            cpu_rate=rules["samples_per_cpu_s"],
        )
    )

    llm = manifest.llm
    if llm is None:
        lines.append(tr("augment.summary.no_llm"))
        return lines
    lines.append(
        tr(
            "augment.summary.llm_line",
            model=llm["model_file"],
            done=llm["branches_done"],
            planned=llm["branches_planned"],
            candidates=llm["candidates"],
            accepted=llm["accepted"],
            rate=llm["acceptance_rate"],
            tokens=llm["completion_tokens_per_s"],
            cpu_tokens=llm["completion_tokens_per_cpu_s"],
            per_minute=llm["accepted_per_minute"],
        )
    )

    if llm["rejected"]:
        reasons = "，".join(
            tr("augment.summary.llm_reason", reason=tr(f"augment.reason.{reason}"), count=count)
            for reason, count in sorted(llm["rejected"].items(), key=lambda item: -item[1])
        )
        lines.append(tr("augment.summary.llm_rejected", reasons=reasons))
    if llm["stopped_early"]:
        lines.append(tr("augment.summary.llm_stopped"))
    return lines


def _run_check(data_dir: Path) -> None:
    from core.augment.check import check_dataset

    report = check_dataset(data_dir, show_llm=CHECK_SHOWN)
    overall = report.valid / report.samples if report.samples else 0.0
    click.echo(
        tr(
            "augment.check.title",
            path=str(data_dir),
            samples=report.samples,
            valid=report.valid,
            share=overall,
        )
    )
    for kind in sorted(report.total_by_kind):
        click.echo(
            tr(
                "augment.check.kind_line",
                kind=_kind_name(kind),
                valid=report.valid_by_kind[kind],
                total=report.total_by_kind[kind],
                share=report.valid_share(kind),
            )
        )
    for split, line, detail in report.problems:
        click.echo(tr("augment.check.problem", split=split, line=line, detail=detail))
    if report.leaked_codes:
        click.echo(
            tr(
                "augment.check.leaked",
                count=len(report.leaked_codes),
                examples="、".join(report.leaked_codes[:5]),
            )
        )
    else:
        click.echo(tr("augment.check.no_leak"))
    if report.llm_samples:
        click.echo(tr("augment.check.llm_title", count=len(report.llm_samples)))
        for sample in report.llm_samples:
            labels = " ".join(f"[{label['label']} {label['text']}]" for label in sample["labels"])
            click.echo(
                tr("augment.check.llm_line", text=sample["text"], labels=labels, code=sample["cnaps_code"])
            )
    else:
        click.echo(tr("augment.check.no_llm"))
    if not report.ok:
        raise click.exceptions.Exit(1)


def _kind_name(kind: str) -> str:
    key = f"augment.kind.{kind}"
    from core.i18n import has

    return tr(key) if has(key) else kind
