"""The language's textX grammar and the parser that turns program text into IR."""

from texts.grammar.loader import parse_program, parse_source

__all__ = ["parse_program", "parse_source"]
