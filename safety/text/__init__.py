"""Text checks: normalisation, the lexicon matcher and the PII rules."""
