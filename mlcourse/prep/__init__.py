"""Interview practice that lasts: the item bank, mock interviews, spaced review and readiness.

Modules, one job each: :mod:`~mlcourse.prep.bank` (load the bank), :mod:`~mlcourse.prep.variants`
(render an item's seeded variant), :mod:`~mlcourse.prep.templates` (keys of templated items),
:mod:`~mlcourse.prep.rules` (planted accepted/rejected answers), :mod:`~mlcourse.prep.grading`,
:mod:`~mlcourse.prep.store` (history), :mod:`~mlcourse.prep.review` (FSRS schedule),
:mod:`~mlcourse.prep.session` (the helper a mock notebook uses), :mod:`~mlcourse.prep.mock`,
:mod:`~mlcourse.prep.readiness` and :mod:`~mlcourse.prep.cli`.
"""
