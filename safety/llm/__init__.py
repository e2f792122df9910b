"""LLM judgement of text: Ollama and OpenAI-compatible clients, prompts, reply parsers.

Submodules are imported where needed so reading the config never loads an HTTP stack.
"""
