"""The rule kit: what every provider's rules are built from, with no provider in it.

- :mod:`values` reads values as Terraform converts them (one ``as_bool`` for every rule);
- :mod:`resources` decides which resources exist (``count = 0`` is skipped, once, here);
- :mod:`paths` walks attribute paths into nested and dynamic blocks;
- :mod:`conditions` and :mod:`declarative` write rules as data (:class:`Check`,
  :class:`Relation`);
- :mod:`instances` evaluates a resource per ``count`` / ``for_each`` instance;
- :mod:`network`, :mod:`storage`, :mod:`iam` are the family models several clouds share;
- :mod:`providers` reads which provider release a module runs (constraints, lock file);
- :mod:`write_only` moves secret arguments to their write-only twins;
- :mod:`fixing` builds the edits fixes make.

Rules import from here and from their own provider's private modules, never from another
rule or another provider.
"""
