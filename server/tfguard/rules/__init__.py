"""Rules: one class per file in ``aws/`` and ``terraform/``; see ``base.Rule``."""
