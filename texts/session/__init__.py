"""The interactive session: a read-eval-print loop on a workflow model, with magic commands."""
