"""Jupyter and IPython front ends: the textS kernel (``texts.jupyter.kernel``), the
``%%texts`` / ``%texts`` magics (``texts.jupyter.magic``) and the kernel spec installer."""
