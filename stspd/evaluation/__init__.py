"""Evaluation: attainment, verdicts, rollups, the grid's rows and the bilan's content. Pure computation."""
