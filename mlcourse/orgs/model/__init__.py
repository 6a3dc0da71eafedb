"""Model layer of lecture 03 (no plotting): the content records (:mod:`.data`) and the
self-assessment with its scoring rule (:mod:`.assessment`)."""
