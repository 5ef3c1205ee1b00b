"""Quality studies of skbalance (``python -m benchmarks <name>`` runs ``studies/<name>.py``)."""
