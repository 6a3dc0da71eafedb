"""Model layer of lecture 05 (no plotting): the lecture's content as dataclasses (:mod:`.facts`),
acting only above a confidence threshold (:mod:`.thresholds`) and a real scikit-learn model on the
bundled digits data, trained once and cached (:mod:`.digits`)."""
