"""The meaning of the language: IR, static checks, evaluation, values and formatting."""
