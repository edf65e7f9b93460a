"""Fuzzing ``texts script``: generated programs, mutated corpus programs and random bytes
never end in a traceback or a hang (the property of ``fuzz_oracle``)."""

from __future__ import annotations

from fuzz_mutations import mutated_programs
from fuzz_oracle import fuzz_settings, run_model
from fuzz_programs import programs
from hypothesis import given
from hypothesis import strategies as st

MODES = st.sampled_from(["instant", "deferred"])


@fuzz_settings(0.45)
@given(program=programs, mode=MODES)
def test_generated_programs(program: str, mode: str) -> None:
    run_model(program, mode)


@fuzz_settings(0.45)
@given(program=mutated_programs(), mode=MODES)
def test_mutated_corpus_programs(program: str | bytes, mode: str) -> None:
    run_model(program, mode)


@fuzz_settings(0.05)
@given(content=st.binary(max_size=400) | st.text(max_size=400))
def test_random_content(content: bytes | str) -> None:
    run_model(content, "instant")
