"""Spin repair as cooperating parts; :mod:`cleaner.stages.spin` calls them in order.

- :mod:`~cleaner.spin.patterns`: the text's words, curated rule matching, case and articles;
- :mod:`~cleaner.spin.candidates`: candidate originals from several sources, each named;
- :mod:`~cleaner.spin.scorer`: how well a candidate fits its context (the only place
  statistics load, lazily);
- :mod:`~cleaner.spin.detect`: document and paragraph spin scores with their evidence;
- :mod:`~cleaner.spin.repair`: matches and scored candidates turned into fixes.
"""
