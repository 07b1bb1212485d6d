"""Public intent benchmarks (BANKING77, CLINC150, xSID) for the production NLU pipeline."""
