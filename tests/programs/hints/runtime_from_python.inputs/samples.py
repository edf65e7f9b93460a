"""A table made in Python: the static checks cannot know its columns' types."""

import pandas


def samples():
    return pandas.DataFrame({"label": ["A", "B"], "mass": [1.5, 2.5]})
