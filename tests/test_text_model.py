"""Text classifiers as cascade steps: `model:<name>` (an ONNX transformer-like classifier
with its tokenizer.json, built here) and the built-in `textmodel`."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper
from tokenizers import Tokenizer, models as tok_models, pre_tokenizers, processors

from content_safety_guard.safety import BUILTIN_POLICIES, Config, ConfigError, Engine, ProviderError, models
from content_safety_guard.safety.text.classifier import TextClassifierChecker, calibrated
from content_safety_guard.safety.text.ensemble import SURE, AveragedTextChecker, latin_share
from content_safety_guard.safety.text.model_spec import find_text_model
from content_safety_guard.safety.text.hashing import HashingSpec, features

ROOT = Path(__file__).resolve().parents[1]
NORMAL, STRICT, LAX = BUILTIN_POLICIES["normal"], BUILTIN_POLICIES["strict"], BUILTIN_POLICIES["lax"]
VOCAB = ["[UNK]", "[CLS]", "[SEP]", "a", "lighthouse", "watercolor", "you", "are", "vermin", "hate", "them"]
TOXIC_WORDS = {"vermin", "hate"}


@pytest.fixture(autouse=True)
def no_host_dirs(monkeypatch):
    monkeypatch.setattr(models, "_dir_providers", [])


def write_tokenizer(path: Path) -> None:
    """A real tokenizer.json (WordLevel, [CLS] ... [SEP]) as Hugging Face exports ship."""
    tok = Tokenizer(tok_models.WordLevel({w: i for i, w in enumerate(VOCAB)}, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 1), ("[SEP]", 2)])
    tok.save(str(path))


def write_model(path: Path, labels: int = 2, token_types: bool = True) -> None:
    """Embeddings -> masked mean pooling -> linear head, the shape of an exported BERT
    classifier's interface: input_ids, attention_mask[, token_type_ids] -> logits [batch, labels]."""
    emb = np.zeros((len(VOCAB), 2), np.float32)
    for i, word in enumerate(VOCAB):
        emb[i, 1 if word in TOXIC_WORDS else 0] = 1.0
    head = np.array([[1.0, -1.0], [-4.0, 12.0]], np.float32)[:, :labels]
    nodes = [
        helper.make_node("Gather", ["emb", "input_ids"], ["tokens"]),  # [B, L, 2]
        helper.make_node("Cast", ["attention_mask"], ["maskf"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["maskf", "axis2"], ["mask3"]),
        helper.make_node("Mul", ["tokens", "mask3"], ["masked"]),
        helper.make_node("ReduceSum", ["masked", "axis1"], ["summed"], keepdims=0),
        helper.make_node("ReduceSum", ["mask3", "axis1"], ["count"], keepdims=0),
        helper.make_node("Div", ["summed", "count"], ["pooled"]),
        helper.make_node("MatMul", ["pooled", "head"], ["logits"]),
    ]
    inputs = [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "seq"])
              for n in ("input_ids", "attention_mask", "token_type_ids")[:3 if token_types else 2]]
    graph = helper.make_graph(
        nodes, "tiny_text_classifier", inputs,
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", labels])],
        [numpy_helper.from_array(emb, "emb"), numpy_helper.from_array(head, "head"),
         numpy_helper.from_array(np.array([2], np.int64), "axis2"),
         numpy_helper.from_array(np.array([1], np.int64), "axis1")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def install(folder: Path, name: str = "toxic_en", **sidecar) -> Config:
    folder.mkdir(parents=True, exist_ok=True)
    write_model(folder / f"{name}.onnx")
    write_tokenizer(folder / "tokenizer.json")
    data = {"modality": "text", "labels": ["neutral", "toxic"], "categories": {"toxic": "hate"},
            "thresholds": {"toxic": 0.6}, "activation": "softmax", "max_length": 16, **sidecar}
    (folder / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")
    return Config(models_dirs=(str(folder),))


def engine(config: Config, checker: str = "model:toxic_en", policy=NORMAL) -> Engine:
    return Engine(replace(policy, text_checkers=(checker,)), config)


def test_a_hugging_face_style_model_blocks_by_its_label_map(tmp_path):
    e = engine(install(tmp_path))
    bad = e.check_text("you are vermin")
    assert bad.level == "unsafe" and bad.categories == ("hate",) and bad.provider == "local:toxic_en"
    top = bad.evidence[0]
    assert top["label"] == "toxic" and top["category"] == "hate" and top["threshold"] == 0.6
    assert top["probability"] > 0.8
    good = e.check_text("a watercolor lighthouse")
    assert good.level == "safe" and set(good.scores) == {"hate"}  # only mapped labels are scored
    assert good.scores["hate"] < 0.15


def test_tokens_past_max_length_are_not_seen(tmp_path):
    e = engine(install(tmp_path, max_length=8))
    assert e.check_text("a " * 10 + "vermin").level == "safe"
    assert e.check_text("vermin hate " + "a " * 10).level == "unsafe"


def test_sigmoid_models_and_models_without_token_types(tmp_path):
    config = install(tmp_path, activation="sigmoid")
    write_model(tmp_path / "toxic_en.onnx", token_types=False)
    v = engine(config).check_text("hate them")
    assert v.level == "unsafe" and 0.85 < v.evidence[0]["probability"] < 1.0


def test_the_sidecar_threshold_becomes_the_policies_midpoint(tmp_path):
    """Probability 0.6 at threshold 0.6 scores 0.5: normal blocks, lax (0.8) does not."""
    assert calibrated(0.6, 0.6) == 0.5 and calibrated(0.3, 0.6) == 0.25 and calibrated(0.8, 0.6) == pytest.approx(0.75)
    config = install(tmp_path, thresholds={"toxic": 0.99})  # "a vermin": p ~ 0.92 scores ~ 0.47
    assert engine(config).check_text("a vermin").level != "unsafe"
    lax = replace(LAX, block=frozenset({"hate"}))
    config = install(tmp_path, thresholds={"toxic": 0.5})
    assert engine(config, policy=lax).check_text("a vermin").level == "unsafe"
    assert engine(config, policy=lax).check_text("a a a a vermin").level == "safe"


@pytest.mark.parametrize("sidecar, problem", [
    ({"modality": "image"}, "is an image model; text_checkers need a sidecar with 'modality: text'"),
    ({"kind": "classifier"}, "kind"),
    ({"labels": ["toxic"]}, "1 labels need an output of shape"),
    ({"categories": {"toxic": "naughty"}}, "unknown category 'naughty'"),
    ({"categories": {"rude": "hate"}}, "rude: not one of the model's labels"),
    ({"activation": "relu"}, "activation: must be one of"),
    ({"tokenizer": "missing.json"}, "no tokenizer file: looked for .*missing.json"),
    ({"max_lenght": 8}, "max_lenght"),
])
def test_sidecar_mistakes_are_config_errors_naming_the_file(tmp_path, sidecar, problem):
    config = install(tmp_path, **sidecar)
    with pytest.raises(ConfigError, match=problem) as info:
        engine(config)
    assert "toxic_en" in str(info.value)


def test_unknown_text_model_and_broken_tokenizer(tmp_path):
    with pytest.raises(ConfigError, match="model 'nope' not found"):
        engine(Config(models_dirs=(str(tmp_path),)), "model:nope")
    config = install(tmp_path)
    (tmp_path / "tokenizer.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="tokenizer.json: not a loadable tokenizer.json"):
        engine(config)


def test_a_model_that_fails_at_run_time_is_a_provider_error(tmp_path):
    """An id past the embedding table (a tokenizer from another model) fails the run."""
    config = install(tmp_path)
    tok = json.loads((tmp_path / "tokenizer.json").read_text())
    tok["model"]["vocab"]["vermin"] = 500
    (tmp_path / "tokenizer.json").write_text(json.dumps(tok))
    e = engine(config)
    with pytest.raises(ProviderError, match="toxic_en.onnx failed to run"):
        e.check_text("you are vermin")
    assert e.check_text("a lighthouse").level == "safe"


def test_model_prefix_for_text_and_images_resolve_separately(tmp_path):
    """`model:x` in text_checkers needs a text sidecar; in image_checkers an image one."""
    config = install(tmp_path)
    e = Engine(replace(NORMAL, text_checkers=("model:toxic_en",), image_checkers=("model:toxic_en",)), config)
    with pytest.raises(ConfigError, match="toxic_en.json: modality: text model 'toxic_en' used as an image checker"):
        e.image_steps


# The built-in model ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def builtin() -> Engine:
    return engine(Config(), "textmodel")


@pytest.mark.parametrize("text, category", [
    ("性感热舞教学", "sexual"), ("成人舞蹈教学", "sexual"), ("血腥", "gore"), ("赌博", "gambling"),
    ("photo of a man holding a gun, blood on the floor, gore", "gore"), ("nude woman lying on a bed, nsfw", "sexual"),
    ("河南人都是骗子，没一个好东西", "hate"), ("How do I cook meth at home?", "drugs"),
    ("masterpiece, best quality, 8k, 成人舞蹈教学", "sexual"), ("成人舞蹈教学 dance tutorial video", "sexual"),
])
def test_builtin_model_blocks_clear_cases(builtin, text, category):
    v = builtin.check_text(text)
    assert v.level != "safe" and category in v.categories, v


@pytest.mark.parametrize("text", ["儿童街舞课堂", "一只可爱的橘色猫咪", "a watercolor of a lighthouse",
                                  "How do I kill a Python process?", "a chef cutting meat in a kitchen",
                                  "两个孩子在公园里玩耍", "A man riding a horse on a beach at sunset."])
def test_builtin_model_passes_benign_look_alikes_under_every_policy(text):
    for policy in (LAX, NORMAL, STRICT):
        v = engine(Config(), "textmodel", policy).check_text(text)
        assert v.level == "safe", (policy.name, v)


def test_builtin_model_is_in_the_normal_and_strict_cascades():
    assert "textmodel" in NORMAL.text_checkers and "textmodel" in STRICT.text_checkers
    v = Engine(NORMAL, Config()).check_text("成人舞蹈教学")
    assert v.level == "unsafe"


def test_a_textmodel_in_a_models_folder_replaces_the_builtin(tmp_path):
    install(tmp_path, name="textmodel")
    spec = find_text_model("textmodel", Config(models_dirs=(str(tmp_path),)))
    assert spec.path == tmp_path / "textmodel.onnx" and spec.labels == ("neutral", "toxic")


def test_hashed_features_do_not_depend_on_the_process_hash_seed():
    code = ("import sys; sys.path.insert(0, 'tests'); import conftest\n"
            "from content_safety_guard.safety.text.hashing import HashingSpec, features\n"
            "print(features('Ｎude 裸体 party', HashingSpec())[0].tolist())")
    runs = {subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout for seed in ("1", "2")}
    assert len(runs) == 1
    assert json.loads(runs.pop()) == features("nude 裸体 party", HashingSpec())[0].tolist()


def test_hashed_features_of_empty_and_huge_text():
    index, tf = features("", HashingSpec())
    assert len(index) == 2 and sorted(tf.tolist()) == [1.0, pytest.approx(1 + np.log(2))]  # " " twice, "  "
    huge = features("x" * 10_000_000, HashingSpec(max_chars=100))
    short = features("x" * 100, HashingSpec(max_chars=100))
    assert huge[0].tolist() == short[0].tolist() and huge[1].tolist() == short[1].tolist()


def test_training_corpus_is_deterministic_and_holds_out_unseen_vocabulary():
    sys.path.insert(0, str(ROOT / "scripts"))
    from text_corpus import generate

    first, again = generate(13, "train", scale=0.02), generate(13, "train", scale=0.02)
    assert first == again and len(first) > 1000
    seen = {text for text, _ in generate(13, "train", scale=0.2)}
    held = generate(14, "test", scale=0.02)
    assert sum(text in seen for text, _ in held) < 0.05 * len(held)
    assert {label for _, labels in held for label in labels} == set(json.loads(
        (ROOT / "safety/text/model_data/textmodel.json").read_text(encoding="utf-8"))["labels"])


def test_compositional_corpus_pairs_each_unsafe_family_with_safe_twins_and_holds_out_its_words():
    sys.path.insert(0, str(ROOT / "scripts"))
    import text_corpus_compose as compose
    from text_corpus import generate_families

    train = generate_families(13, "train", scale=0.05)["compositional"]
    held = generate_families(14, "test", scale=0.05)["compositional"]
    assert sum(1 for _, labels in train if labels) > 1000 and sum(1 for _, labels in train if not labels) > 1000
    # the held-out rows use verbs and objects that no training row uses
    unseen = [pair.split("|")[1] for pair in compose.SAFE_PAIRS if not any(pair.split("|")[1] in t for t, _ in train)]
    assert unseen and any(obj in text for obj in unseen for text, _ in held)
    assert not {text for text, _ in held} & {text for text, _ in train}
    # safe twins: the harmful verbs of the requests also appear in benign rows
    benign = " ".join(text for text, labels in train if not labels)
    assert sum(verb in benign for verb in ("kill", "shoot", "beat", "poison", "hang")) == 5


def test_chat_corpus_pairs_abusive_talk_with_safe_talk_and_holds_out_its_words():
    sys.path.insert(0, str(ROOT / "scripts"))
    import text_corpus_chat as chat
    from text_corpus import generate_families

    train = generate_families(13, "train", scale=0.05)["chat"]
    held = generate_families(14, "test", scale=0.05)["chat"]
    assert sum(1 for _, labels in train if labels) > 800 and sum(1 for _, labels in train if not labels) > 800
    assert not {text for text, _ in held} & {text for text, _ in train}
    # insults that no training row uses make up held-out rows
    unseen = [noun for noun in chat.ATTACK_NOUN if not any(f" {noun}" in t for t, _ in train)]
    assert unseen and any(f" {noun}" in text for noun in unseen for text, _ in held)
    # talk about minors is always labelled sexual and minors; safe twins share the abusive rows' words
    assert all("sexual" in labels for _, labels in train if "minors" in labels)
    benign = " ".join(text for text, labels in train if not labels).lower()
    assert all(word in benign for word in ("idiot", "suicid", "shooting", "immigrants", "condoms"))

MODEL_DATA = ROOT / "safety/text/model_data"


def test_shipped_sidecar_matches_the_featuriser_and_size_limit():
    sidecar = json.loads((MODEL_DATA / "textmodel.json").read_text(encoding="utf-8"))
    spec = HashingSpec()
    arrays = {name: f"textmodel.{name}.npy" for name in ("idf", "weights", "bias")}
    graph = hashlib.sha256((MODEL_DATA / "textmodel.onnx").read_bytes()).hexdigest()
    assert sidecar["features"] == {"type": "hashed_ngrams", "buckets": spec.buckets, "char_ngrams": list(spec.char_ngrams),
                                   "word_ngrams": list(spec.word_ngrams), "max_chars": spec.max_chars,
                                   "arrays": {**arrays, "graph_sha256": graph}}
    shipped = [p for p in MODEL_DATA.iterdir() if p.name.startswith(("textmodel.", "contextmodel."))]
    assert sum(p.stat().st_size for p in shipped) < 30e6  # both halves of the built-in model together


def test_shipped_contextual_model_fits_its_sidecar_and_reads_english():
    spec = find_text_model("contextmodel", Config())
    assert spec.tokenizer == MODEL_DATA / "contextmodel.tokenizer.json" and spec.activation == "sigmoid"
    assert spec.labels == find_text_model("textmodel", Config()).labels and spec.max_length == 128
    v = engine(Config(), "model:contextmodel").check_text("a watercolor of a lighthouse")
    assert v.level == "safe", v


def test_latin_share_counts_words_and_each_cjk_character_as_one():
    assert latin_share("一只可爱的橘色猫咪") == 0 and latin_share("a lighthouse") == 1 and latin_share("café") == 1
    assert latin_share("12345 !!! 🙂") == 0 and latin_share("ab猫咪") == pytest.approx(1 / 3)
    assert latin_share("привет мир hello") == pytest.approx(1 / 3)
    # English quality tags around a Chinese phrase: 4 Latin words, 6 CJK characters
    assert latin_share("masterpiece, best quality, 8k, 成人舞蹈教学") == pytest.approx(0.4)


class Counting(TextClassifierChecker):
    runs = 0

    def check_text(self, text):
        self.runs += 1
        return super().check_text(text)


def halves(tmp_path, **context_sidecar):
    cfg = install(tmp_path, name="words")
    install(tmp_path, name="context", **{"thresholds": {"toxic": 0.9}, **context_sidecar})
    words, context = TextClassifierChecker(find_text_model("words", cfg)), Counting(find_text_model("context", cfg))
    return words, context, AveragedTextChecker(words, context)


def test_the_builtin_checker_averages_both_models_on_english_text(tmp_path):
    words, context, both = halves(tmp_path)
    text = "you are vermin"
    w, c, f = words.check_text(text), context.check_text(text), both.check_text(text)
    assert w.scores["hate"] != c.scores["hate"] and w.scores["hate"] < SURE
    assert f.scores["hate"] == pytest.approx((w.scores["hate"] + c.scores["hate"]) / 2, abs=1e-4)
    assert f.provider == "local:textmodel" and {e["model"] for e in f.evidence} == {"words", "context"}
    assert all(e["weight"] == 0.5 for e in f.evidence)


def test_text_not_in_latin_script_is_scored_by_the_ngram_half_alone(tmp_path):
    words, context, both = halves(tmp_path)
    runs = context.runs
    for text in ("你们都是害虫", "vermin 害虫害虫", "masterpiece, best quality, vermin, 你们都是害虫"):
        f = both.check_text(text)
        assert f.scores == words.check_text(text).scores and {e["model"] for e in f.evidence} <= {"words"}, text
    assert context.runs == runs  # the encoder never ran


def test_a_sure_ngram_hit_stands_and_a_category_of_one_half_keeps_its_score(tmp_path):
    words, context, both = halves(tmp_path, thresholds={"toxic": 0.99}, categories={"toxic": "harassment"})
    text = "vermin vermin"
    w, c, f = words.check_text(text), context.check_text(text), both.check_text(text)
    assert w.scores["hate"] >= SURE and "hate" not in c.scores and "harassment" not in w.scores
    assert f.scores["hate"] == w.scores["hate"] and f.scores["harassment"] == c.scores["harassment"]
    words, context, both = halves(tmp_path / "same", thresholds={"toxic": 0.99})
    w, c, f = words.check_text(text), context.check_text(text), both.check_text(text)
    assert (w.scores["hate"] + c.scores["hate"]) / 2 < f.scores["hate"] == w.scores["hate"]


def test_an_english_half_that_fails_fails_the_check_as_a_provider_error(tmp_path):
    install(tmp_path, name="words")
    tok = json.loads((tmp_path / "tokenizer.json").read_text())
    tok["model"]["vocab"]["vermin"] = 500  # an id past the embedding table, in the English half's tokenizer only
    (tmp_path / "context.tokenizer.json").write_text(json.dumps(tok))
    words, context, both = halves(tmp_path)
    assert words.check_text("you are vermin").scores["hate"] > 0.5
    with pytest.raises(ProviderError, match="context.onnx failed to run"):
        both.check_text("you are vermin")
    assert both.check_text("你们都是害虫").scores == words.check_text("你们都是害虫").scores  # not run: no error


def test_the_shipped_halves_disagree_and_the_average_decides():
    """A sentence the n-gram half alone blocks for its words (violence) and the English half
    reads as harmless: the average passes it under `normal`."""
    text = "I can't wait to see the new season of that cooking show with my kids."
    assert engine(Config(), "model:textmodel").check_text(text).level == "unsafe"
    assert engine(Config(), "model:contextmodel").check_text(text).level == "safe"
    v = engine(Config(), "textmodel").check_text(text)
    assert v.level == "safe" and [(e["model"], e["weight"]) for e in v.evidence] == [("textmodel", 0.5)], v
    zh = engine(Config(), "textmodel").check_text("河南人都是骗子，没一个好东西")
    assert zh.level == "unsafe" and {(e["model"], e["weight"]) for e in zh.evidence} == {("textmodel", 1.0)}, zh


def test_the_numpy_evaluation_gives_what_onnxruntime_gives_on_the_shipped_graph():
    """One copy of the weights, two readers: onnxruntime runs the ONNX graph (its initializers
    are external data in the .npy files), the pack evaluates the same files in numpy."""
    import onnxruntime as ort

    from content_safety_guard.safety.text.model_spec import load

    spec = find_text_model("textmodel", Config())
    assert spec.arrays and spec.path == MODEL_DATA / "textmodel.onnx"
    session = ort.InferenceSession(str(spec.path), providers=["CPUExecutionProvider"])
    graph = onnx.load(str(spec.path), load_external_data=False).graph
    assert {t.name for t in graph.initializer if t.data_location == TensorProto.EXTERNAL} == {"idf", "weights", "bias"}
    run = load(spec)
    rows = [json.loads(line)["text"] for line in
            (ROOT / "bench/data/prompts_dev.jsonl").read_text(encoding="utf-8").splitlines()]
    rows += ["", " ", "x" * 5000, "Ｎude 裸体 party", "你是个傻逼", "kill them all", "\u200b\x00"]
    worst = 0.0
    for text in rows:
        idx, tf = features(text, spec.hashing)
        expected = session.run(None, {"indices": idx, "tf": tf})[0]
        got = run(text)
        assert got.shape == expected.shape == (1, len(spec.labels))
        worst = max(worst, float(np.abs(got - expected).max()))
    assert worst < 1e-5
    assert max(run(text).max() for text in rows) > 0.5  # the comparison covers texts the model flags


def write_linear(folder: Path, buckets: int = 64, labels: int = 2, **overrides) -> Config:
    """A hashed model as scripts/train_text_model.py lays it out, with small arrays."""
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {"idf": np.ones(buckets, np.float32), "weights": np.zeros((buckets, labels), np.float16),
              "bias": np.zeros((1, labels), np.float32), **overrides}
    for name, array in arrays.items():
        np.save(folder / f"lin.{name}.npy", array)
    graph = b"stands for the graph: only its SHA-256 is checked"
    (folder / "lin.onnx").write_bytes(graph)
    arrays_entry = {**{n: f"lin.{n}.npy" for n in ("idf", "weights", "bias")},
                    "graph_sha256": hashlib.sha256(graph).hexdigest()}
    data = {"modality": "text", "labels": [f"l{i}" for i in range(labels)], "categories": {"l0": "hate"},
            "activation": "none", "features": {"type": "hashed_ngrams", "buckets": buckets, "arrays": arrays_entry}}
    (folder / "lin.json").write_text(json.dumps(data), encoding="utf-8")
    return Config(models_dirs=(str(folder),))


def test_a_hashed_model_with_arrays_runs_without_onnxruntime_and_rejects_arrays_that_do_not_fit(tmp_path):
    from content_safety_guard.safety.text.model_spec import load

    config = write_linear(tmp_path / "ok", bias=np.array([[9.0, -9.0]], np.float32))
    assert load(find_text_model("lin", config))("anything").round(3).tolist() == [[1.0, 0.0]]
    assert engine(config, "model:lin").check_text("anything").level == "unsafe"

    config = write_linear(tmp_path / "shape", weights=np.zeros((64, 3), np.float16))
    with pytest.raises(ConfigError, match=r"lin.weights.npy: weights has shape \[64, 3\].*needs \[64, 2\]"):
        engine(config, "model:lin")
    config = write_linear(tmp_path / "pickle")
    np.save(tmp_path / "pickle" / "lin.idf.npy", np.array([{"a": 1}], dtype=object))
    with pytest.raises(ConfigError, match="lin.idf.npy: not a readable .npy array"):
        engine(config, "model:lin")
    for name, array in (("idf", np.array(["1"] * 64)), ("idf", np.ones(64, np.int64)),
                        ("bias", np.zeros((1, 2), np.float16))):
        config = write_linear(tmp_path / f"dtype-{name}-{array.dtype}", **{name: array})
        with pytest.raises(ConfigError, match=rf"lin.{name}.npy: {name} holds {array.dtype}, the graph reads float32"):
            engine(config, "model:lin")
    config = write_linear(tmp_path / "outside")
    sidecar = tmp_path / "outside" / "lin.json"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace('"lin.idf.npy"', '"../ok/lin.idf.npy"'),
                       encoding="utf-8")
    with pytest.raises(ConfigError, match=r"features.arrays.idf: expected the name of the .npy file .*beside"):
        engine(config, "model:lin")
    config = write_linear(tmp_path / "missing")
    (tmp_path / "missing" / "lin.bias.npy").unlink()
    with pytest.raises(ConfigError, match=r"lin.json: features.arrays.bias: no such file .*lin.bias.npy"):
        engine(config, "model:lin")


def test_arrays_are_computed_only_beside_the_graph_they_were_written_with(tmp_path):
    """numpy computes one graph: another .onnx, or a sidecar that post-processes the
    outputs, would be scored wrongly without an error."""
    config = write_linear(tmp_path / "graph")
    (tmp_path / "graph" / "lin.onnx").write_bytes(b"another graph")
    with pytest.raises(ConfigError, match=r"lin.onnx: not the graph its arrays were written with.*onnxruntime"):
        engine(config, "model:lin")
    for key, value, problem in (("graph_sha256", "abc", "features.arrays.graph_sha256: expected the SHA-256"),
                                ("activation", "sigmoid", "activation: a model evaluated from features.arrays")):
        config = write_linear(tmp_path / key)
        sidecar = tmp_path / key / "lin.json"
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        (data["features"]["arrays"] if key == "graph_sha256" else data)[key] = value
        sidecar.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(ConfigError, match=problem):
            engine(config, "model:lin")


def test_arrays_replaced_on_disk_are_reread_and_a_half_written_one_is_a_config_error(tmp_path):
    from content_safety_guard.safety.text.model_spec import load

    config = write_linear(tmp_path / "m")
    spec = find_text_model("lin", config)
    assert load(spec)("anything").round(3).tolist() == [[0.5, 0.5]]
    bias = tmp_path / "m" / "lin.bias.npy"
    np.save(bias, np.array([[9.0, -9.0]], np.float32))
    os.utime(bias, ns=(bias.stat().st_atime_ns, bias.stat().st_mtime_ns + 10**9))  # coarse mtime clocks
    assert load(spec)("anything").round(3).tolist() == [[1.0, 0.0]]
    for written in (b"", bias.read_bytes()[:60], bias.read_bytes()[:-4]):  # opened, header cut, data cut
        bias.write_bytes(written)
        with pytest.raises(ConfigError, match="lin.bias.npy: not a readable .npy array"):
            load(spec)


def test_a_fresh_process_checks_chinese_with_the_ngram_half_without_onnxruntime():
    """onnxruntime's import and first session cost ~40 ms: the n-gram half never needs it
    (the contextual half does, for Latin text)."""
    code = ("import sys; sys.path.insert(0, 'tests'); import conftest\n"
            "from dataclasses import replace\n"
            "from content_safety_guard.safety import BUILTIN_POLICIES, Config, Engine\n"
            "normal = BUILTIN_POLICIES['normal']\n"
            "b = Engine(replace(normal, text_checkers=('model:textmodel',)), Config()).check_text('成人舞蹈教学')\n"
            "ort = 'onnxruntime' in sys.modules\n"
            "a = Engine(normal, Config()).check_text('a watercolor of a lighthouse')\n"
            "print(a.level, b.level, b.to_dict()['categories'], ort)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["safe", "unsafe", "['sexual']", "False"]


def test_readme_text_sidecars_load(tmp_path):
    """The sidecar examples of the README's drop-in recipe parse as written."""
    import re

    blocks = [b for b in re.findall(r"```json\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
              if '"modality": "text"' in b]
    assert len(blocks) >= 2
    for i, block in enumerate(blocks):
        data = json.loads(block)
        name = f"readme{i}"
        (tmp_path / f"{name}.json").write_text(block, encoding="utf-8")
        (tmp_path / f"{name}.onnx").write_bytes(b"not loaded by the parser")
        write_tokenizer(tmp_path / f"{name}.tokenizer.json")
        spec = find_text_model(name, Config(models_dirs=(str(tmp_path),)))
        assert spec.labels == tuple(data["labels"]) and spec.activation == data["activation"]
