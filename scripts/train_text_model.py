"""Train the pack's built-in text model and export it to ONNX (reproducible: fixed seeds).

Data: COLD's training split (`../shared/data/train/cold_train.csv` from the repository
root; offensive -> `hate`) and the project's own synthetic prompts and chat text
(`scripts/text_corpus.py`: fixed phrases, and `scripts/text_corpus_compose.py`: frames crossed
with large word lists, each unsafe family next to a safe twin in the same frames, and
`scripts/text_corpus_chat.py`: English comments and chat messages in the same way). Features: hashed character 1-4-grams and word 1-2-grams
(`safety/text/hashing.py`), tf-idf weighted and L2-normalised inside the ONNX graph.
Model: one logistic regression per category. Held out: 15% of COLD's rows at random and
synthetic rows built only from frames and vocabulary the training rows never use
(text_corpus.py splits every list, each family reported apart); each category's threshold is calibrated there (best F0.5: precision
counts double), the held-out figures are printed and written to the sidecar, and the
shipped model is then fitted on every row with the same settings.

    python scripts/train_text_model.py [--out safety/text/model_data] [--data ../shared/data/train]

Needs scikit-learn and onnx (requirements-train.txt); the pack itself needs neither.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from scipy import sparse
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from safety.text.hashing import HashingSpec, features  # noqa: E402
from safety.text.linear import linear_model  # noqa: E402
from text_corpus import generate, generate_families  # noqa: E402

SEED = 13
LABELS = ("sexual", "minors", "violence", "gore", "self_harm", "hate", "harassment",
          "extremism", "weapons", "drugs", "gambling")
HOLDOUT = 0.15
C = 4.0  # inverse regularisation of each logistic regression
MIN_THRESHOLD, MAX_THRESHOLD = 0.35, 0.9
NAME = "textmodel"


def load_cold(path: Path) -> list[tuple[str, frozenset[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [(row["TEXT"], frozenset({"hate"}) if row["label"] == "1" else frozenset())
                for row in csv.DictReader(fh)]


def featurize(texts: list[str], spec: HashingSpec) -> sparse.csr_matrix:
    """Term frequencies (1 + log count) per hashed bucket, one row per text."""
    indices, values, indptr = [], [], [0]
    for text in texts:
        idx, tf = features(text, spec)
        indices.append(idx)
        values.append(tf)
        indptr.append(indptr[-1] + len(idx))
    return sparse.csr_matrix((np.concatenate(values), np.concatenate(indices), np.array(indptr)),
                             shape=(len(texts), spec.buckets))


def tfidf(tf: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """What the ONNX graph computes: tf * idf, rows scaled to unit length."""
    x = tf.multiply(idf[None, :]).tocsr()
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    return sparse.diags(1 / np.maximum(norms, 1e-12)) @ x


def calibrate(probs: np.ndarray, truth: np.ndarray) -> float:
    """The threshold with the best F0.5 (precision weighs double), kept in a sane range;
    the middle one where several tie (synthetic categories separate cleanly)."""
    candidates = np.round(np.arange(MIN_THRESHOLD, MAX_THRESHOLD + 1e-9, 0.01), 2)
    f = []
    for t in candidates:
        pred = probs >= t
        tp = float((pred & truth).sum())
        p = tp / max(pred.sum(), 1)
        r = tp / max(truth.sum(), 1)
        f.append(1.25 * p * r / (0.25 * p + r) if p + r else 0.0)
    if max(f) == 0:
        return 0.5  # no signal on the held-out rows: the plain decision boundary
    best = candidates[np.array(f) >= max(f) - 1e-9]
    return float(best[len(best) // 2])


def scores(pred: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    tp = float((pred & truth).sum())
    p = tp / max(pred.sum(), 1)
    r = tp / max(truth.sum(), 1)
    return {"precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0, "positives": int(truth.sum())}


def export(path: Path, weights: np.ndarray, bias: np.ndarray, idf: np.ndarray) -> dict[str, str]:
    """indices [N] int64, tf [N] float -> probabilities [1, labels] (sigmoid). The large
    initializers are ONNX external data kept in `.npy` files beside the model, which the
    pack reads with numpy (safety/text/linear.py); returns {initializer: file name}."""
    nodes = [
        helper.make_node("Gather", ["idf", "indices"], ["idf_n"]),
        helper.make_node("Mul", ["tf", "idf_n"], ["x"]),
        helper.make_node("Mul", ["x", "x"], ["x2"]),
        helper.make_node("ReduceSum", ["x2"], ["ss"], keepdims=1),
        helper.make_node("Sqrt", ["ss"], ["norm"]),
        helper.make_node("Max", ["norm", "eps"], ["norm_safe"]),
        helper.make_node("Div", ["x", "norm_safe"], ["xn"]),
        helper.make_node("Unsqueeze", ["xn", "axis0"], ["row"]),
        helper.make_node("Gather", ["weights", "indices"], ["w16"]),
        helper.make_node("Cast", ["w16"], ["w"], to=TensorProto.FLOAT),
        helper.make_node("MatMul", ["row", "w"], ["dot"]),
        helper.make_node("Add", ["dot", "bias"], ["logits"]),
        helper.make_node("Sigmoid", ["logits"], ["probabilities"]),
    ]
    arrays = {"idf": idf.astype(np.float32), "weights": weights.astype(np.float16),
              "bias": bias.astype(np.float32)[None, :]}
    files = {name: f"{path.stem}.{name}.npy" for name in arrays}
    inits = [_external(path.parent / files[name], array, name) for name, array in arrays.items()]
    inits += [numpy_helper.from_array(np.array([1e-12], np.float32), "eps"),
              numpy_helper.from_array(np.array([0], np.int64), "axis0")]  # inline: shape inference reads it
    graph = helper.make_graph(
        nodes, NAME,
        [helper.make_tensor_value_info("indices", TensorProto.INT64, ["n"]),
         helper.make_tensor_value_info("tf", TensorProto.FLOAT, ["n"])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [1, weights.shape[1]])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="train_text_model")
    model.ir_version = 8
    onnx.save(model, path)
    onnx.checker.check_model(str(path))  # by path: the checker then finds the external files
    return files


def _external(file: Path, array: np.ndarray, name: str) -> TensorProto:
    """An initializer whose data is `array` saved as `file`: ONNX reads the bytes after the
    .npy header, numpy reads the file."""
    np.save(file, array, allow_pickle=False)
    offset = file.stat().st_size - array.nbytes  # a .npy file is its header, then the raw array
    tensor = TensorProto(name=name, data_type=helper.np_dtype_to_tensor_dtype(array.dtype), dims=array.shape,
                         data_location=TensorProto.EXTERNAL)
    for key, value in (("location", file.name), ("offset", str(offset)), ("length", str(array.nbytes))):
        tensor.external_data.add(key=key, value=value)
    return tensor


def fit(tf: sparse.csr_matrix, y: np.ndarray, buckets: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """idf from these rows, then one logistic regression per label: (weights, bias, idf),
    weights rounded to float16 as the graph stores them."""
    df = np.bincount(tf.indices, minlength=buckets)
    idf = np.log((1 + tf.shape[0]) / (1 + df)) + 1.0
    x = tfidf(tf, idf)
    weights = np.zeros((buckets, len(LABELS)), np.float32)
    bias = np.zeros(len(LABELS), np.float32)
    for j in range(len(LABELS)):
        clf = LogisticRegression(C=C, solver="liblinear", random_state=SEED, max_iter=200)
        clf.fit(x, y[:, j])
        weights[:, j], bias[j] = clf.coef_[0], clf.intercept_[0]
    return weights.astype(np.float16).astype(np.float32), bias, idf


def predict(tf: sparse.csr_matrix, weights: np.ndarray, bias: np.ndarray, idf: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-(tfidf(tf, idf) @ weights + bias)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "train",
                        help="folder with cold_train.csv (default: ../shared/data/train)")
    parser.add_argument("--out", type=Path, default=ROOT / "safety" / "text" / "model_data")
    args = parser.parse_args()
    started = time.perf_counter()
    spec = HashingSpec()
    cold = load_cold(args.data / "cold_train.csv")
    cold_held = np.random.default_rng(SEED).random(len(cold)) < HOLDOUT
    train_families, held_families = generate_families(SEED, "train"), generate_families(SEED + 1, "test", scale=HOLDOUT)
    synthetic = [row for rows in train_families.values() for row in rows]
    synthetic_held = [row for rows in held_families.values() for row in rows]
    rows = cold + synthetic + synthetic_held
    held = np.concatenate([cold_held, np.zeros(len(synthetic), bool), np.ones(len(synthetic_held), bool)])
    families = list(held_families)
    source = np.array([0] * len(cold) + [-1] * len(synthetic)
                      + [families.index(name) + 1 for name, fam in held_families.items() for _ in fam])
    texts = [t for t, _ in rows]
    y = np.array([[label in labels for label in LABELS] for _, labels in rows])
    tf = featurize(texts, spec)
    print(f"{len(cold)} COLD rows, {len(synthetic) + len(synthetic_held)} synthetic rows, {int(held.sum())} held out "
          f"(COLD rows at random, synthetic rows from frames and vocabulary the training rows never use); "
          f"features in {time.perf_counter() - started:.0f} s", flush=True)

    probs = predict(tf[held], *fit(tf[~held], y[~held], spec.buckets))
    thresholds, report = {}, {}
    for j, label in enumerate(LABELS):
        thresholds[label] = calibrate(probs[:, j], y[held, j])
        report[label] = scores(probs[:, j] >= thresholds[label], y[held, j])
    flagged = (probs >= np.array([thresholds[label] for label in LABELS])).any(axis=1)
    anything = y[held].any(axis=1)
    src = source[held]
    report["any (all held-out rows)"] = scores(flagged, anything)
    report["COLD held-out (hate)"] = scores(flagged[src == 0], anything[src == 0])
    report["synthetic held-out (any)"] = scores(flagged[src >= 1], anything[src >= 1])
    for i, family in enumerate(families, 1):
        report[f"synthetic {family} (any)"] = scores(flagged[src == i], anything[src == i])
        report[f"synthetic {family} safe flagged"] = round(float((flagged & ~anything)[src == i].sum())
                                                         / max(int((~anything)[src == i].sum()), 1), 4)
    for name, figures in report.items():
        if not isinstance(figures, dict):
            print(f"  {name:<34} {figures:.2%} of the safe rows")
            continue
        print(f"  {name:<34} P {figures['precision']:.3f}  R {figures['recall']:.3f}  "
              f"F1 {figures['f1']:.3f}  ({figures['positives']} positive)  threshold {thresholds.get(name, '')}")

    # the shipped model learns from COLD's every row and synthetic rows of the whole vocabulary
    final = cold + generate(SEED, "all")
    texts = [t for t, _ in final]
    tf = featurize(texts, spec)
    weights, bias, idf = fit(tf, np.array([[label in labels for label in LABELS] for _, labels in final]), spec.buckets)
    args.out.mkdir(parents=True, exist_ok=True)
    onnx_path = args.out / f"{NAME}.onnx"
    arrays = export(onnx_path, weights, bias, idf)
    graph_sha256 = hashlib.sha256(onnx_path.read_bytes()).hexdigest()  # the pack's numpy path checks it
    sample = np.arange(0, len(texts), max(1, len(texts) // 200))
    _verify(onnx_path, arrays, graph_sha256, [texts[i] for i in sample], predict(tf[sample], weights, bias, idf),
            spec)
    sidecar = {
        "modality": "text",
        "description": "Built-in multilingual (zh/en) text model: hashed char/word n-grams, "
                       "one logistic regression per category",
        "source": "scripts/train_text_model.py; COLD train split (thu-coai/COLDataset, Apache-2.0) "
                  "and the project's own synthetic text (scripts/text_corpus.py, scripts/text_corpus_compose.py, "
                  "scripts/text_corpus_chat.py)",
        "labels": list(LABELS),
        "categories": {label: label for label in LABELS},
        "thresholds": thresholds,
        "activation": "none",
        "features": {"type": "hashed_ngrams", "buckets": spec.buckets, "char_ngrams": list(spec.char_ngrams),
                     "word_ngrams": list(spec.word_ngrams), "max_chars": spec.max_chars,
                     "arrays": {**arrays, "graph_sha256": graph_sha256}},
        "training": {"seed": SEED, "rows": len(final), "cold_rows": len(cold), "synthetic_rows": len(final) - len(cold),
                     "held_out_rows": int(held.sum()), "held_out": report},
    }
    (args.out / f"{NAME}.json").write_text(json.dumps(sidecar, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    size = sum((args.out / file).stat().st_size for file in [onnx_path.name, *arrays.values()]) / 1e6
    print(f"wrote {onnx_path} with {', '.join(arrays.values())} ({size:.1f} MB) and its sidecar in {time.perf_counter() - started:.0f} s")
    return 0


def _verify(path: Path, arrays: dict[str, str], graph_sha256: str, texts: list[str], probs: np.ndarray,
            spec: HashingSpec) -> None:
    """The exported graph, in onnxruntime and in the pack's numpy evaluation, reproduces the
    trained model."""
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    files = {name: path.parent / file for name, file in arrays.items()}
    linear = linear_model(files, path, graph_sha256, spec.buckets, probs.shape[1])
    for text, expected in zip(texts, probs):
        idx, tf = features(text, spec)
        for how, got in (("ONNX export", session.run(None, {"indices": idx, "tf": tf})[0][0]),
                         ("numpy evaluation", linear(idx, tf)[0])):
            if not np.allclose(got, expected, atol=1e-4):
                raise SystemExit(f"{how} differs from the trained model on {text[:80]!r}: {got} vs {expected}")


if __name__ == "__main__":
    sys.exit(main())
