"""A Property's simulation runs once per run, and not again in a later run unless what it
depends on changed: its structure, its calculator's parameters, its algorithm, its seed."""

from __future__ import annotations

from pathlib import Path

import pytest

from texts.interpreter.amml import simulation

MODEL = """\
h2 = Structure h2 ((atoms: ((symbols: 'H', 'H'), (x: 0.0, 1.0) [angstrom],
                            (y: 0.0, 0.0) [angstrom], (z: 0.0, 0.0) [angstrom])))
lj = Calculator lj ((sigma: {sigma}) [angstrom], (epsilon: 0.1) [eV])
md = Algorithm Langevin ((timestep: 1.0) [fs], (temperature_K: 300.0) [K],
                         (friction: 0.01) [1/fs], (steps: {steps}))
p = Property energy ((structure: h2), (calculator: lj), (algorithm: md), (seed: '{seed}'))
e = p.energy[0]
other = 1 [m]
print(e > 0 [eV], other)
"""
SEED = "00000000000000000000000000000001"


@pytest.fixture
def simulations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The positions of the jobs simulated, in order."""
    ran: list[int] = []
    run_job = simulation.run_job

    def counted(job: simulation.Job) -> simulation.Outcome:
        ran.append(job.position)
        return run_job(job)

    monkeypatch.setattr(simulation, "run_job", counted)
    return ran


def run(run_texts, tmp_path: Path, sigma: float = 1.0, steps: int = 3, seed: str = SEED) -> dict:
    (tmp_path / "model.vm").write_text(MODEL.format(sigma=sigma, steps=steps, seed=seed))
    result = run_texts("script", "-f", str(tmp_path / "model.vm"), "--verbose")
    assert result.status == 0, result.err
    return dict(line.split(": ", 1) for line in result.err.splitlines() if ": " in line)


def test_a_property_used_by_several_values_and_prints_runs_once(
    run_texts, tmp_path: Path, simulations: list[int]
) -> None:
    (tmp_path / "model.vm").write_text(
        MODEL.format(sigma=1.0, steps=2, seed=SEED)
        + "print(p.energy, e, p.output_structure.name)\nprint(p.algorithm.name)\n"
    )
    result = run_texts("script", "-f", str(tmp_path / "model.vm"), "--signature", "ignore")
    assert result.status == 0, result.err
    assert simulations == [0]


def test_an_unchanged_property_is_not_simulated_again(
    run_texts, tmp_path: Path, simulations: list[int]
) -> None:
    assert run(run_texts, tmp_path)["p"] == "computed (new)"
    again = run(run_texts, tmp_path)
    assert again["e"] == "cached"  # what the print needs is read back: p is not even asked
    assert again.get("p", "cached") == "cached"
    assert simulations == [0]


@pytest.mark.parametrize(
    ("change", "first_changed"),
    [
        ({"sigma": 1.1}, "lj"),
        ({"steps": 4}, "md"),
        ({"seed": "00000000000000000000000000000002"}, "p"),
    ],
)
def test_a_change_recomputes_exactly_its_dependants(
    run_texts, tmp_path: Path, simulations: list[int], change: dict, first_changed: str
) -> None:
    run(run_texts, tmp_path)
    decisions = run(run_texts, tmp_path, **change)
    recomputed = {name for name, decision in decisions.items() if decision.startswith("computed")}
    assert recomputed == {first_changed, "p", "e"} | ({"p"} if first_changed == "p" else set())
    assert decisions.get("h2", "cached") == "cached"
    assert decisions.get("other", "cached") == "cached"
    assert simulations == [0, 0]


def test_the_signature_of_a_simulation_names_the_ase_version() -> None:
    # only this test needs it
    import ase  # noqa: PLC0415

    # only this test needs it
    from texts.grammar import parse_program  # noqa: PLC0415
    from texts.interpreter.checks import check_program  # noqa: PLC0415
    from texts.provenance.signature import Signer  # noqa: PLC0415

    model = check_program(parse_program(MODEL.format(sigma=1.0, steps=3, seed=SEED)))
    signer = Signer(model)
    assert signer.variable("p").parts["library ase"] == ase.__version__
    assert signer.variable("lj").parts["library ase"] == ase.__version__
    assert "library ase" not in signer.variable("other").parts
    assert "library ase" not in signer.variable("e").parts  # it depends on p's signature
