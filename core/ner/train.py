"""Training of the BERT token classifier with a plain torch loop on the CPU.

The model starts from scratch with a character vocabulary, or from a local pretrained
BERT folder (``base``) whose ``vocab.txt`` is then used character by character.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from transformers import BertConfig, BertForTokenClassification

from core.errors import TrainingError
from core.jobs import Progress
from core.ner.config import TrainConfig
from core.ner.dataset import Example
from core.ner.labels import TAG_TO_ID, TAGS, decode_tags, entities_from_tags, tags_from_entities
from core.ner.metrics import EntityMetrics, score_entities
from core.ner.vocab import CharVocab

logger = logging.getLogger(__name__)

IGNORED_LABEL = -100  # torch's cross-entropy ignore_index: [CLS], [SEP] and padding


@dataclass(frozen=True)
class TrainedModel:
    """The best checkpoint of a run, saved as a Hugging Face folder with its ``vocab.txt``."""

    hf_dir: Path
    vocab: CharVocab
    base: str  # the pretrained folder trained from, "" when trained from scratch
    dev_metrics: EntityMetrics | None  # of the saved checkpoint; None without a dev split
    best_step: int
    steps: int
    train_examples: int
    train_seconds: float


def build_vocab(config: TrainConfig, texts: Iterable[str], base: Path | None = None) -> CharVocab:
    """Return the base model's vocabulary, or one built from ``texts`` when training from scratch."""
    if base is None:
        return CharVocab.build(texts, min_count=config.min_char_count)
    vocab_file = Path(base) / "vocab.txt"
    if vocab_file.is_file():
        return CharVocab.load(vocab_file)
    from transformers import AutoTokenizer

    token_ids = AutoTokenizer.from_pretrained(str(base)).get_vocab()
    return CharVocab(sorted(token_ids, key=token_ids.__getitem__))


def train_model(
    train: Sequence[Example],
    dev: Sequence[Example],
    config: TrainConfig,
    output_dir: Path,
    *,
    vocab: CharVocab,
    base: Path | None = None,
    progress: Progress | None = None,
) -> TrainedModel:
    """Train on ``train`` and save the checkpoint with the best ``dev`` entity F1 to ``output_dir``.

    Raises ``Cancelled`` at the next step after ``progress.cancel()``.
    """
    started = time.monotonic()
    if config.threads:
        torch.set_num_threads(config.threads)
    torch.manual_seed(config.seed)
    shuffler = random.Random(config.seed)
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)

    model = _create_model(config, vocab, base)
    features = [_encode(example, vocab, config.max_length) for example in train]
    dev = list(dev[: config.max_dev_examples] if config.max_dev_examples else dev)
    batches_per_epoch = math.ceil(len(features) / config.batch_size)
    total_steps = config.max_steps or max(1, math.ceil(batches_per_epoch * config.epochs))
    optimizer, scheduler = _optimizer(model, config, total_steps)
    logger.info(
        "training %s on %d examples for %d steps (%d per epoch), %d parameters",
        f"from {base}" if base else "from scratch",
        len(features),
        total_steps,
        batches_per_epoch,
        sum(parameter.numel() for parameter in model.parameters()),
    )
    if progress is not None:
        progress.start_stage("train", total=total_steps)

    best_f1, best_step, best_metrics, evaluations_without_gain = -1.0, 0, None, 0
    step, loss_sum, loss_count = 0, 0.0, 0
    order: list[int] = []
    while step < total_steps:
        if not order:
            order = list(range(len(features)))
            shuffler.shuffle(order)
        batch_indices, order = order[: config.batch_size], order[config.batch_size :]
        model.train()
        input_ids, attention_mask, labels = _collate(
            [features[index] for index in batch_indices], vocab.pad_id
        )
        loss = model(input_ids=input_ids, attention_mask=attention_mask, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), config.max_grad_norm)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        step += 1
        loss_sum += loss.item()
        loss_count += 1
        if progress is not None:
            progress.advance()

        if step % config.eval_steps != 0 and step != total_steps:
            continue
        metrics = evaluate_torch_model(model, dev, vocab, config.max_length) if dev else None
        f1 = metrics.f1 if metrics is not None else 0.0
        logger.info(
            "step %d/%d: mean loss %.4f, dev entity F1 %.4f (best %.4f)",
            step,
            total_steps,
            loss_sum / loss_count,
            f1,
            max(best_f1, f1),
        )
        loss_sum, loss_count = 0.0, 0
        if metrics is None or f1 > best_f1:
            best_f1, best_step, best_metrics, evaluations_without_gain = f1, step, metrics, 0
            save_checkpoint(model, vocab, output_dir)
            continue
        evaluations_without_gain += 1
        if config.early_stopping_patience and evaluations_without_gain >= config.early_stopping_patience:
            logger.info(
                "early stop at step %d: no better dev F1 for %d evaluations", step, evaluations_without_gain
            )
            break

    elapsed = time.monotonic() - started
    logger.info(
        "trained %d steps in %.1f s; best dev entity F1 %.4f at step %d", step, elapsed, best_f1, best_step
    )
    return TrainedModel(
        output_dir, vocab, str(base or ""), best_metrics, best_step, step, len(features), elapsed
    )


def save_checkpoint(model: BertForTokenClassification, vocab: CharVocab, output_dir: Path) -> None:
    # NOTE: ctranslate2 4.8's BERT converter reads config.position_embedding_type, which
    # transformers 5 no longer writes; remove this once the converter defaults it.
    model.config.position_embedding_type = "absolute"
    model.save_pretrained(output_dir)
    vocab.save(output_dir / "vocab.txt")


def evaluate_torch_model(
    model: BertForTokenClassification, examples: Sequence[Example], vocab: CharVocab, max_length: int
) -> EntityMetrics:
    """Score the torch model on ``examples`` with the same decoding as the runtime."""
    model.eval()
    predicted = []
    with torch.no_grad():
        for offset in range(0, len(examples), 256):
            chunk = examples[offset : offset + 256]
            input_ids, attention_mask, _ = _collate(
                [_encode(example, vocab, max_length) for example in chunk], vocab.pad_id
            )
            logits = model(input_ids=input_ids, attention_mask=attention_mask).logits.numpy()
            for example, row in zip(chunk, logits, strict=True):
                tags = decode_tags(row[1 : 1 + min(len(example.text), max_length - 2)])
                predicted.append(entities_from_tags(example.text, tags))
    return score_entities(
        [example.text for example in examples], [example.entities for example in examples], predicted
    )


def _create_model(config: TrainConfig, vocab: CharVocab, base: Path | None) -> BertForTokenClassification:
    label_maps = {"id2label": dict(enumerate(TAGS)), "label2id": dict(TAG_TO_ID)}
    if base is not None:
        base_config = BertConfig.from_pretrained(str(base))
        if base_config.model_type != "bert":
            raise TrainingError(
                f"base model {base} is a {base_config.model_type!r} model; only BERT models can be exported"
            )
        if base_config.max_position_embeddings < config.max_length:
            raise TrainingError(
                f"max_length {config.max_length} exceeds the base model's "
                f"{base_config.max_position_embeddings} positions; lower max_length"
            )
        return BertForTokenClassification.from_pretrained(str(base), num_labels=len(TAGS), **label_maps)
    bert_config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=config.hidden_size,
        num_hidden_layers=config.num_layers,
        num_attention_heads=config.num_heads,
        intermediate_size=config.intermediate_size,
        hidden_dropout_prob=config.dropout,
        attention_probs_dropout_prob=config.dropout,
        max_position_embeddings=config.max_length,
        pad_token_id=vocab.pad_id,
        num_labels=len(TAGS),
        **label_maps,
    )
    bert_config.position_embedding_type = "absolute"
    return BertForTokenClassification(bert_config)


def _optimizer(
    model: torch.nn.Module, config: TrainConfig, total_steps: int
) -> tuple[torch.optim.Optimizer, torch.optim.lr_scheduler.LambdaLR]:
    decay, no_decay = [], []
    for parameter in model.parameters():
        # Biases and LayerNorm weights are not decayed, as in BERT's own recipe.
        (no_decay if parameter.ndim < 2 else decay).append(parameter)
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": config.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=config.learning_rate,
    )
    warmup = max(1, round(total_steps * config.warmup_ratio))

    def linear_warmup_then_decay(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    return optimizer, torch.optim.lr_scheduler.LambdaLR(optimizer, linear_warmup_then_decay)


def _encode(example: Example, vocab: CharVocab, max_length: int) -> tuple[list[int], list[int]]:
    input_ids = vocab.encode(example.text, max_length)
    tags = tags_from_entities(len(example.text), example.entities)[: len(input_ids) - 2]
    return input_ids, [IGNORED_LABEL] + [TAG_TO_ID[tag] for tag in tags] + [IGNORED_LABEL]


def _collate(
    features: Sequence[tuple[list[int], list[int]]], pad_id: int
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    width = max(len(input_ids) for input_ids, _ in features)
    input_ids = torch.full((len(features), width), pad_id, dtype=torch.long)
    attention_mask = torch.zeros((len(features), width), dtype=torch.long)
    labels = torch.full((len(features), width), IGNORED_LABEL, dtype=torch.long)
    for row, (ids, tag_ids) in enumerate(features):
        input_ids[row, : len(ids)] = torch.tensor(ids)
        attention_mask[row, : len(ids)] = 1
        labels[row, : len(tag_ids)] = torch.tensor(tag_ids)
    return input_ids, attention_mask, labels
