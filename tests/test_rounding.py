"""The comparison up to rounding accepts only the last digits of floating-point numbers."""

from __future__ import annotations

import pytest
from rounding import same_up_to_rounding

EXPECTED = "(energy: 4.68389141991789) [electron_volt] (steps: 12) (modes: 2.1e-10, 0.042)\n"


@pytest.mark.parametrize(
    "printed",
    [
        EXPECTED,
        "(energy: 4.683891419917877) [electron_volt] (steps: 12) (modes: 9.7e-10, 0.042)\n",
    ],
)
def test_the_last_digits_and_the_noise_around_zero_may_differ(printed: str) -> None:
    assert same_up_to_rounding(EXPECTED, printed)


@pytest.mark.parametrize(
    "printed",
    [
        "(energy: 4.68390141991789) [electron_volt] (steps: 12) (modes: 2.1e-10, 0.042)\n",
        "(energy: 4.68389141991789) [electron_volt] (steps: 13) (modes: 2.1e-10, 0.042)\n",
        "(energy: 4.68389141991789) [electron_volt] (steps: 12.0) (modes: 2.1e-10, 0.042)\n",
        "(energy: 4.68389141991789) [electronvolt] (steps: 12) (modes: 2.1e-10, 0.042)\n",
        "(energy: 4.68389141991789) [electron_volt] (steps: 12) (modes: 2.1e-10)\n",
        "(energy: 4.68389141991789) [electron_volt] (steps: 12) (modes: 2.1e-7, 0.042)\n",
    ],
)
def test_other_numbers_and_text_differ(printed: str) -> None:
    assert not same_up_to_rounding(EXPECTED, printed)
