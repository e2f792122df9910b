"""Image safety: safe decoding, ONNX detectors and classifiers, censoring, placeholders."""
